import { bigserial, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DeviceType } from './device-types.ts';

/** Registered terminals and sensors (migration 0300). The secret is derived from `secretNonce`, never stored. */
export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  type: text('type').$type<DeviceType>().notNull(),
  vendor: text('vendor'),
  model: text('model'),
  sim: text('sim'),
  imei: text('imei'),
  elderId: uuid('elder_id'),
  regionCode: text('region_code').notNull(),
  locationNote: text('location_note'),
  heartbeatSeconds: integer('heartbeat_seconds').notNull(),
  installedOn: date('installed_on'),
  installer: text('installer'),
  status: text('status').$type<'active' | 'disabled' | 'retired'>().notNull().default('active'),
  secretNonce: text('secret_nonce').notNull(),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }).notNull().defaultNow(),
  online: boolean('online').notNull().default(false),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  battery: integer('battery'),
  rssi: integer('rssi'),
  worn: boolean('worn'),
  wornChangedAt: timestamp('worn_changed_at', { withTimezone: true }),
  lastTestAt: timestamp('last_test_at', { withTimezone: true }),
  lastEventType: text('last_event_type'),
  lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const deviceEvents = pgTable('device_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deviceId: text('device_id').notNull(),
  msgId: text('msg_id').notNull(),
  type: text('type').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  deviceTs: timestamp('device_ts', { withTimezone: true }),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  elderId: uuid('elder_id'),
  regionCode: text('region_code'),
  flags: text('flags').array().notNull().default([]),
  transport: text('transport').$type<'mqtt' | 'http' | 'internal'>().notNull(),
  alarmId: uuid('alarm_id'),
});

export const deviceHeartbeatDays = pgTable(
  'device_heartbeat_days',
  {
    deviceId: text('device_id').notNull(),
    day: date('day').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.day] })],
);
