import { z } from 'zod';
import { isoInstant } from './dates.ts';
import { route } from './route.ts';

/**
 * Call-centre reports (呼叫中心报表): inbound service level, volumes per hour / day / month,
 * categories, agents and repeat callers; the live figures for the command-centre screen. Times
 * are seconds; shares are percentages with one decimal, null when there is nothing to divide.
 */
export const CALL_REPORT_BUCKETS = ['hour', 'day', 'month'] as const;

export const callReportQuery = z.object({
  from: isoInstant('filter').optional(),
  to: isoInstant('filter').optional(),
  bucket: z.enum(CALL_REPORT_BUCKETS).default('day'),
});

const seconds = z.number().nullable();
const pct = z.number().nullable();

export const inboundTotals = z.object({
  offered: z.number().int(),
  answered: z.number().int(),
  /** Hung up while waiting in the queue, before any agent answered. */
  abandoned: z.number().int(),
  /** Ended unanswered otherwise (no answer, busy, failed) or still without an outcome. */
  unanswered: z.number().int(),
  answeredWithin15s: z.number().int(),
  answeredWithin60s: z.number().int(),
  answeredWithin180s: z.number().int(),
  /** Answered within 15 / 60 / 180 s as a share of all offered calls. */
  pctWithin15s: pct,
  pctWithin60s: pct,
  pctWithin180s: pct,
  pctAbandoned: pct,
  avgWaitSeconds: seconds,
  p90WaitSeconds: seconds,
  avgTalkSeconds: seconds,
  p90TalkSeconds: seconds,
  avgWrapUpSeconds: seconds,
  p90WrapUpSeconds: seconds,
});
export type InboundTotals = z.output<typeof inboundTotals>;

export const inboundReport = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(CALL_REPORT_BUCKETS),
  totals: inboundTotals,
  /** Per hour, day or month (China time), the bucket's first instant; only buckets with calls. */
  buckets: z.array(
    z.object({ start: z.string(), offered: z.number().int(), answered: z.number().int(), abandoned: z.number().int() }),
  ),
  /** Answered inbound calls per top-level category; uncategorised calls under code null. */
  byCategory: z.array(z.object({ code: z.string().nullable(), name: z.string().nullable(), calls: z.number().int(), pct })),
  byAgent: z.array(
    z.object({
      userId: z.string(),
      name: z.string().nullable(),
      answered: z.number().int(),
      avgTalkSeconds: seconds,
      avgWrapUpSeconds: seconds,
    }),
  ),
  /** Numbers that called more than once in the period, and how many calls they made. */
  repeatCallers: z.object({ numbers: z.number().int(), calls: z.number().int() }),
  targets: z.object({ pctWithin15s: z.number(), pctWithin60s: z.number() }),
});
export type InboundReport = z.output<typeof inboundReport>;

/** Right now and today (China time): for the agents' wall and the command-centre screen. */
export const callLive = z.object({
  waiting: z.number().int(),
  longestWaitSeconds: z.number().int().nullable(),
  offeredToday: z.number().int(),
  answeredToday: z.number().int(),
  pctWithin60sToday: pct,
  at: z.string(),
});
export type CallLive = z.output<typeof callLive>;

const tags = ['call-reports'];

export const callReportsContract = {
  inbound: route({
    method: 'GET',
    path: '/call-reports/inbound',
    permission: 'call:read',
    tags,
    summary: 'Inbound calls: service level, volumes per bucket, categories, agents, repeat callers',
    query: callReportQuery,
    response: inboundReport,
  }),
  live: route({
    method: 'GET',
    path: '/call-reports/live',
    permission: 'call:read',
    tags,
    summary: 'Calls waiting now, and answered today with the 60 s service level',
    response: callLive,
  }),
} as const;
