import { z } from 'zod';
import { type DateKind, dateBounds, dateProblem, dateProblemMessage, isCalendarMonth, todayCst } from '../dates.ts';

/**
 * zod schemas for every date or time a user can send, one per kind of date (the ranges live in
 * `@zhiyang/shared` dates.ts so the web's pickers use the same rule). A value outside its range
 * is a 400 problem+json naming the field, before anything reaches PostgreSQL — whose own range
 * (no year 0, nothing past 294276) would otherwise turn it into a 500.
 */
function rangeCheck(kind: DateKind) {
  return (v: string, c: z.RefinementCtx) => {
    const today = todayCst();
    const p = dateProblem(v, kind, today);
    if (p) c.addIssue({ code: 'custom', message: dateProblemMessage(p, kind, today), input: v });
  };
}

/** A calendar day YYYY-MM-DD of this kind (birth, past, business or filter). */
export const isoDay = (kind: DateKind) => z.string().superRefine(rangeCheck(kind)).meta({ format: 'date' });

/** A month YYYY-MM whose days may be of this kind (a settlement period, a report month). */
export const isoMonth = (kind: DateKind) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'a month YYYY-MM')
    .superRefine((v, c) => {
      if (!/^\d{4}-\d{2}$/.test(v)) return; // the pattern has already said so
      const { min, max } = dateBounds(kind, todayCst());
      if (!isCalendarMonth(v)) c.addIssue({ code: 'custom', message: 'a month YYYY-MM', input: v });
      else if (v < min.slice(0, 7) || v > max.slice(0, 7))
        c.addIssue({ code: 'custom', message: `a month between ${min.slice(0, 7)} and ${max.slice(0, 7)}`, input: v });
    });

/** An ISO 8601 instant with an offset whose China-time day is of this kind (the filters' from / to / before). */
export const isoInstant = (kind: DateKind) =>
  z.iso.datetime({ offset: true }).superRefine((v, c) => {
    const t = Date.parse(v);
    if (Number.isNaN(t)) return; // the format check has already said so
    const today = todayCst();
    const p = dateProblem(todayCst(new Date(t)), kind, today);
    if (p) c.addIssue({ code: 'custom', message: dateProblemMessage(p, kind, today), input: v });
  });
