import { bigserial, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable('audit_log', {
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
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
