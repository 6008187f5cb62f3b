import type { RiskSignalPart } from '@zhiyang/shared';
import { date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Risk radar tables (0740_risk_radar.sql). */

/** A district's weights and thresholds; only the keys the bureau set (merged over the defaults). */
export const riskSettings = pgTable('risk_settings', {
  districtCode: text('district_code').primaryKey(),
  weights: jsonb('weights').$type<Record<string, number>>().notNull().default({}),
  thresholds: jsonb('thresholds').$type<Record<string, number>>().notNull().default({}),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per elder and scoring day with a score above zero. */
export const riskScores = pgTable(
  'risk_scores',
  {
    elderId: uuid('elder_id').notNull(),
    day: date('day').notNull(),
    regionCode: text('region_code').notNull(),
    score: integer('score').notNull(),
    level: text('level').$type<'low' | 'watch' | 'high' | 'top'>().notNull(),
    signals: jsonb('signals').$type<RiskSignalPart[]>().notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.day, t.elderId] })],
);

/** A full scoring run of a day (the radar shows the latest). */
export const riskRuns = pgTable('risk_runs', {
  day: date('day').primaryKey(),
  scored: integer('scored').notNull(),
  top: integer('top').notNull(),
  tasksOpened: integer('tasks_opened').notNull(),
  ms: integer('ms').notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Since when an elder is at the top level (null: not now). */
export const riskElderState = pgTable('risk_elder_state', {
  elderId: uuid('elder_id').primaryKey(),
  topSince: date('top_since'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The automatic task on entering the top level, and visits and calls planned from the radar. */
export const riskTasks = pgTable('risk_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  kind: text('kind').$type<'top_entry' | 'visit' | 'call'>().notNull(),
  enteredOn: date('entered_on'),
  score: integer('score').notNull(),
  signals: jsonb('signals').$type<RiskSignalPart[]>().notNull().default([]),
  note: text('note'),
  careCallTaskId: uuid('care_call_task_id'),
  careVisitId: uuid('care_visit_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneBy: uuid('done_by'),
  doneNote: text('done_note'),
});
