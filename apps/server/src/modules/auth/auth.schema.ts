import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Failed sign-ins per username and address, for the lockout (0002_login_failures.sql). */
export const loginFailures = pgTable(
  'login_failures',
  {
    username: text('username').notNull(),
    address: text('address').notNull(),
    failures: integer('failures').notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.username, t.address] })],
);

/**
 * One-time login codes sent by SMS (0003_phone_login_codes.sql): one row per request, also for a
 * number without an account (user_id null, nothing sent), so limits and answers are the same.
 */
export const phoneLoginCodes = pgTable('phone_login_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  phoneHash: text('phone_hash').notNull(),
  userId: uuid('user_id'),
  codeHash: text('code_hash').notNull(),
  address: text('address').notNull(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Hits per route and client in the current window, shared by every web process (0993_rate_limit_hits.sql). */
export const rateLimitHits = pgTable('rate_limit_hits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetsAt: timestamp('resets_at', { withTimezone: true }).notNull(),
});
