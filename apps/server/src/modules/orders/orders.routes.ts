import { ORDER_CHANNELS, ORDER_STATUSES, PAYMENT_METHODS, VISIT_FLAGS } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRegionScoped } from '../../lib/access.ts';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDayStart, isoDay, isoInstant } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import { findElderFor } from '../elders/service-elders.repo.ts';
import * as dispatch from './dispatch.service.ts';
import { noticeRoutes } from './notices.routes.ts';
import * as orders from './orders.service.ts';
import { photoRoutes } from './photos.routes.ts';
import { updateServiceSettings } from './service-settings.service.ts';
import { getServiceSettings, serviceSettingsSchema } from './service-settings.ts';
import * as visits from './visits.service.ts';

const orderSchema = z.object({
  id: z.string(),
  no: z.string(),
  elderId: z.string(),
  elderName: z.string().nullable(),
  elderAddress: z.string().nullable(),
  elderLat: z.number().nullable(),
  elderLng: z.number().nullable(),
  regionCode: z.string(),
  itemId: z.string(),
  itemName: z.string().nullable(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  workerId: z.string().nullable(),
  workerName: z.string().nullable(),
  channel: z.enum(ORDER_CHANNELS),
  status: z.enum(ORDER_STATUSES),
  scheduledAt: z.string(),
  durationMinutes: z.number().int(),
  quantity: z.number().int(),
  payment: z.enum(PAYMENT_METHODS),
  points: z.number().int(),
  amountFen: z.number().int(),
  note: z.string().nullable(),
  dispatchMode: z.enum(['auto', 'manual']).nullable(),
  dispatchExplain: z.record(z.string(), z.unknown()).nullable(),
  flags: z.array(z.enum(VISIT_FLAGS)),
  reviewStatus: z.enum(['none', 'pending', 'cleared', 'rejected']),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  servedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
const visitSchema = z.object({
  workerId: z.string(),
  checkInAt: z.string(),
  checkInMethod: z.enum(['gps', 'qr']),
  checkInDistanceM: z.number().int().nullable(),
  checkOutAt: z.string().nullable(),
  checkOutMethod: z.enum(['gps', 'qr']).nullable(),
  checkOutDistanceM: z.number().int().nullable(),
  record: z.string().nullable(),
  photos: z.array(z.string()),
  flags: z.array(z.enum(VISIT_FLAGS)),
  lockedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
const detailSchema = orderSchema.extend({
  history: z.array(
    z.object({
      at: z.string(),
      from: z.string().nullable(),
      to: z.string(),
      action: z.string(),
      actorName: z.string().nullable(),
      reason: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  offers: z.array(
    z.object({
      providerId: z.string(),
      mode: z.enum(['auto', 'manual']),
      score: z.number().nullable(),
      status: z.string(),
      reason: z.string().nullable(),
      offeredAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
  visit: visitSchema.nullable(),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
});
const idParam = z.object({ id: z.uuid() });
const reason = z.string().trim().min(2).max(500);
const position = {
  at: isoInstant('business').optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  qr: z.string().max(100).optional(),
};
const candidateSchema = z.object({
  providerId: z.string(),
  providerName: z.string(),
  priceFen: z.number().int(),
  distanceKm: z.number().nullable(),
  nearestSite: z.string().nullable(),
  rating: z.number(),
  ratingCount: z.number().int(),
  load: z.number().int(),
  capacity: z.number().int(),
  slotStart: z.string(),
  slotEnd: z.string(),
  slotLoad: z.number().int(),
  slotCapacity: z.number().int().nullable(),
  components: z.object({ distance: z.number(), rating: z.number(), load: z.number() }),
  score: z.number(),
});

export const orderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['service-orders'];
  await app.register(noticeRoutes, { ctx });
  await app.register(photoRoutes, { ctx });
  const one = (id: string, req: Parameters<typeof actorOf>[0]) => orders.visibleOrder(ctx, actorOf(req), id);

  app.get(
    '/service-orders',
    {
      config: { permission: 'order:read' },
      schema: {
        tags,
        summary: 'Service orders (服务工单) the caller may see',
        querystring: pageQuery.extend({
          status: z
            .string()
            .regex(/^[a-z_]+(,[a-z_]+)*$/)
            .optional()
            .describe('comma-separated statuses'),
          providerId: z.uuid().optional(),
          elderId: z.uuid().optional(),
          date: isoDay('filter').optional().describe('scheduled on this day (China time)'),
          flagged: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional()
            .describe('only visits with anomalies waiting for review'),
        }),
        response: { 200: listOf(orderSchema) },
      },
    },
    async (req) => {
      const { limit, page, status, date, ...f } = req.query;
      const statuses = status
        ?.split(',')
        .filter((s): s is (typeof ORDER_STATUSES)[number] => (ORDER_STATUSES as readonly string[]).includes(s));
      return orders.listOrders(
        ctx,
        actorOf(req),
        {
          ...f,
          status: statuses,
          from: date ? cstDayStart(date) : undefined,
          to: date ? cstDayStart(addDays(date, 1)) : undefined,
        },
        limit,
        page,
      );
    },
  );
  app.post(
    '/service-orders',
    {
      config: { audit: 'order.create', permission: 'order:create' },
      schema: {
        tags,
        summary: 'Create an order: reserves the points or credit and dispatches it (Idempotency-Key accepted)',
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: z.strictObject({
          elderId: z.uuid(),
          itemId: z.uuid(),
          scheduledAt: isoInstant('business'),
          quantity: z.number().int('a whole number').min(1).max(24).optional(),
          payment: z.enum(PAYMENT_METHODS).optional(),
          note: z.string().trim().max(500).nullable().optional(),
          channel: z.enum(['console', 'api']).optional(),
        }),
        response: { 201: orderSchema },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(ctx, req, async (c) => ({
          status: 201,
          body: orders.presentOrder(await orders.createOrder(c, actorOf(req), req.body)),
        })),
      ),
  );
  app.get(
    '/service-orders/:id',
    { config: { permission: 'order:read' }, schema: { tags, params: idParam, response: { 200: detailSchema } } },
    async (req) => orders.getOrder(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/service-orders/:id/candidates',
    {
      config: { permission: 'order:dispatch' },
      schema: {
        tags,
        summary: 'Candidate providers with their dispatch score (why this provider)',
        params: idParam,
        response: {
          200: z.object({
            weights: z.object({ distance: z.number(), rating: z.number(), load: z.number() }),
            items: z.array(candidateSchema),
          }),
        },
      },
    },
    async (req) => {
      if (!isRegionScoped(actorOf(req))) throw notFound('Service order');
      return dispatch.candidatesFor(ctx, await one(req.params.id, req));
    },
  );
  app.post(
    '/service-orders/:id/dispatch',
    {
      config: { audit: 'order.dispatch-manual', permission: 'order:dispatch' },
      schema: {
        tags,
        summary: 'Manual dispatch or override, with a reason',
        params: idParam,
        body: z.strictObject({ providerId: z.uuid(), reason }),
        response: { 200: orderSchema },
      },
    },
    async (req) =>
      orders.presentOrder(
        await dispatch.manualDispatch(ctx, actorOf(req), await one(req.params.id, req), req.body.providerId, req.body.reason),
      ),
  );
  app.post(
    '/service-orders/:id/accept',
    {
      config: { audit: 'order.accept', permission: 'order:dispatch' },
      schema: { tags, summary: 'The provider accepts the offer', params: idParam, response: { 200: orderSchema } },
    },
    async (req) => orders.presentOrder(await dispatch.accept(ctx, actorOf(req), await one(req.params.id, req))),
  );
  app.post(
    '/service-orders/:id/reject',
    {
      config: { audit: 'order.reject', permission: 'order:dispatch' },
      schema: {
        tags,
        summary: 'The provider rejects or hands back the order; it goes to the next provider',
        params: idParam,
        body: z.strictObject({ reason }),
        response: { 200: orderSchema },
      },
    },
    async (req) => orders.presentOrder(await dispatch.reject(ctx, actorOf(req), await one(req.params.id, req), req.body.reason)),
  );
  app.post(
    '/service-orders/:id/assign',
    {
      config: { audit: 'order.assign', permission: 'order:dispatch' },
      schema: {
        tags,
        summary: 'Assign a worker with valid certificates',
        params: idParam,
        body: z.strictObject({ workerId: z.uuid() }),
        response: { 200: orderSchema },
      },
    },
    async (req) => orders.presentOrder(await visits.assign(ctx, actorOf(req), await one(req.params.id, req), req.body.workerId)),
  );
  app.post(
    '/service-orders/:id/en-route',
    {
      config: { audit: 'order.en-route', permission: 'order:work' },
      schema: { tags, params: idParam, response: { 200: orderSchema } },
    },
    async (req) => orders.presentOrder(await visits.enRoute(ctx, actorOf(req), await one(req.params.id, req))),
  );
  app.post(
    '/service-orders/:id/check-in',
    {
      config: { audit: 'order.check-in', permission: 'order:work' },
      schema: {
        tags,
        summary:
          "Check in at the elder's home by GPS or the elder's QR code (Idempotency-Key accepted; offline check-ins send their original time)",
        params: idParam,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: z.strictObject(position),
        response: { 200: orderSchema },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(ctx, req, async (c) => ({
          status: 200,
          body: orders.presentOrder(
            await visits.checkIn(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body),
          ),
        })),
      ),
  );
  app.post(
    '/service-orders/:id/check-out',
    {
      config: { audit: 'order.check-out', permission: 'order:work' },
      schema: {
        tags,
        summary: 'Check out with the service record (Idempotency-Key accepted)',
        params: idParam,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: z.strictObject({
          ...position,
          record: z.string().trim().min(1).max(2000),
          photos: z.array(z.string().max(300)).max(9).optional(),
        }),
        response: { 200: orderSchema },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(ctx, req, async (c) => ({
          status: 200,
          body: orders.presentOrder(
            await visits.checkOut(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body),
          ),
        })),
      ),
  );
  app.patch(
    '/service-orders/:id/visit',
    {
      config: { audit: 'order.record-edit', permission: 'order:work' },
      schema: {
        tags,
        summary: 'Edit the service record (after the 72 h lock: reason required, flagged and audited)',
        params: idParam,
        body: z.strictObject({
          record: z.string().trim().min(1).max(2000),
          reason: z.string().trim().min(2).max(500).optional(),
        }),
        response: { 200: visitSchema },
      },
    },
    async (req) =>
      orders.presentVisit(
        await visits.editRecord(ctx, actorOf(req), await one(req.params.id, req), req.body.record, req.body.reason),
      ),
  );
  app.post(
    '/service-orders/:id/confirm',
    {
      config: { audit: 'order.confirm', permission: 'order:create' },
      schema: {
        tags,
        summary: 'The elder or family confirms the service (captures the points)',
        params: idParam,
        response: { 200: orderSchema },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(ctx, req, async (c) => ({
          status: 200,
          body: orders.presentOrder(
            await orders.confirmOrder(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id)),
          ),
        })),
      ),
  );
  app.post(
    '/service-orders/:id/cancel',
    {
      config: { audit: 'order.cancel', permission: 'order:create' },
      schema: {
        tags,
        summary: 'Cancel before the visit starts (releases the reserve in full)',
        params: idParam,
        body: z.strictObject({ reason }),
        response: { 200: orderSchema },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(ctx, req, async (c) => ({
          status: 200,
          body: orders.presentOrder(
            await orders.cancelOrder(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body.reason),
          ),
        })),
      ),
  );
  app.post(
    '/service-orders/:id/rate',
    {
      config: { audit: 'order.rate', permission: 'order:create' },
      schema: {
        tags,
        summary: 'Rate 1–5 (confirms a served order; ≤ 2 opens a complaint)',
        params: idParam,
        body: z.strictObject({
          score: z.number().int().min(1).max(5),
          comment: z.string().trim().max(500).nullable().optional(),
        }),
        response: {
          200: z.object({ score: z.number().int(), comment: z.string().nullable(), complaintId: z.string().nullable() }),
        },
      },
    },
    async (req) => orders.rateOrder(ctx, actorOf(req), await one(req.params.id, req), req.body.score, req.body.comment ?? null),
  );
  app.post(
    '/service-orders/:id/review',
    {
      config: { audit: 'order.review', permission: 'order:review' },
      schema: {
        tags,
        summary: 'Review a flagged visit: clear it for settlement or reject it (refund)',
        params: idParam,
        body: z.strictObject({ decision: z.enum(['clear', 'reject']), note: reason }),
        response: { 200: orderSchema },
      },
    },
    async (req) =>
      orders.presentOrder(
        await visits.review(ctx, actorOf(req), await one(req.params.id, req), req.body.decision, req.body.note),
      ),
  );
  app.get(
    '/service-orders/qr/:elderId',
    {
      config: { permission: 'order:create' },
      schema: {
        tags,
        summary: "The elder's check-in code (for the card or terminal)",
        params: z.object({ elderId: z.uuid() }),
        response: { 200: z.object({ token: z.string() }) },
      },
    },
    async (req) => {
      if (!(await findElderFor(ctx.db, actorOf(req), req.params.elderId))) throw notFound('Elder');
      return { token: visits.elderQrToken(ctx, req.params.elderId) };
    },
  );
  app.get(
    '/service-complaints',
    {
      config: { permission: 'order:review' },
      schema: {
        tags,
        summary: 'Complaints from low ratings, to follow up (回访)',
        querystring: pageQuery.extend({ status: z.enum(['open', 'closed']).optional() }),
        response: {
          200: listOf(
            z.object({
              id: z.string(),
              orderId: z.string(),
              orderNo: z.string(),
              elderName: z.string(),
              providerName: z.string().nullable(),
              reason: z.string().nullable(),
              status: z.enum(['open', 'closed']),
              dueAt: z.string(),
              overdue: z.boolean(),
              followUp: z.string().nullable(),
              closedAt: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (req) => orders.listComplaints(ctx, actorOf(req), req.query.status, req.query.limit, req.query.page),
  );
  app.post(
    '/service-complaints/:id/follow-up',
    {
      config: { audit: 'complaint.follow-up', permission: 'order:review' },
      schema: {
        tags,
        params: idParam,
        body: z.strictObject({ note: reason }),
        response: { 200: z.object({ id: z.string(), status: z.string() }) },
      },
    },
    async (req) => orders.followUpComplaint(ctx, actorOf(req), req.params.id, req.body.note),
  );
  app.get(
    '/service-settings',
    {
      config: { permission: 'order:read' },
      schema: { tags, summary: 'Service loop rules (radius, timeouts, rate)', response: { 200: serviceSettingsSchema } },
    },
    async () => getServiceSettings(ctx.db),
  );
  app.put(
    '/service-settings',
    {
      config: { audit: 'service-settings.update', permission: 'settlement:approve' },
      schema: { tags, body: serviceSettingsSchema.partial(), response: { 200: serviceSettingsSchema } },
    },
    async (req) => updateServiceSettings(ctx, actorOf(req), req.body),
  );
};
