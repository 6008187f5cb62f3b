import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, creditCodeProblem, isValidCreditCode } from './credit-code.ts';

describe('unified social credit code (GB 32100)', () => {
  it('accepts published codes', () => {
    // Codes printed on public business licences.
    for (const c of ['91350100M000100Y43', '911100001000128350', '91110000802100433B']) expect(creditCodeProblem(c)).toBeNull();
  });

  it('computes the check character, including the 0 case', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('91350100M00010I0Y')).toBeNull();
    expect(creditCodeCheckChar('short')).toBeNull();
  });

  it('refuses a changed character, a bad length, forbidden letters and a non-numeric region', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(creditCodeProblem('91350100M000100Y4')).toMatch(/18/);
    expect(creditCodeProblem('91350100M000100IO3')).toMatch(/letters/);
    expect(creditCodeProblem('91A50100M000100Y43')).toMatch(/region/);
  });
});
