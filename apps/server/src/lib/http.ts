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

/** The end of the street part of a Chinese address: 锦华路, 解放大街, 幸福里, 王家村, 东四胡同 … */
const STREET_END = /^.{1,12}?(?:大道|大街|胡同|路|街|道|巷|弄|里|村|屯|镇|乡)/u;

/**
 * Mask an address for lists: the street is kept, the house number and everything after it
 * (楼栋, 单元, 门牌) hidden — 锦华路1号3栋2单元 → 锦华路****. Without a street word in its first
 * characters only the first three are kept.
 */
export function maskAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const chars = [...address];
  const street = STREET_END.exec(address)?.[0];
  const kept = street ?? chars.slice(0, Math.min(3, Math.floor(chars.length / 2))).join('');
  return kept.length === address.length ? kept : `${kept}****`;
}

export const isoDate = (d: Date | null | undefined) => (d ? d.toISOString() : null);
