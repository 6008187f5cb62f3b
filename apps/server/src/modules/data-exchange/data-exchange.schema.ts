import { date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The history of exports and imports (0990_data_exchange.sql). */
export const dataExchanges = pgTable('data_exchanges', {
  id: uuid('id').primaryKey().defaultRandom(),
  direction: text('direction').$type<'export' | 'import'>().notNull(),
  dataset: text('dataset').notNull(),
  format: text('format'),
  mode: text('mode').$type<'download' | 'preview' | 'apply'>().notNull(),
  since: date('since'),
  regionCode: text('region_code').notNull(),
  filename: text('filename'),
  fileSha256: text('file_sha256'),
  rows: integer('rows'),
  changes: integer('changes'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
