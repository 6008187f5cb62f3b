import { describe, expect, it } from 'vitest';
import { refusalFor, yearsBetween } from './privilege-cards.rules.ts';

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
