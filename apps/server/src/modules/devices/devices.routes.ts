import { devicesContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import * as service from './devices.service.ts';

/** Devices: schemas, access and audit come from the shared contract (the import is an upload). */
export const deviceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listTypes, () => service.deviceTypes());
  registerRoute(app, api.register, (req) => service.registerDevice(ctx, actorOf(req), req.body));
  registerRoute(app, api.importDevices, (req) =>
    withUploadedTable(ctx, req, service.DEVICE_IMPORT_LIMITS, ({ table }) => service.importDevices(ctx, actorOf(req), table)),
  );
  registerRoute(app, api.listDevices, (req) => {
    const { limit, page, ...f } = req.query;
    return service.listDevices(ctx, actorOf(req), f, limit, page);
  });
  registerRoute(app, api.getDevice, (req) => service.getDevice(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateDevice, (req) => service.updateDevice(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.rotateSecret, (req) => service.rotateSecret(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.sendCommand, (req) =>
    service.sendDeviceCommand(ctx, actorOf(req), req.params.id, req.body.command, req.body.data),
  );
  registerRoute(app, api.searchEvents, (req) => {
    const { limit, page, from, to, ...f } = req.query;
    const period = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
    return service.searchEvents(ctx, actorOf(req), { ...f, ...period }, limit, page);
  });
  registerRoute(app, api.health, (req) => service.deviceHealth(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.problemDevices, (req) => service.problemDevices(ctx, actorOf(req), req.params.regionCode));
};
