import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoDay, isoInstant } from '../../lib/dates.ts';
import { pageQuery } from '../../lib/http.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import { COMMANDS } from './device-commands.ts';
import { DEVICE_TYPE_INFO, DEVICE_TYPES } from './device-types.ts';
import * as service from './devices.service.ts';

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

export const deviceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/device-types',
    { config: { auth: 'user' }, schema: { tags: ['devices'], summary: 'Device types, heartbeat intervals and capabilities' } },
    async () => ({
      items: DEVICE_TYPES.map((t) => ({ type: t, ...DEVICE_TYPE_INFO[t] })),
    }),
  );

  app.post(
    '/devices',
    {
      config: { audit: 'device.create', permission: 'device:write' },
      schema: {
        tags: ['devices'],
        summary: 'Register a device; the answer carries its secret, shown this once',
        body: z.strictObject({ id: deviceId, type: z.enum(DEVICE_TYPES), ...fields }),
      },
    },
    async (req, reply) => reply.code(201).send(await service.registerDevice(ctx, actorOf(req), req.body)),
  );
  app.post(
    '/devices/import',
    {
      config: { audit: 'device.import', permission: 'device:write' },
      schema: { tags: ['devices'], summary: 'Register devices from an .xlsx or .csv sheet' },
    },
    async (req) =>
      withUploadedTable(ctx, req, service.DEVICE_IMPORT_LIMITS, ({ table }) => service.importDevices(ctx, actorOf(req), table)),
  );
  app.get(
    '/devices',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        querystring: pageQuery.extend({
          q: z.string().max(64).optional(),
          type: z.enum(DEVICE_TYPES).optional(),
          status: z.enum(['active', 'disabled', 'retired']).optional(),
          elderId: z.uuid().optional(),
          regionCode: regionCode.optional(),
          online: boolQuery.optional(),
        }),
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return service.listDevices(ctx, actorOf(req), f, limit, page);
    },
  );
  app.get(
    '/devices/:id',
    { config: { permission: 'device:read' }, schema: { tags: ['devices'], params: idParam } },
    async (req) => service.getDevice(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/devices/:id',
    {
      config: { audit: 'device.update', permission: 'device:write' },
      schema: {
        tags: ['devices'],
        params: idParam,
        body: z.strictObject({ ...fields, status: z.enum(['active', 'disabled', 'retired']).optional() }),
      },
    },
    async (req) => service.updateDevice(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/devices/:id/rotate-secret',
    {
      config: { audit: 'device.rotate-secret', permission: 'device:write' },
      schema: { tags: ['devices'], summary: 'Issue a new secret (shown once); the old one stops working', params: idParam },
    },
    async (req) => service.rotateSecret(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/devices/:id/commands',
    {
      config: { audit: 'device.command', permission: 'device:write' },
      schema: {
        tags: ['devices'],
        summary: 'Send a downlink command (test call, configuration, locate, silence siren) over MQTT',
        params: idParam,
        body: z.strictObject({ command: z.enum(COMMANDS), data: z.record(z.string(), z.unknown()).optional() }),
      },
    },
    async (req, reply) =>
      reply.code(202).send(await service.sendDeviceCommand(ctx, actorOf(req), req.params.id, req.body.command, req.body.data)),
  );
  app.get(
    '/device-events',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        querystring: pageQuery.extend({
          deviceId: deviceId.optional(),
          elderId: z.uuid().optional(),
          type: z.string().max(64).optional(),
          flagged: boolQuery.optional(),
          from: isoInstant('filter').optional(),
          to: isoInstant('filter').optional(),
        }),
      },
    },
    async (req) => {
      const { limit, page, from, to, ...f } = req.query;
      return service.searchEvents(
        ctx,
        actorOf(req),
        { ...f, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        limit,
        page,
      );
    },
  );
  app.get(
    '/device-health',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        summary: 'Device health per community',
        querystring: z.object({ regionCode: regionCode.optional() }),
      },
    },
    async (req) => service.deviceHealth(ctx, actorOf(req), req.query.regionCode),
  );
  app.get(
    '/device-health/:regionCode',
    { config: { permission: 'device:read' }, schema: { tags: ['devices'], params: z.object({ regionCode }) } },
    async (req) => service.problemDevices(ctx, actorOf(req), req.params.regionCode),
  );
};
