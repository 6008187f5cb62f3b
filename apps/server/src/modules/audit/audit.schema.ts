import { bigint, bigserial, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable('audit_log', {
  /** Drawn by audit_log_next_id() (migration 0005) after the writer's transaction has its id. */
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  actorRole: text('actor_role'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  regionCode: text('region_code'),
  ip: text('ip'),
  outcome: text('outcome').$type<'ok' | 'denied' | 'failed'>().notNull(),
  detail: jsonb('detail').$type<Record<string, unknown> | null>(),
  /** Only rows written before the sealer (migration 0005) carry their link here; later ones are in audit_seals. */
  prevHash: text('prev_hash'),
  hash: text('hash'),
});

/** The hash chain over audit_log, one entry per id, written by the sealer (audit.sealer.ts). */
export const auditSeals = pgTable('audit_seals', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').$type<'row' | 'gap'>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
});
