import { z } from 'zod';
import { ALARM_PRIORITIES } from './alarms.ts';
import { route } from './route.ts';

export const DISPATCH_STATUSES = ['offered', 'accepted', 'declined', 'en_route', 'on_site', 'done', 'withdrawn'] as const;

/** A responder (响应人员) near an alarm: distance and last-seen time. */
export const responder = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.string(),
  busy: z.boolean(),
  lastSeenAt: z.string(),
  distanceM: z.number().nullable(),
});
export type Responder = z.output<typeof responder>;

const dutyStatus = z.object({
  onDuty: z.boolean(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  seenAt: z.string(),
});

/** One alarm a responder has been sent to, with the address and a navigation link. */
export const responderTask = z.object({
  dispatchId: z.string(),
  status: z.enum(DISPATCH_STATUSES),
  alarmId: z.string(),
  alarmType: z.string(),
  priority: z.enum(ALARM_PRIORITIES),
  raisedAt: z.string(),
  elderName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  navigationUrl: z.string().nullable(),
});
export type ResponderTask = z.output<typeof responderTask>;

export const DISPATCH_STEPS = ['accept', 'decline', 'en-route', 'on-site', 'done'] as const;
export type DispatchStep = (typeof DISPATCH_STEPS)[number];

const tags = ['responders'];

/** Responders: the nearest ones for an operator, and the worker page's duty state and tasks. */
export const respondersContract = {
  nearest: route({
    method: 'GET',
    path: '/responders',
    permission: 'alarm:handle',
    tags,
    summary: 'Available responders nearest to an alarm (distance and last-seen time)',
    query: z.object({ alarmId: z.uuid(), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    response: z.object({ items: z.array(responder) }),
  }),
  reportStatus: route({
    method: 'PUT',
    path: '/responders/me',
    permission: 'alarm:respond',
    audit: 'responder.status',
    tags,
    summary: 'Share on-duty state and position from the worker page',
    body: z.strictObject({
      onDuty: z.boolean(),
      lat: z.number().min(-90).max(90).optional(),
      lng: z.number().min(-180).max(180).optional(),
      accuracy: z.number().min(0).max(100_000).optional(),
    }),
    response: dutyStatus,
  }),
  myTasks: route({
    method: 'GET',
    path: '/responders/me/tasks',
    permission: 'alarm:respond',
    tags,
    summary: "The responder's own active tasks and duty state",
    response: z.object({ status: dutyStatus.nullable(), items: z.array(responderTask) }),
  }),
  updateDispatch: route({
    method: 'POST',
    path: '/alarm-dispatches/:id/:status',
    permission: 'alarm:respond',
    audit: 'alarm.respond',
    tags,
    summary: 'Accept, decline, en route, on site, done',
    params: z.object({ id: z.uuid(), status: z.enum(DISPATCH_STEPS) }),
    response: z.object({ id: z.string(), status: z.string() }),
  }),
};
