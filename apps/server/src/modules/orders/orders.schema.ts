import type { OrderChannel, OrderStatus, PaymentMethod, VisitFlag } from '@zhiyang/shared';
import {
  bigserial,
  boolean,
  customType,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export type ReviewStatus = 'none' | 'pending' | 'cleared' | 'rejected';

export const serviceOrders = pgTable('service_orders', {
  id: uuid('id').primaryKey().defaultRandom(),
  no: text('no').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  itemId: uuid('item_id').notNull(),
  providerId: uuid('provider_id'),
  workerId: uuid('worker_id'),
  channel: text('channel').$type<OrderChannel>().notNull(),
  status: text('status').$type<OrderStatus>().notNull(),
  scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  quantity: integer('quantity').notNull().default(1),
  payment: text('payment').$type<PaymentMethod>().notNull(),
  points: integer('points').notNull().default(0),
  amountFen: integer('amount_fen').notNull().default(0),
  note: text('note'),
  dispatchMode: text('dispatch_mode').$type<'auto' | 'manual'>(),
  dispatchScore: jsonb('dispatch_score'),
  flags: text('flags').array().$type<VisitFlag[]>().notNull().default([]),
  reviewStatus: text('review_status').$type<ReviewStatus>().notNull().default('none'),
  settlementId: uuid('settlement_id'),
  createdBy: uuid('created_by'),
  cancelReason: text('cancel_reason'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  servedAt: timestamp('served_at', { withTimezone: true }),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
});

export const serviceOrderHistory = pgTable('service_order_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orderId: uuid('order_id').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  action: text('action').notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  reason: text('reason'),
  detail: jsonb('detail'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export const dispatchOffers = pgTable('dispatch_offers', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderId: uuid('order_id').notNull(),
  providerId: uuid('provider_id').notNull(),
  mode: text('mode').$type<'auto' | 'manual'>().notNull(),
  score: doublePrecision('score'),
  explain: jsonb('explain'),
  status: text('status').$type<'offered' | 'accepted' | 'rejected' | 'timed_out' | 'withdrawn'>().notNull().default('offered'),
  reason: text('reason'),
  offeredAt: timestamp('offered_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  respondedAt: timestamp('responded_at', { withTimezone: true }),
});

export const serviceVisits = pgTable('service_visits', {
  orderId: uuid('order_id').primaryKey(),
  workerId: uuid('worker_id').notNull(),
  checkInAt: timestamp('check_in_at', { withTimezone: true }).notNull(),
  checkInMethod: text('check_in_method').$type<'gps' | 'qr'>().notNull(),
  checkInLat: doublePrecision('check_in_lat'),
  checkInLng: doublePrecision('check_in_lng'),
  checkInDistanceM: integer('check_in_distance_m'),
  checkInReason: text('check_in_reason'),
  checkOutAt: timestamp('check_out_at', { withTimezone: true }),
  checkOutMethod: text('check_out_method').$type<'gps' | 'qr'>(),
  checkOutLat: doublePrecision('check_out_lat'),
  checkOutLng: doublePrecision('check_out_lng'),
  checkOutDistanceM: integer('check_out_distance_m'),
  record: text('record'),
  photos: text('photos').array().notNull().default([]),
  flags: text('flags').array().$type<VisitFlag[]>().notNull().default([]),
  lockedAt: timestamp('locked_at', { withTimezone: true }),
  reviewedBy: uuid('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  reviewNote: text('review_note'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const serviceRatings = pgTable('service_ratings', {
  orderId: uuid('order_id').primaryKey(),
  score: integer('score').notNull(),
  comment: text('comment'),
  ratedBy: uuid('rated_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const serviceComplaints = pgTable('service_complaints', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Null for a complaint taken on a call that is not about an order (0400). */
  orderId: uuid('order_id'),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  providerId: uuid('provider_id'),
  callId: uuid('call_id'),
  reason: text('reason'),
  status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  followUp: text('follow_up'),
  followedBy: uuid('followed_by'),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One notification per user and reason, deduplicated by key (0209_service_notices.sql). */
export const serviceNotices = pgTable('service_notices', {
  dedupeKey: text('dedupe_key').primaryKey(),
  userId: uuid('user_id').notNull(),
  notificationId: uuid('notification_id').notNull(),
  reason: text('reason').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  providerId: uuid('provider_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Photos a worker takes at check-in and check-out (0210_visit_photos.sql). */
export const visitPhotos = pgTable('visit_photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderId: uuid('order_id').notNull(),
  stage: text('stage').$type<'check-in' | 'check-out'>().notNull(),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  // Only rows written before 0992, until the backfill job encrypts them into data_enc.
  data: bytea('data'),
  dataEnc: text('data_enc'),
  takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  uploadedBy: uuid('uploaded_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
