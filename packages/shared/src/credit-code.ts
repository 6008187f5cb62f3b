/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet (no I, O, Z, S, V); the last one is a check character over the first 17 with
 * weights 3^i mod 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null if one of them is not in the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why a credit code is invalid, or null when it is valid. Upper-case input expected. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return 'must be 18 characters';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return 'may only use digits and the letters A–Y without I, O, Z, S, V';
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return 'characters 3–8 must be the 6-digit region code';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'check character does not match (GB 32100)';
  return null;
}

export const isValidCreditCode = (code: string) => creditCodeProblem(code) === null;
