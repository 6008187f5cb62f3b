import { z } from 'zod';
import { ORDER_CHANNELS, ORDER_STATUSES, PAYMENT_METHODS, VISIT_FLAGS } from '../service.ts';
import { listOf, pageQuery } from './common.ts';
import { isoDay, isoInstant, isoMonth } from './dates.ts';
import { ltcBookingCover } from './health-records.ts';
import { route } from './route.ts';

/** A service order (服务工单) as the API answers it; money in fen. */
export const serviceOrder = z.object({
  id: z.string(),
  no: z.string(),
  elderId: z.string(),
  elderName: z.string().nullable(),
  /** In full on the order's record and in the assigned worker's own list; the street only (锦华路****) in other lists. */
  elderAddress: z.string().nullable(),
  elderLat: z.number().nullable(),
  elderLng: z.number().nullable(),
  /**
   * The elder's phone in full, only in the assigned worker's own list while the order is active
   * (assigned, en route, in service; each such read is audited); otherwise absent.
   */
  elderPhone: z.string().nullable().optional(),
  /** The elder's phone masked (138****5678), in the worker's list when the full number is not given. */
  elderPhoneMasked: z.string().nullable().optional(),
  /** The 导航 link to the elder's home (NAVIGATION_URL template), in the assigned worker's list. */
  navigationUrl: z.string().nullable().optional(),
  /**
   * In the assigned worker's list: when a check-in needs no reason (the booked start ± the
   * settings' checkInReasonMinutes). Outside it the phone asks for the reason before queueing.
   */
  checkInWindow: z.object({ from: z.string(), to: z.string(), minutes: z.number().int() }).optional(),
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
  /** In the booking's answer: 长护险 pays this order (booked on the phone pages or on a call); absent elsewhere. */
  ltc: ltcBookingCover.nullable().optional(),
});
export type ServiceOrder = z.output<typeof serviceOrder>;

/** The worker's visit (上门服务记录): check-in, check-out, the record and its anomalies. */
export const serviceVisit = z.object({
  workerId: z.string(),
  checkInAt: z.string(),
  checkInMethod: z.enum(['gps', 'qr']),
  checkInDistanceM: z.number().int().nullable(),
  /** Why the worker checked in far from the booked start (required beyond the settings' limit). */
  checkInReason: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  checkOutMethod: z.enum(['gps', 'qr']).nullable(),
  checkOutDistanceM: z.number().int().nullable(),
  record: z.string().nullable(),
  photos: z.array(z.string()),
  flags: z.array(z.enum(VISIT_FLAGS)),
  lockedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export type ServiceVisit = z.output<typeof serviceVisit>;

/** One order with its history, dispatch offers, visit and rating. */
export const serviceOrderDetail = serviceOrder.extend({
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
  visit: serviceVisit.nullable(),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
});
export type ServiceOrderDetail = z.output<typeof serviceOrderDetail>;

/** A provider the dispatcher could send the order to, with the parts of its score (why this provider). */
export const dispatchCandidate = z.object({
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
export type DispatchCandidate = z.output<typeof dispatchCandidate>;

/**
 * A complaint (投诉) opened by a low rating or taken on a call (then `orderId` is null unless the
 * caller named an order), followed up (回访) by the call centre.
 */
export const serviceComplaint = z.object({
  id: z.string(),
  orderId: z.string().nullable(),
  orderNo: z.string().nullable(),
  callId: z.string().nullable(),
  elderName: z.string(),
  providerName: z.string().nullable(),
  reason: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  dueAt: z.string(),
  overdue: z.boolean(),
  followUp: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type ServiceComplaint = z.output<typeof serviceComplaint>;

/** A console user's service-loop notice: an overdue complaint, an expiring licence or certificate. */
export const serviceNotice = z.object({
  id: z.string(),
  reason: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  providerId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type ServiceNotice = z.output<typeof serviceNotice>;

/** A visit photo's metadata; `url` serves the image. */
export const visitPhoto = z.object({
  id: z.string(),
  stage: z.enum(['check-in', 'check-out']),
  contentType: z.string(),
  bytes: z.number().int(),
  takenAt: z.string(),
  url: z.string(),
});
export type VisitPhoto = z.output<typeof visitPhoto>;

/** The photo upload's query: which moment of the visit, and when it was taken (the offline queue sends it later). */
export const visitPhotoUploadQuery = z.object({
  stage: z.enum(['check-in', 'check-out']),
  takenAt: isoInstant('business').optional().describe('When the photo was taken (the offline queue sends it later)'),
});
export type VisitPhotoUploadQuery = z.input<typeof visitPhotoUploadQuery>;

/** The service loop's configurable rules (app_settings key `service.settings`), with defaults. */
export const serviceSettings = z.strictObject({
  /** Check-in/out accepted within this distance of the elder's home (metres). */
  checkInRadiusM: z.number().int().min(20).max(5000).default(200),
  /** A provider must accept an offered order within this many minutes, or it goes to the next. */
  acceptMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** A served order not confirmed by the elder or family is confirmed automatically after this. */
  autoConfirmHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
  /** A visit record locks this long after check-out; later edits need a reason and are flagged. */
  lockHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** The call centre must follow up a low rating within this many hours. */
  complaintFollowUpHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  /**
   * A check-in more than this many minutes before or after the booked start needs the worker's
   * reason and is flagged off_schedule (an EVV anomaly held for review).
   */
  checkInReasonMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** Settlement rate: fen paid to the provider per point. */
  pointsRateFen: z.number().int().min(0).max(100_000).default(100),
});
export type ServiceSettings = z.output<typeof serviceSettings>;

const tags = ['service-orders'];
const idParam = z.object({ id: z.uuid() });
const reason = z.string().trim().min(2).max(500);
/** Money and points calls accept an `Idempotency-Key`, so a resend (the worker's offline queue) is harmless. */
const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });
/** Where and when the worker is: GPS or the elder's QR code; offline check-ins send their original time. */
const position = {
  at: isoInstant('business').optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  qr: z.string().max(100).optional(),
};

export const orderListQuery = pageQuery.extend({
  status: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional()
    .describe('comma-separated statuses'),
  providerId: z.uuid().optional(),
  elderId: z.uuid().optional(),
  date: isoDay('filter').optional().describe('scheduled on this day (China time)'),
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(14)
    .optional()
    .describe("with date: this many days from that day (the worker's week is date=today&days=7)"),
  month: isoMonth('filter')
    .optional()
    .describe('a China-time calendar month YYYY-MM (the dashboard drill-down); which date it applies to: monthBy'),
  monthBy: z
    .enum(['scheduled', 'created', 'served'])
    .optional()
    .describe('with month: the booked time (scheduled, default), the time the order was created, or the time it was served'),
  regionCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional()
    .describe("orders in this region's subtree (still within the caller's scope)"),
  payment: z.enum(PAYMENT_METHODS).optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('only visits with anomalies waiting for review'),
});

export type OrderListQuery = z.output<typeof orderListQuery>;

export const newOrderBody = z.strictObject({
  elderId: z.uuid(),
  itemId: z.uuid(),
  scheduledAt: isoInstant('business'),
  quantity: z.number().int('a whole number').min(1).max(24).optional(),
  payment: z.enum(PAYMENT_METHODS).optional(),
  note: z.string().trim().max(500).nullable().optional(),
  channel: z.enum(['console', 'api']).optional(),
});
export type NewOrderInput = z.input<typeof newOrderBody>;

/**
 * The service loop's routes (服务闭环): orders from booking to rating, the worker's visit,
 * complaints, notices, photos and the loop's rules. The visit photo upload answers 201 or 200
 * (the same picture sent again) and the photo itself is an image, so both stay plain Fastify
 * routes in photos.routes.ts; `visitPhoto` here is their answer's shape.
 */
export const ordersContract = {
  listOrders: route({
    method: 'GET',
    path: '/service-orders',
    permission: 'order:read',
    tags,
    summary: 'Service orders (服务工单) the caller may see',
    query: orderListQuery,
    response: listOf(serviceOrder),
  }),
  createOrder: route({
    method: 'POST',
    path: '/service-orders',
    permission: 'order:create',
    audit: 'order.create',
    tags,
    summary: 'Create an order: reserves the points or credit and dispatches it (Idempotency-Key accepted)',
    headers: idempotencyHeader,
    body: newOrderBody,
    response: { 201: serviceOrder },
  }),
  getOrder: route({
    method: 'GET',
    path: '/service-orders/:id',
    permission: 'order:read',
    tags,
    summary: 'One service order with its history, offers, visit and rating',
    params: idParam,
    response: serviceOrderDetail,
  }),
  candidates: route({
    method: 'GET',
    path: '/service-orders/:id/candidates',
    permission: 'order:dispatch',
    tags,
    summary: 'Candidate providers with their dispatch score (why this provider)',
    params: idParam,
    response: z.object({
      weights: z.object({ distance: z.number(), rating: z.number(), load: z.number() }),
      items: z.array(dispatchCandidate),
    }),
  }),
  dispatch: route({
    method: 'POST',
    path: '/service-orders/:id/dispatch',
    permission: 'order:dispatch',
    audit: 'order.dispatch-manual',
    tags,
    summary: 'Manual dispatch or override, with a reason',
    params: idParam,
    body: z.strictObject({ providerId: z.uuid(), reason }),
    response: serviceOrder,
  }),
  accept: route({
    method: 'POST',
    path: '/service-orders/:id/accept',
    permission: 'order:dispatch',
    audit: 'order.accept',
    tags,
    summary: 'The provider accepts the offer',
    params: idParam,
    response: serviceOrder,
  }),
  reject: route({
    method: 'POST',
    path: '/service-orders/:id/reject',
    permission: 'order:dispatch',
    audit: 'order.reject',
    tags,
    summary: 'The provider rejects or hands back the order; it goes to the next provider',
    params: idParam,
    body: z.strictObject({ reason }),
    response: serviceOrder,
  }),
  assign: route({
    method: 'POST',
    path: '/service-orders/:id/assign',
    permission: 'order:dispatch',
    audit: 'order.assign',
    tags,
    summary: 'Assign a worker with valid certificates',
    params: idParam,
    body: z.strictObject({ workerId: z.uuid() }),
    response: serviceOrder,
  }),
  enRoute: route({
    method: 'POST',
    path: '/service-orders/:id/en-route',
    permission: 'order:work',
    audit: 'order.en-route',
    tags,
    summary: 'The worker sets off to the elder',
    params: idParam,
    response: serviceOrder,
  }),
  checkIn: route({
    method: 'POST',
    path: '/service-orders/:id/check-in',
    permission: 'order:work',
    audit: 'order.check-in',
    tags,
    summary:
      "Check in at the elder's home by GPS or the elder's QR code (Idempotency-Key accepted; offline check-ins send their original time)",
    params: idParam,
    headers: idempotencyHeader,
    body: z.strictObject({
      ...position,
      /** Required when the check-in is more than checkInReasonMinutes from the booked start. */
      reason: z.string().trim().min(2).max(500).optional(),
    }),
    response: serviceOrder,
  }),
  checkOut: route({
    method: 'POST',
    path: '/service-orders/:id/check-out',
    permission: 'order:work',
    audit: 'order.check-out',
    tags,
    summary: 'Check out with the service record (Idempotency-Key accepted)',
    params: idParam,
    headers: idempotencyHeader,
    body: z.strictObject({
      ...position,
      record: z.string().trim().min(1).max(2000),
      photos: z.array(z.string().max(300)).max(9).optional(),
    }),
    response: serviceOrder,
  }),
  editVisit: route({
    method: 'PATCH',
    path: '/service-orders/:id/visit',
    permission: 'order:work',
    audit: 'order.record-edit',
    tags,
    summary: 'Edit the service record (after the 72 h lock: reason required, flagged and audited)',
    params: idParam,
    body: z.strictObject({
      record: z.string().trim().min(1).max(2000),
      reason: z.string().trim().min(2).max(500).optional(),
    }),
    response: serviceVisit,
  }),
  confirm: route({
    method: 'POST',
    path: '/service-orders/:id/confirm',
    permission: 'order:create',
    audit: 'order.confirm',
    tags,
    summary: 'The elder or family confirms the service (captures the points)',
    params: idParam,
    response: serviceOrder,
  }),
  cancel: route({
    method: 'POST',
    path: '/service-orders/:id/cancel',
    permission: 'order:create',
    audit: 'order.cancel',
    tags,
    summary: 'Cancel before the visit starts (releases the reserve in full)',
    params: idParam,
    body: z.strictObject({ reason }),
    response: serviceOrder,
  }),
  rate: route({
    method: 'POST',
    path: '/service-orders/:id/rate',
    permission: 'order:create',
    audit: 'order.rate',
    tags,
    summary: 'Rate 1–5 (confirms a served order; ≤ 2 opens a complaint)',
    params: idParam,
    body: z.strictObject({
      score: z.number().int().min(1).max(5),
      comment: z.string().trim().max(500).nullable().optional(),
    }),
    response: z.object({ score: z.number().int(), comment: z.string().nullable(), complaintId: z.string().nullable() }),
  }),
  review: route({
    method: 'POST',
    path: '/service-orders/:id/review',
    permission: 'order:review',
    audit: 'order.review',
    tags,
    summary: 'Review a flagged visit: clear it for settlement or reject it (refund)',
    params: idParam,
    body: z.strictObject({ decision: z.enum(['clear', 'reject']), note: reason }),
    response: serviceOrder,
  }),
  elderQr: route({
    method: 'GET',
    path: '/service-orders/qr/:elderId',
    permission: 'order:create',
    tags,
    summary: "The elder's check-in code (for the card or terminal)",
    params: z.object({ elderId: z.uuid() }),
    response: z.object({ token: z.string() }),
  }),
  listPhotos: route({
    method: 'GET',
    path: '/service-orders/:id/photos',
    permission: 'order:read',
    tags,
    summary: "The visit's photos (metadata; each url serves the image)",
    params: idParam,
    response: z.object({ items: z.array(visitPhoto) }),
  }),
  listComplaints: route({
    method: 'GET',
    path: '/service-complaints',
    permission: 'order:review',
    tags,
    summary: 'Complaints from low ratings, to follow up (回访)',
    query: pageQuery.extend({ status: z.enum(['open', 'closed']).optional() }),
    response: listOf(serviceComplaint),
  }),
  followUpComplaint: route({
    method: 'POST',
    path: '/service-complaints/:id/follow-up',
    permission: 'order:review',
    audit: 'complaint.follow-up',
    tags,
    summary: 'Record the follow-up of a complaint and close it',
    params: idParam,
    body: z.strictObject({ note: reason }),
    response: z.object({ id: z.string(), status: z.string() }),
  }),
  listNotices: route({
    method: 'GET',
    path: '/service-notices',
    auth: 'user',
    tags,
    summary: 'My notices: overdue complaint follow-ups, expiring or expired licences and certificates',
    query: z.object({
      kind: z.enum(['complaint', 'document']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(20),
      unread: z.enum(['true', 'false']).optional().describe('true: only notices not yet marked read'),
    }),
    response: z.object({ items: z.array(serviceNotice) }),
  }),
  readNotice: route({
    method: 'POST',
    path: '/service-notices/:id/read',
    auth: 'user',
    audit: 'notification.read',
    tags,
    summary: 'Mark one of my notices read',
    params: idParam,
    response: { 204: z.null() },
  }),
  getSettings: route({
    method: 'GET',
    path: '/service-settings',
    permission: 'order:read',
    tags,
    summary: 'Service loop rules (radius, timeouts, rate)',
    response: serviceSettings,
  }),
  updateSettings: route({
    method: 'PUT',
    path: '/service-settings',
    permission: 'settlement:approve',
    audit: 'service-settings.update',
    tags,
    summary: 'Change the service loop rules (the points-to-money rate among them)',
    body: serviceSettings.partial(),
    response: serviceSettings,
  }),
};
