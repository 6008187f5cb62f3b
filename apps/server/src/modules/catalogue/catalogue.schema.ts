import type { ServiceCategory } from '@zhiyang/shared';
import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A catalogue item (服务项目) on the GB/T 43153-2023 categories. Prices in fen. */
export const serviceItems = pgTable('service_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  category: text('category').$type<ServiceCategory>().notNull(),
  name: text('name').notNull(),
  unit: text('unit').$type<'visit' | 'hour'>().notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  refPriceFen: integer('ref_price_fen').notNull(),
  ceilingPriceFen: integer('ceiling_price_fen').notNull(),
  points: integer('points').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const providerOfferings = pgTable(
  'provider_offerings',
  { orgId: uuid('org_id').notNull(), itemId: uuid('item_id').notNull(), priceFen: integer('price_fen').notNull() },
  (t) => [primaryKey({ columns: [t.orgId, t.itemId] })],
);
