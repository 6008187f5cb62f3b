import { z } from 'zod';
import { PAYMENT_METHODS } from '../service.ts';
import { serviceItem } from './catalogue.ts';
import { listOf } from './common.ts';
import { ltcBookingCover } from './health-records.ts';
import { route } from './route.ts';

/** The free time slots of the next days for one item at one elder's home (orders/free-slots.service.ts). */
export const freeSlots = z.object({
  elderId: z.string(),
  itemId: z.string(),
  days: z.number().int(),
  slots: z.array(
    z.object({
      start: z.string(),
      end: z.string(),
      /** YYYY-MM-DD, China time. */
      day: z.string(),
      /** Places left across the providers that could take the order. */
      free: z.number().int(),
    }),
  ),
});
export type FreeSlots = z.output<typeof freeSlots>;

/**
 * The district service centre's hotline (服务中心电话): the 呼叫服务中心 button of the elder and
 * family pages dials it. 12349 is the national elder-care hotline; the district sets its own.
 */
export const serviceHotline = z.strictObject({
  hotline: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9-]{2,19}$/, 'digits, with - allowed'),
});
export type ServiceHotline = z.output<typeof serviceHotline>;

/**
 * A catalogue item the elder may book, and how it is paid: `points` or `purchase` (purchased
 * credit) when one of the elder's policies covers it, `self` (自费, the reference price) otherwise.
 */
export const bookableItem = serviceItem.extend({
  payment: z.enum(PAYMENT_METHODS),
  /** The 长护险 policy that pays it for this elder (enrolled, in its package, room this month). */
  ltc: ltcBookingCover.nullable().optional(),
});
export type BookableItem = z.output<typeof bookableItem>;

const tags = ['service-orders'];

/** What the elder and family pages need to book and to reach the service centre. */
export const bookingContract = {
  freeSlots: route({
    method: 'GET',
    path: '/service-orders/free-slots',
    permission: 'order:create',
    tags,
    summary: "Free time slots of the next 7 days for an item at the elder's home, counted as dispatch counts them",
    query: z.object({ elderId: z.uuid(), itemId: z.uuid() }),
    response: freeSlots,
  }),
  bookableItems: route({
    method: 'GET',
    path: '/service-orders/bookable-items',
    permission: 'order:create',
    tags,
    summary: "The catalogue items the elder's policies cover (paid with points or purchased credit), then the rest as self-paid",
    query: z.object({ elderId: z.uuid() }),
    response: listOf(bookableItem),
  }),
  getHotline: route({
    method: 'GET',
    path: '/service-hotline',
    auth: 'user',
    tags,
    summary: "The district service centre's hotline the phone pages dial (default 12349)",
    response: serviceHotline,
  }),
  setHotline: route({
    method: 'PUT',
    path: '/service-hotline',
    permission: 'settlement:approve',
    audit: 'service-hotline.update',
    tags,
    summary: "Set the district service centre's hotline (district admin)",
    body: serviceHotline,
    response: serviceHotline,
  }),
};
