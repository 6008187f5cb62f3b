import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Text messages that are not family notices, today the login codes (0003_phone_login_codes.sql):
 * the record that one went out. Number masked and as its blind index, text with the code masked.
 */
export const smsOutbox = pgTable('sms_outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  purpose: text('purpose').$type<'login-code'>().notNull(),
  userId: uuid('user_id'),
  recipientHash: text('recipient_hash').notNull(),
  recipientMasked: text('recipient_masked').notNull(),
  bodyMasked: text('body_masked').notNull(),
  provider: text('provider').notNull(),
  status: text('status').$type<'sent' | 'failed'>().notNull(),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
