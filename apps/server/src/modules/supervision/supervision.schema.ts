import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Closed-month snapshots of the supervision dashboard (migration 0980_supervision_snapshots.sql). */
export const supervisionSnapshots = pgTable(
  'supervision_snapshots',
  {
    regionCode: text('region_code').notNull(),
    month: text('month').notNull(),
    version: integer('version').notNull(),
    figures: jsonb('figures').$type<Record<string, number | null>>(),
    figuresAt: timestamp('figures_at', { withTimezone: true }),
    state: jsonb('state').$type<Record<string, number | null>>(),
    stateAt: timestamp('state_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.month] })],
);
