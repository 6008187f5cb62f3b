// The list envelope, paging query and problem shape are part of the shared API contract.
export { listOf, pageQuery, problemSchema } from '@zhiyang/shared';

/** Mask a phone number for lists: 138****5678. */
/** A phone number as it is stored and blind-indexed: spaces and dashes removed. */
export const normalisePhone = (p: string) => p.replace(/[\s-]/g, '');

/** A mainland mobile number as stored (11 digits from 13x to 19x), after `normalisePhone`. */
export const isMobile = (p: string) => /^1[3-9]\d{9}$/.test(p);

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export const isoDate = (d: Date | null | undefined) => (d ? d.toISOString() : null);
