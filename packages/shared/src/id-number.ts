/**
 * GB 11643-1999 resident ID numbers (公民身份号码): 6-digit area code, 8-digit birth date,
 * 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.
 * Pure functions shared by the server (validation) and the console (inline form errors).
 */
import { dateProblem, todayCst } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberError = 'format' | 'area' | 'birth_date' | 'check_digit';

export interface ParsedIdNumber {
  /** Normalised: upper-case X. */
  idNumber: string;
  areaCode: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  sex: 'male' | 'female';
}

/** Chinese messages for each failure, used in import error reports and the console. */
export const ID_NUMBER_ERROR_ZH: Record<IdNumberError, string> = {
  format: '身份证号格式错误（应为18位，最后一位可为X）',
  area: '身份证号地区码错误',
  birth_date: '身份证号中的出生日期不存在',
  check_digit: '身份证号校验位错误',
};

export const ID_NUMBER_ERROR_EN: Record<IdNumberError, string> = {
  format: 'must be 18 characters: 17 digits and a digit or X',
  area: 'the area code is not valid',
  birth_date: 'the birth date in the ID number does not exist',
  check_digit: 'the check digit is wrong',
};

/** The check character for the first 17 digits. */
export function idCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function normaliseIdNumber(raw: string): string {
  return raw.trim().replace(/\s+/g, '').toUpperCase();
}

/** Is `yyyy-mm-dd` a real birth date: a calendar day, age 0–130, not in the future (see dates.ts)? */
export function isRealDate(iso: string, today = new Date()): boolean {
  return dateProblem(iso, 'birth', todayCst(today)) === null;
}

/** Parse and validate a resident ID number; the birth date and sex derive from it. */
export function parseIdNumber(
  raw: string,
  today = new Date(),
): { ok: true; value: ParsedIdNumber } | { ok: false; error: IdNumberError } {
  const id = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, error: 'format' };
  const area = id.slice(0, 6);
  // Province codes run 11–82 (99 is the fictional demo district); a bare province code is no address.
  const province = Number(area.slice(0, 2));
  if (province < 11 || (province > 82 && province !== 99) || area.endsWith('0000')) return { ok: false, error: 'area' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birthDate, today)) return { ok: false, error: 'birth_date' };
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, error: 'check_digit' };
  return { ok: true, value: { idNumber: id, areaCode: area, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' } };
}

/** A valid ID number from its parts (tests, demo data). `seq` 0–499 gives the sequence for the sex. */
export function buildIdNumber(area: string, birthDate: string, seq: number, sex: 'male' | 'female'): string {
  const seq3 = String(((seq % 500) * 2 + (sex === 'male' ? 1 : 0)) % 1000).padStart(3, '0');
  const body = `${area}${birthDate.replace(/-/g, '')}${seq3}`;
  return body + idCheckChar(body);
}

/** 110101********1234: area code and the last four characters stay visible. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  if (id.length <= 10) return `${id.slice(0, 2)}${'*'.repeat(Math.max(0, id.length - 2))}`;
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Age in whole years on `on` (default today), from an ISO birth date. Never stored. */
export function ageOn(birthDate: string, on = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  const oy = on.getUTCFullYear();
  const om = on.getUTCMonth() + 1;
  const od = on.getUTCDate();
  return oy - y - (om < m || (om === m && od < d) ? 1 : 0);
}
