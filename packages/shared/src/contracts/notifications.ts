import { z } from 'zod';
import { pageQuery } from './common.ts';
import { route } from './route.ts';

/** A family notice (通知) in the outbox with its delivery state; the recipient comes masked. */
export const notice = z.object({
  id: z.string(),
  alarmId: z.string().nullable(),
  elderId: z.string().nullable(),
  reason: z.string(),
  channel: z.string(),
  recipient: z.string(),
  body: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type Notice = z.output<typeof notice>;

export const notificationsContract = {
  listNotifications: route({
    method: 'GET',
    path: '/notifications',
    permission: 'notification:read',
    tags: ['notifications'],
    summary: 'Family notices (outbox) with their delivery state',
    query: pageQuery.extend({ alarmId: z.uuid().optional(), status: z.enum(['pending', 'sent', 'failed']).optional() }),
    response: z.object({ items: z.array(notice) }),
  }),
};

/** What the family page shows about one elder's safety (家属端). */
export const familySafety = z.object({
  elder: z.object({ id: z.string(), name: z.string() }),
  openAlarms: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      priority: z.string(),
      status: z.string(),
      raisedAt: z.string(),
      acknowledgedAt: z.string().nullable(),
      handledBy: z.string().nullable(),
      responder: z.object({ name: z.string(), status: z.string().nullable() }).nullable(),
    }),
  ),
  recentAlarms: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      priority: z.string(),
      raisedAt: z.string(),
      resolvedAt: z.string().nullable(),
      outcome: z.string().nullable(),
    }),
  ),
  devices: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      state: z.enum(['offline', 'low_battery', 'not_worn', 'ok']),
      battery: z.number().nullable(),
      lastSeenAt: z.string().nullable(),
      notWornSince: z.string().nullable(),
    }),
  ),
  notices: z.array(
    z.object({ id: z.string(), reason: z.string(), body: z.string(), createdAt: z.string(), readAt: z.string().nullable() }),
  ),
  noticesNeedPhone: z.boolean(),
});
export type FamilySafety = z.output<typeof familySafety>;

const familyTags = ['family'];

/**
 * The family mobile page's API: a family account sees only the elder it is bound to; any other
 * elder or notice is a 404. Staff use the alarm and notification routes instead.
 */
export const familySafetyContract = {
  listElders: route({
    method: 'GET',
    path: '/family/elders',
    permission: 'notification:read',
    tags: familyTags,
    summary: "The family member's elders",
    response: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }),
  }),
  safety: route({
    method: 'GET',
    path: '/family/elders/:elderId/safety',
    permission: 'notification:read',
    tags: familyTags,
    summary: 'Safety status, recent alarms, devices and notices of one of my elders',
    params: z.object({ elderId: z.uuid() }),
    response: familySafety,
  }),
  markNoticeRead: route({
    method: 'POST',
    path: '/family/notices/:id/read',
    permission: 'notification:read',
    audit: 'notification.read',
    tags: familyTags,
    summary: 'Mark a notice to me read',
    params: z.object({ id: z.uuid() }),
    response: { 204: z.null() },
  }),
};
