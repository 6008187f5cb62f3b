import { z } from 'zod';
import { DEVICE_TYPES } from '../safety.ts';
import { deviceEvent } from './alarms.ts';
import { pageQuery } from './common.ts';
import { isoDay, isoInstant } from './dates.ts';
import { route } from './route.ts';

/** Downlink commands a device understands (device protocol v1). */
export const DEVICE_COMMANDS = ['test_call', 'configure', 'locate', 'silence_siren'] as const;
export const DEVICE_STATUSES = ['active', 'disabled', 'retired'] as const;

const deviceId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, '3–64 letters, digits, _ or -');
const regionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code');
const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const fields = {
  elderId: z.uuid().nullable().optional(),
  regionCode: regionCode.optional(),
  vendor: optText(100),
  model: optText(100),
  sim: optText(32),
  imei: z
    .string()
    .regex(/^\d{14,16}$/, '14–16 digits')
    .nullable()
    .optional(),
  locationNote: optText(200),
  heartbeatSeconds: z.number().int().min(10).max(604_800).optional(),
  installedOn: isoDay('business').nullable().optional(),
  installer: optText(100),
};
const idParam = z.object({ id: deviceId });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A device (设备) as the API presents it; its secret is never part of it. */
export const device = z.object({
  id: z.string(),
  type: z.enum(DEVICE_TYPES),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  sim: z.string().nullable(),
  imei: z.string().nullable(),
  elderId: z.string().nullable(),
  elderName: z.string().nullable(),
  regionCode: z.string(),
  locationNote: z.string().nullable(),
  heartbeatSeconds: z.number().int(),
  capabilities: z.array(z.string()),
  installedOn: z.string().nullable(),
  installer: z.string().nullable(),
  status: z.enum(DEVICE_STATUSES),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  battery: z.number().nullable(),
  worn: z.boolean().nullable(),
  lastTestAt: z.string().nullable(),
  secretRotatedAt: z.string(),
  createdAt: z.string(),
});
export type Device = z.output<typeof device>;

/** Device health (设备健康) of one community. */
export const deviceHealthRow = z.object({
  regionCode: z.string(),
  regionName: z.string().nullable(),
  total: z.number().int(),
  online: z.number().int(),
  offline: z.number().int(),
  lowBattery: z.number().int(),
  notWorn: z.number().int(),
  missingTest: z.number().int(),
});
export type DeviceHealthRow = z.output<typeof deviceHealthRow>;

const tags = ['devices'];

/** Devices: registration, import, secrets, downlink commands, events and health. */
export const devicesContract = {
  listTypes: route({
    method: 'GET',
    path: '/device-types',
    auth: 'user',
    tags,
    summary: 'Device types, heartbeat intervals and capabilities',
    response: z.object({
      items: z.array(
        z.looseObject({
          type: z.enum(DEVICE_TYPES),
          heartbeatSeconds: z.number().int(),
          capabilities: z.array(z.string()),
          wearable: z.boolean(),
          monthlyTest: z.boolean(),
        }),
      ),
    }),
  }),
  register: route({
    method: 'POST',
    path: '/devices',
    permission: 'device:write',
    audit: 'device.create',
    tags,
    summary: 'Register a device; the answer carries its secret, shown this once',
    body: z.strictObject({ id: deviceId, type: z.enum(DEVICE_TYPES), ...fields }),
    response: { 201: z.object({ device, secret: z.string() }) },
  }),
  importDevices: route({
    method: 'POST',
    path: '/devices/import',
    permission: 'device:write',
    audit: 'device.import',
    upload: true,
    tags,
    summary: 'Register devices from an .xlsx or .csv sheet',
    response: z.object({
      created: z.array(z.object({ id: z.string(), secret: z.string() })),
      errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
    }),
  }),
  listDevices: route({
    method: 'GET',
    path: '/devices',
    permission: 'device:read',
    tags,
    summary: 'Devices in my area, searchable by id, type, status, elder, region and online state',
    query: pageQuery.extend({
      q: z.string().max(64).optional(),
      type: z.enum(DEVICE_TYPES).optional(),
      status: z.enum(DEVICE_STATUSES).optional(),
      elderId: z.uuid().optional(),
      regionCode: regionCode.optional(),
      online: boolQuery.optional(),
    }),
    response: z.object({ items: z.array(device), total: z.number().int() }),
  }),
  getDevice: route({
    method: 'GET',
    path: '/devices/:id',
    permission: 'device:read',
    tags,
    summary: 'One device with its last 20 events',
    params: idParam,
    response: device.extend({ lastEvents: z.array(deviceEvent) }),
  }),
  updateDevice: route({
    method: 'PATCH',
    path: '/devices/:id',
    permission: 'device:write',
    audit: 'device.update',
    tags,
    summary: 'Edit a device: binding, place, heartbeat, status',
    params: idParam,
    body: z.strictObject({ ...fields, status: z.enum(DEVICE_STATUSES).optional() }),
    response: device,
  }),
  rotateSecret: route({
    method: 'POST',
    path: '/devices/:id/rotate-secret',
    permission: 'device:write',
    audit: 'device.rotate-secret',
    tags,
    summary: 'Issue a new secret (shown once); the old one stops working',
    params: idParam,
    response: z.object({ secret: z.string() }),
  }),
  sendCommand: route({
    method: 'POST',
    path: '/devices/:id/commands',
    permission: 'device:write',
    audit: 'device.command',
    tags,
    summary: 'Send a downlink command (test call, configuration, locate, silence siren) over MQTT',
    params: idParam,
    body: z.strictObject({ command: z.enum(DEVICE_COMMANDS), data: z.record(z.string(), z.unknown()).optional() }),
    response: { 202: z.object({ msgId: z.string(), command: z.enum(DEVICE_COMMANDS) }) },
  }),
  searchEvents: route({
    method: 'GET',
    path: '/device-events',
    permission: 'device:read',
    tags,
    summary: 'Device events in my area',
    query: pageQuery.extend({
      deviceId: deviceId.optional(),
      elderId: z.uuid().optional(),
      type: z.string().max(64).optional(),
      flagged: boolQuery.optional(),
      from: isoInstant('filter').optional(),
      to: isoInstant('filter').optional(),
    }),
    response: z.object({ items: z.array(deviceEvent) }),
  }),
  health: route({
    method: 'GET',
    path: '/device-health',
    permission: 'device:read',
    tags,
    summary: 'Device health per community',
    query: z.object({ regionCode: regionCode.optional() }),
    response: z.object({ items: z.array(deviceHealthRow) }),
  }),
  problemDevices: route({
    method: 'GET',
    path: '/device-health/:regionCode',
    permission: 'device:read',
    tags,
    summary: "A community's devices that are offline, low on battery, not worn or untested",
    params: z.object({ regionCode }),
    response: z.object({ items: z.array(device) }),
  }),
};
