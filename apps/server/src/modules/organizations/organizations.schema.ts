import type { OrgType } from '@zhiyang/shared';
import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  type: text('type').$type<OrgType>().notNull(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  address: text('address'),
  status: text('status').$type<'active' | 'suspended' | 'closed'>().notNull().default('active'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
