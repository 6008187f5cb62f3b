import { boolean, date, doublePrecision, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Tables of 智慧安防 patrols and the risk map (migration 0820_patrols.sql). */

export interface PatrolShift {
  name: string;
  /** HH:MM, China time. */
  start: string;
  windowMinutes: number;
}

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const patrolRoutes = pgTable('patrol_routes', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  shifts: jsonb('shifts').$type<PatrolShift[]>().notNull().default([]),
  graceMinutes: integer('grace_minutes').notNull().default(30),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const patrolCheckpoints = pgTable('patrol_checkpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  routeId: uuid('route_id').notNull(),
  orgId: uuid('org_id').notNull(),
  seq: integer('seq').notNull(),
  name: text('name').notNull(),
  area: text('area').notNull(),
  kind: text('kind').notNull(),
  code: text('code').notNull(),
  active: boolean('active').notNull().default(true),
});

export const patrolRuns = pgTable('patrol_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  routeId: uuid('route_id').notNull(),
  orgId: uuid('org_id').notNull(),
  shift: text('shift').notNull(),
  startsAt: tz('starts_at').notNull(),
  dueAt: tz('due_at').notNull(),
  closesAt: tz('closes_at').notNull(),
  status: text('status').notNull().default('open'),
  checkpoints: integer('checkpoints').notNull(),
  missed: integer('missed').notNull().default(0),
  late: integer('late').notNull().default(0),
  closedAt: tz('closed_at'),
  alarmId: uuid('alarm_id'),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const patrolScans = pgTable('patrol_scans', {
  id: uuid('id').primaryKey().defaultRandom(),
  runId: uuid('run_id').notNull(),
  checkpointId: uuid('checkpoint_id').notNull(),
  orgId: uuid('org_id').notNull(),
  result: text('result').notNull(),
  method: text('method'),
  note: text('note'),
  late: boolean('late').notNull().default(false),
  scannedAt: tz('scanned_at').notNull().defaultNow(),
  scannedBy: uuid('scanned_by'),
});

export const patrolHazards = pgTable('patrol_hazards', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  runId: uuid('run_id'),
  checkpointId: uuid('checkpoint_id').notNull(),
  area: text('area').notNull(),
  description: text('description').notNull(),
  status: text('status').notNull().default('open'),
  deadlineOn: date('deadline_on').notNull(),
  ownerId: uuid('owner_id'),
  rectifyNote: text('rectify_note'),
  rectifiedAt: tz('rectified_at'),
  rectifiedBy: uuid('rectified_by'),
  checkNote: text('check_note'),
  checkedAt: tz('checked_at'),
  checkedBy: uuid('checked_by'),
  reopened: integer('reopened').notNull().default(0),
  foundAt: tz('found_at').notNull().defaultNow(),
  foundBy: uuid('found_by'),
  closedAt: tz('closed_at'),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const patrolPhotos = pgTable('patrol_photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  hazardId: uuid('hazard_id').notNull(),
  stage: text('stage').notNull(),
  mime: text('mime').notNull(),
  // Only rows written before 0992, until the backfill job encrypts them into data_enc.
  data: text('data'),
  dataEnc: text('data_enc'),
  bytes: integer('bytes').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const institutionLocations = pgTable('institution_locations', {
  orgId: uuid('org_id').primaryKey(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
});
