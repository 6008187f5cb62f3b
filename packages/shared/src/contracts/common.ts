import { z } from 'zod';
import { PROBLEM_CODES } from './problems.ts';

/** A list answer: `{ items, total }` (the API conventions' list envelope). */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
export type ListOf<T> = { items: T[]; total: number };

/**
 * A list that counts only when asked: `total` is in the answer with `?count=true` (counting scans
 * every matching row, so pages that show a total ask for it, and lookups and API clients that
 * only page need not pay for it).
 */
export const countedListOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().optional() });

/** `?count=true` asks a counted list (`countedListOf`) for its `total`. */
export const countQuery = z.object({
  count: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: also answer `total`, the number of matching rows'),
});

/** `?limit=` (default 20, max 200) and `?page=` as the API conventions say. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const fieldProblemSchema = z.object({ path: z.string(), message: z.string() });

/** Every failure's body (RFC 9457 problem+json); `code` is one of `PROBLEM_CODES`, `type` ends in it. */
export const problemSchema = z.object({
  type: z.string(),
  code: z.enum(PROBLEM_CODES),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
  errors: z.array(fieldProblemSchema).optional(),
});
export type ProblemBody = z.output<typeof problemSchema>;
export type FieldProblem = z.output<typeof fieldProblemSchema>;

/** A mobile number or an 18/15-digit resident ID number, written as one run of digits. */
export const isPhoneOrIdNumber = (s: string) => /^(?:1[3-9]\d{9}|\d{15}|\d{17}[\dXx])$/.test(s.trim());

/**
 * A new login name that is not a mobile or resident ID number: the name is written in clear into
 * every audit row the account makes and shown in lists, where such a number must not stand (the
 * phone is a field of its own, encrypted).
 */
export const loginName = (pattern: RegExp, message: string) =>
  z
    .string()
    .regex(pattern, message)
    .refine((s) => !isPhoneOrIdNumber(s), 'not a phone or ID number: it would show in clear in audit trails and lists');
