import { describe, expect, it } from 'vitest';
import { ageOn, buildIdNumber, idCheckChar, maskIdNumber, parseIdNumber } from './id-number.ts';

const today = new Date('2026-11-22T00:00:00Z');

describe('GB 11643 ID numbers', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    // The worked example of GB 11643-1999 (sequence 002: even, so female).
    const r = parseIdNumber('11010519491231002X', today);
    expect(r).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
    const maleBody = '11010219491231003';
    const m = parseIdNumber(maleBody + idCheckChar(maleBody), today);
    expect(m.ok && m.value.sex).toBe('male');
  });

  it('normalises a lower-case x and spaces', () => {
    const r = parseIdNumber(' 11010519491231002x ', today);
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });

  it('refuses a wrong check digit', () => {
    expect(parseIdNumber('110105194912310021', today)).toEqual({ ok: false, error: 'check_digit' });
  });

  it('refuses impossible and future birth dates', () => {
    const feb30 = '99010119400230001';
    expect(parseIdNumber(feb30 + idCheckChar(feb30), today)).toEqual({ ok: false, error: 'birth_date' });
    const notLeap = '99010119000229001';
    expect(parseIdNumber(notLeap + idCheckChar(notLeap), today)).toEqual({ ok: false, error: 'birth_date' });
    const leap = '99010119400229001';
    expect(parseIdNumber(leap + idCheckChar(leap), today).ok).toBe(true);
    const future = '99010120301201001';
    expect(parseIdNumber(future + idCheckChar(future), today)).toEqual({ ok: false, error: 'birth_date' });
  });

  it('refuses bad formats and area codes', () => {
    expect(parseIdNumber('1101051949123100', today)).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('11010519491231002Y', today)).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('X10105194912310020', today)).toEqual({ ok: false, error: 'format' });
    const noProvince = '00010119400101001';
    expect(parseIdNumber(noProvince + idCheckChar(noProvince), today)).toEqual({ ok: false, error: 'area' });
    const bareProvince = '11000019400101001';
    expect(parseIdNumber(bareProvince + idCheckChar(bareProvince), today)).toEqual({ ok: false, error: 'area' });
  });

  it('builds valid numbers for both sexes', () => {
    for (let seq = 0; seq < 50; seq++) {
      for (const sex of ['male', 'female'] as const) {
        const r = parseIdNumber(buildIdNumber('990101', '1938-07-09', seq, sex), today);
        expect(r.ok && r.value.sex).toBe(sex);
      }
    }
  });

  it('masks all but the area code and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber(null)).toBeNull();
  });

  it('computes age on a date, counting the birthday itself', () => {
    expect(ageOn('1946-11-22', today)).toBe(80);
    expect(ageOn('1946-11-23', today)).toBe(79);
    expect(ageOn('1944-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(81);
  });
});
