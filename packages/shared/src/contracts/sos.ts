import { z } from 'zod';
import { route } from './route.ts';

/** The elder's own SOS (一键呼救 on the phone page): the alarm it raised and its cancel window. */
export const sosAnswer = z.object({
  alarmId: z.string(),
  /** P1 while raised; P3 once cancelled within the window. */
  priority: z.enum(['P1', 'P2', 'P3']),
  status: z.string(),
  /** Until this instant a cancel turns the alarm into a cancelled SOS (same window as a pendant). */
  cancelUntil: z.string(),
  /** Whether this call cancelled it (cancel only). */
  cancelled: z.boolean(),
});
export type SosAnswer = z.output<typeof sosAnswer>;

const tags = ['alarms'];

/**
 * The elder page's SOS button: the same alarm a pendant's SOS raises (type sos, P1, the elder's
 * rules, merge and escalation), through the alarms service the device intake uses.
 */
export const sosContract = {
  raiseSos: route({
    method: 'POST',
    path: '/alarms/sos',
    permission: 'alarm:sos',
    audit: 'alarm.sos',
    tags,
    summary: "The elder calls for help from the phone page: a P1 SOS alarm for the elder's own archive",
    body: z.strictObject({}).optional(),
    response: { 201: sosAnswer },
  }),
  cancelSos: route({
    method: 'POST',
    path: '/alarms/sos/cancel',
    permission: 'alarm:sos',
    audit: 'alarm.sos-cancel',
    tags,
    summary: "Cancel the elder's own open SOS: within the window it becomes a cancelled SOS (P3); later it is noted only",
    body: z.strictObject({}).optional(),
    response: sosAnswer,
  }),
};
