import type { BoundaryGeometry } from '@zhiyang/shared';
import { boolean, doublePrecision, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  parentCode: text('parent_code'),
  level: text('level').$type<'district' | 'street' | 'community'>().notNull(),
  name: text('name').notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A street's or community's outline (GeoJSON, checked by checkBoundaryGeometry before it is stored). */
export const regionBoundaries = pgTable('region_boundaries', {
  regionCode: text('region_code').primaryKey(),
  geometry: jsonb('geometry').$type<BoundaryGeometry>().notNull(),
  vertexCount: integer('vertex_count').notNull(),
  minLng: doublePrecision('min_lng').notNull(),
  minLat: doublePrecision('min_lat').notNull(),
  maxLng: doublePrecision('max_lng').notNull(),
  maxLat: doublePrecision('max_lat').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
