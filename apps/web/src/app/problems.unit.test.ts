import { PROBLEM_CODES } from '@zhiyang/shared';
import { describe, expect, it } from 'vitest';
import { enUS } from '../i18n/en-US.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { fieldErrorText } from './problems.ts';

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
});
