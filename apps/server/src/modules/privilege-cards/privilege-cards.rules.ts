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

/** Years a card is valid: it expires the day before the fifth anniversary of its issue. */
export const CARD_VALID_YEARS = 5;

export function expiryOf(issuedOn: string): string {
  const d = new Date(`${issuedOn}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCFullYear(d.getUTCFullYear() + CARD_VALID_YEARS);
  // 29 February + 5 years lands on 1 March; the day before is 28 February.
  if (d.getUTCDate() !== day) d.setUTCDate(0);
  else d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The card number: district (6) + year of issue (4) + the district's sequence (6). */
export const cardNumber = (district: string, year: string, seq: number) => `${district}${year}${String(seq).padStart(6, '0')}`;

/** The status after a source's answers: any failure fails; all three passed passes; else still checking. */
export function checkOutcome(results: Array<{ source: string; passed: boolean }>): 'passed' | 'failed' | 'checking' {
  if (results.some((r) => !r.passed)) return 'failed';
  const passed = new Set(results.filter((r) => r.passed).map((r) => r.source));
  return ['hrss', 'police', 'health'].every((s) => passed.has(s)) ? 'passed' : 'checking';
}
