import { describe, expect, it } from 'vitest';
import { dateBounds, dateProblem, isCalendarDate, isCalendarMonth, shiftYears } from './dates.ts';

describe('date rules per kind', () => {
  const today = '2026-11-26';

  it('knows real calendar days', () => {
    for (const d of ['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])
      expect(isCalendarDate(d), d).toBe(true);
    for (const d of [
      '2026-02-29',
      '1900-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '0000-01-01',
      '99999-01-01',
      '2026-1-1',
      'garbage',
      '',
    ])
      expect(isCalendarDate(d), d).toBe(false);
    expect(isCalendarMonth('2026-11')).toBe(true);
    for (const m of ['2026-13', '2026-00', '0000-01', '99999-01', '2026-1']) expect(isCalendarMonth(m), m).toBe(false);
  });

  it('gives each kind its range', () => {
    expect(dateBounds('birth', today)).toEqual({ min: '1896-11-26', max: today });
    expect(dateBounds('past', today)).toEqual({ min: '2000-01-01', max: today });
    expect(dateBounds('business', today)).toEqual({ min: '2000-01-01', max: '2036-11-26' });
    expect(dateBounds('filter', today)).toEqual({ min: '2000-01-01', max: '2036-11-26' });
    expect(shiftYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('refuses what makes no sense for the kind', () => {
    expect(dateProblem('1900-01-01', 'past', today)).toBe('too_early');
    expect(dateProblem('1900-01-01', 'birth', today)).toBeNull(); // 126 years old
    expect(dateProblem('1890-01-01', 'birth', today)).toBe('too_early');
    expect(dateProblem('2026-11-27', 'birth', today)).toBe('too_late');
    expect(dateProblem('2026-11-27', 'past', today)).toBe('too_late');
    expect(dateProblem('2030-06-30', 'business', today)).toBeNull();
    expect(dateProblem('2040-01-01', 'business', today)).toBe('too_late');
    expect(dateProblem('2026-02-30', 'filter', today)).toBe('format');
    expect(dateProblem('0000-01-01', 'filter', today)).toBe('format');
  });
});
