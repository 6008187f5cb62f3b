/**
 * The 优待证 application checks as pure functions (no database); privilege-cards.unit.test.ts pins
 * them down.
 */

export interface CardElderLike {
  birthDate: string;
  hukouLocal: boolean;
  status: string;
}
export interface CardRuleLike {
  residenceRule: 'hukou' | 'hukou_or_residence';
  minResidenceYears: number;
}
export type CardRefusal = 'under_60' | 'not_local_hukou' | 'residence_too_short' | 'gone';

export const CARD_MIN_AGE = 60;

/** Whole years from `from` to `to` (YYYY-MM-DD); a 29 February is reached on 1 March in common years. */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [y, m, d] = to.split('-').map(Number);
  return y - fy - (m < fm || (m === fm && d < fd) ? 1 : 0);
}

/**
 * Why an elder may not apply today, or null. The age is from the archive's birth date (which the
 * archive derives from the ID number); the residence rule is the district's.
 */
export function refusalFor(
  elder: CardElderLike,
  rule: CardRuleLike,
  today: string,
  residenceSince: string | null,
): CardRefusal | null {
  if (elder.status === 'deceased' || elder.status === 'moved_away') return 'gone';
  if (yearsBetween(elder.birthDate, today) < CARD_MIN_AGE) return 'under_60';
  if (elder.hukouLocal) return null;
  if (rule.residenceRule === 'hukou') return 'not_local_hukou';
  if (!residenceSince || yearsBetween(residenceSince, today) < rule.minResidenceYears) return 'residence_too_short';
  return null;
}

/** Years a card is valid unless the district says otherwise (privilege_card_settings.valid_years). */
export const CARD_VALID_YEARS = 5;
/** Days before its expiry a card may be renewed unless the district says otherwise. */
export const CARD_RENEWAL_WINDOW_DAYS = 90;

/** The last day of a card valid `years` years from `startsOn`: the day before the anniversary. */
export function expiryOf(startsOn: string, years = CARD_VALID_YEARS): string {
  const d = new Date(`${startsOn}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  // 29 February + N years lands on 1 March in a common year; the day before is 28 February.
  if (d.getUTCDate() !== day) d.setUTCDate(0);
  else d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** `day` (YYYY-MM-DD) moved by `n` days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The first day a card expiring on `expiresOn` may be renewed. */
export const renewableFrom = (expiresOn: string, windowDays: number) => addDays(expiresOn, -windowDays);

/** Whether an issued card may be renewed `today`: expired, or within the window before its expiry. */
export const isRenewalDue = (expiresOn: string, today: string, windowDays: number) =>
  today >= renewableFrom(expiresOn, windowDays);

/**
 * The first day of a renewed card's validity: today for an expired card; the day after the old
 * expiry for one renewed early, so renewing early loses none of the remaining days.
 */
export function renewalStart(oldExpiresOn: string, today: string): string {
  const next = addDays(oldExpiresOn, 1);
  return next > today ? next : today;
}

/** The card number: district (6) + year of issue (4) + the district's sequence (6). */
export const cardNumber = (district: string, year: string, seq: number) => `${district}${year}${String(seq).padStart(6, '0')}`;

/** The status after a source's answers: any failure fails; all three passed passes; else still checking. */
export function checkOutcome(results: Array<{ source: string; passed: boolean }>): 'passed' | 'failed' | 'checking' {
  if (results.some((r) => !r.passed)) return 'failed';
  const passed = new Set(results.filter((r) => r.passed).map((r) => r.source));
  return ['hrss', 'police', 'health'].every((s) => passed.has(s)) ? 'passed' : 'checking';
}
