import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Remote survival verification (0602_allowance_survival.sql). */

export type SurvivalChannelRow = 'face_remote' | 'kiosk';

/** A liveness challenge: two actions, a nonce, an expiry; answered once. */
export const allowanceSurvivalChallenges = pgTable('allowance_survival_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  applicationId: uuid('application_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  channel: text('channel').$type<SurvivalChannelRow>().notNull(),
  actions: text('actions').array().notNull(),
  nonce: text('nonce').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An answered challenge: result, reason, the figures the decision read; frames only if kept. */
export const allowanceSurvivalAttempts = pgTable('allowance_survival_attempts', {
  id: uuid('id').primaryKey().defaultRandom(),
  challengeId: uuid('challenge_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  period: text('period').notNull(),
  channel: text('channel').$type<SurvivalChannelRow>().notNull(),
  actions: text('actions').array().notNull(),
  result: text('result').$type<'passed' | 'failed'>().notNull(),
  reason: text('reason'),
  frame: integer('frame'),
  figures: jsonb('figures').notNull().default({}),
  framesEnc: text('frames_enc'),
  ms: integer('ms'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** A staff visit task after three failed attempts in a period. */
export const allowanceVisitTasks = pgTable('allowance_visit_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  applicationId: uuid('application_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  period: text('period').notNull(),
  status: text('status').$type<'open' | 'done'>().notNull().default('open'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneBy: uuid('done_by'),
  doneByName: text('done_by_name'),
  note: text('note'),
});
