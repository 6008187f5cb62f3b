import { z } from 'zod';
import { dispatchCandidate } from './orders.ts';

/**
 * Why an order went to its provider (a service order's `dispatchExplain`), as data the console
 * renders in the user's language: the chosen candidate's factors with their numbers (distance to
 * the nearest site, rating, the day's load, the slot's bookings, the score) and how many providers
 * were ranked; or, for a manual dispatch, the operator's reason. `why` is the same in plain English
 * for API users. Fields are optional: orders dispatched before a field existed (and demo orders)
 * lack it; the console shows what is there.
 */
export const dispatchExplanation = z.looseObject({
  why: z.string().optional().describe('The explanation as one plain English sentence, for API users'),
  mode: z.enum(['auto', 'manual']).optional(),
  /** How many providers were ranked (the chosen one included). */
  candidateCount: z.number().int().optional(),
  weights: z.object({ distance: z.number(), rating: z.number(), load: z.number() }).optional(),
  chosen: dispatchCandidate.optional(),
  runnersUp: z.array(dispatchCandidate).optional(),
  /** Manual dispatch: the operator's reason, and the provider it replaced. */
  reason: z.string().optional(),
  overrides: z.string().nullable().optional(),
});
export type DispatchExplanation = z.output<typeof dispatchExplanation>;

/** Reads a stored explanation; anything that does not fit gives only its `why` (or nothing). */
export function readDispatchExplanation(value: unknown): DispatchExplanation | null {
  if (!value || typeof value !== 'object') return null;
  const parsed = dispatchExplanation.safeParse(value);
  if (parsed.success) return parsed.data;
  const why = (value as { why?: unknown }).why;
  return typeof why === 'string' ? { why } : null;
}
