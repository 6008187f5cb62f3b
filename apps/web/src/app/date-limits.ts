import { type DateKind, dateBounds } from '@zhiyang/shared';
import type { Dayjs } from 'dayjs';

/**
 * antd `disabledDate` for a kind of date: the pickers offer the range the server enforces
 * (`@zhiyang/shared` dates.ts) — birth dates of an age 0–130, past events up to today, business
 * dates from 2000 to ten years ahead. The server stays the rule; this only saves a round trip.
 */
export const outsideRange =
  (kind: DateKind) =>
  (d: Dayjs): boolean => {
    const { min, max } = dateBounds(kind);
    const day = d.format('YYYY-MM-DD');
    return day < min || day > max;
  };
