import { describe, expect, it } from 'vitest';
import { expiryOf, isRenewalDue, refusalFor, renewalStart, yearsBetween } from './privilege-cards.rules.ts';
import { readCardToken, signCardToken } from './privilege-cards.token.ts';

const hukou = { residenceRule: 'hukou' as const, minResidenceYears: 0 };
const either = { residenceRule: 'hukou_or_residence' as const, minResidenceYears: 5 };
const local = { birthDate: '1960-06-15', hukouLocal: true, status: 'active' };

describe('优待证 checks', () => {
  it('age 60 is reached on the birthday; 59 the day before is refused', () => {
    expect(refusalFor(local, hukou, '2020-06-14', null)).toBe('under_60');
    expect(refusalFor(local, hukou, '2020-06-15', null)).toBeNull();
    expect(yearsBetween('1964-02-29', '2024-02-28')).toBe(59);
    expect(yearsBetween('1964-02-29', '2024-02-29')).toBe(60);
  });
  it('户籍 only refuses a non-local elder; 户籍 or residence takes the years lived in the district', () => {
    const away = { ...local, hukouLocal: false };
    expect(refusalFor(away, hukou, '2025-01-01', '2000-01-01')).toBe('not_local_hukou');
    expect(refusalFor(away, either, '2025-01-01', null)).toBe('residence_too_short');
    expect(refusalFor(away, either, '2025-01-01', '2020-01-02')).toBe('residence_too_short');
    expect(refusalFor(away, either, '2025-01-01', '2020-01-01')).toBeNull();
  });
  it('an elder who died or moved away is refused', () => {
    expect(refusalFor({ ...local, status: 'deceased' }, hukou, '2025-01-01', null)).toBe('gone');
  });
});

describe('优待证 validity and renewal', () => {
  it('a card is valid N years to the day before the anniversary; 29 February ends on 28 February', () => {
    expect(expiryOf('2026-11-26')).toBe('2031-11-25');
    expect(expiryOf('2026-11-26', 3)).toBe('2029-11-25');
    expect(expiryOf('2026-11-26', 10)).toBe('2036-11-25');
    expect(expiryOf('2024-02-29', 5)).toBe('2029-02-28');
    expect(expiryOf('2024-02-29', 4)).toBe('2028-02-28');
    expect(expiryOf('2026-01-01', 1)).toBe('2026-12-31');
  });
  it('renewal is due from the window’s first day before the expiry, and for an expired card', () => {
    expect(isRenewalDue('2026-12-31', '2026-10-01', 90)).toBe(false);
    expect(isRenewalDue('2026-12-31', '2026-10-02', 90)).toBe(true);
    expect(isRenewalDue('2026-12-31', '2027-03-01', 90)).toBe(true);
    // A window of 0: from the card's last day on.
    expect(isRenewalDue('2026-12-31', '2026-12-30', 0)).toBe(false);
    expect(isRenewalDue('2026-12-31', '2026-12-31', 0)).toBe(true);
  });
  it('renewed early, the new validity starts after the old one; renewed late, today', () => {
    expect(renewalStart('2026-12-31', '2026-11-26')).toBe('2027-01-01');
    expect(renewalStart('2026-12-31', '2027-01-01')).toBe('2027-01-01');
    expect(renewalStart('2026-10-31', '2026-11-26')).toBe('2026-11-26');
  });
});

describe('优待证 QR token', () => {
  it('only the exact signature verifies: a last character that decodes to the same bytes is refused', () => {
    const key = Buffer.alloc(32, 3);
    const token = signCardToken(key, '9901012026000001', 1);
    expect(readCardToken(key, token)).toEqual({ cardNo: '9901012026000001', version: 1 });
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = ALPHABET.indexOf(token.at(-1) as string);
    // 16 bytes are 22 characters: the last one carries 2 bits and 4 unused ones; flip an unused one.
    const twin = `${token.slice(0, -1)}${ALPHABET[last ^ 1]}`;
    expect(Buffer.from(twin.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
    expect(readCardToken(key, twin)).toBeNull();
  });
});
