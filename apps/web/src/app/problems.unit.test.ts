import { PROBLEM_CODES } from '@zhiyang/shared';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { enUS } from '../i18n/en-US.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { ApiError } from './api.ts';
import { applyFieldErrors, fieldErrorText } from './problems.ts';

beforeAll(async () => {
  await i18next.init({ lng: 'zh-CN', fallbackLng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN } } });
});

describe('problem codes', () => {
  it('every code the server can answer with has a zh-CN and an en-US text', () => {
    const zh = zhCN.problems as Record<string, string>;
    const en = enUS.problems as Record<string, string>;
    for (const code of PROBLEM_CODES) {
      expect(zh[code], `zh-CN problems.${code}`).toMatch(/\S/);
      expect(en[code], `en-US problems.${code}`).toMatch(/\S/);
    }
  });

  it('the console has no text for a code the server does not use', () => {
    const listed = new Set<string>(PROBLEM_CODES);
    expect(Object.keys(zhCN.problems).filter((code) => !listed.has(code))).toEqual([]);
  });

  it("a field error shows the server's English message only to an English console", () => {
    expect(fieldErrorText('Too small: expected string to have >=2 characters', 'en-US')).toMatch(/Too small/);
    expect(fieldErrorText('Too small: expected string to have >=2 characters', 'zh-CN')).not.toMatch(/[A-Za-z]/);
  });

  it('a field error of a specific problem shows that problem in Chinese, a generic one the validation text', () => {
    const set: Array<{ name: string; errors: string[] }> = [];
    const form = { setFields: (f: typeof set) => set.push(...f) } as never;
    const err = (code: string) =>
      new ApiError({
        type: `https://zhiyang.dev/problems/${code}`,
        code,
        status: 422,
        title: 'Unprocessable Content',
        detail: 'not covered',
        errors: [{ path: 'body.payment', message: "not covered by the elder's points policies" }],
      } as never);
    expect(applyFieldErrors(form, err('payment-not-covered'), ['payment'], 'zh-CN')).toBe(true);
    expect(set.pop()).toEqual({ name: 'payment', errors: [zhCN.problems['payment-not-covered']] });
    applyFieldErrors(form, err('unprocessable'), ['payment'], 'zh-CN');
    expect(set.pop()?.errors[0]).not.toMatch(/[A-Za-z]/);
    applyFieldErrors(form, err('payment-not-covered'), ['payment'], 'en-US');
    expect(set.pop()).toEqual({ name: 'payment', errors: ["not covered by the elder's points policies"] });
  });
});
