import type { FormInstance } from 'antd';
import i18next, { type TFunction } from 'i18next';
import { ApiError } from './api.ts';

/**
 * The sentence to show for a failed call: the text for its code (every code in PROBLEM_CODES has
 * one, zh-CN and en-US). A code this console does not know (a newer server) falls back to the
 * server's English `detail` only when the console speaks English; in Chinese to a generic sentence.
 */
export function problemText(err: unknown, t: TFunction, language = i18next.language): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('common.networkError');
    const known = err.code ? t(`problems.${err.code}`, { defaultValue: '' }) : '';
    if (known) return known;
    if (language?.startsWith('en')) return err.problem.detail || err.problem.title || t('common.unknownError');
  }
  return t('common.unknownError');
}

/**
 * The text to put under a form field for one of the server's field errors: its own (English)
 * message only in English; in Chinese the field is marked with the validation text, never English.
 */
export function fieldErrorText(message: string, language = i18next.language): string {
  if (language?.startsWith('en')) return message;
  // zod's range messages ("Too big: expected number to be <=49", "… string to have <=50 characters")
  // carry the limit a person needs: say it in Chinese. Anything else gets the validation text.
  const range = /(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)/.exec(message);
  if (range) {
    const length = /characters|items/.test(message);
    const key = length
      ? range[1].startsWith('<')
        ? 'maxLength'
        : 'minLength'
      : ({ '<=': 'max', '>=': 'min', '<': 'below', '>': 'above' } as const)[range[1] as '<=' | '>=' | '<' | '>'];
    return i18next.t(`common.fieldRange.${key}`, { n: range[2] });
  }
  return i18next.t('problems.validation');
}

/** Codes that say only "something in the input": a field error under them gets its own text. */
const GENERIC_CODES = new Set(['validation', 'bad-request', 'unprocessable', 'conflict', 'invalid-json']);

/**
 * Put the server's field errors (`errors[].path` such as `body.username`) on the
 * matching form fields. Returns true when every field error found a field, so the
 * caller knows whether it still has to show the problem's `detail` elsewhere. A Chinese console
 * shows a problem with a specific code (`payment-not-covered` …) by that code's text on the field.
 */
export function applyFieldErrors(
  form: FormInstance,
  err: unknown,
  fields: readonly string[],
  language = i18next.language,
): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
  const code = err.code;
  const specific =
    !language?.startsWith('en') && code && !GENERIC_CODES.has(code)
      ? i18next.t(`problems.${code}`, { lng: language, defaultValue: '' })
      : '';
  let allMapped = true;
  const byField = new Map<string, string[]>();
  for (const { path, message } of err.problem.errors) {
    const name = path.replace(/^(body|query|params)\./, '').split('.')[0];
    if (!fields.includes(name)) {
      allMapped = false;
      continue;
    }
    byField.set(name, [...new Set([...(byField.get(name) ?? []), specific || fieldErrorText(message, language)])]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return allMapped;
}
