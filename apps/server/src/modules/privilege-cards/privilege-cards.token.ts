import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The QR code of an electronic card: `<card number>.<version>.<signature>`, the signature an
 * HMAC-SHA256 (first 128 bits, base64url) over card number and version, keyed by a key derived from
 * the server's secret (SECRET_KEY) for this use only. The code holds no personal data; a reissue
 * bumps the version, so an old screenshot verifies as superseded. Changing SECRET_KEY invalidates
 * every code (the phone page shows the new one on its next load).
 */

const TOKEN = /^(\d{16})\.(\d{1,6})\.([A-Za-z0-9_-]{22})$/;

const keyOf = (secret: Buffer) => createHmac('sha256', secret).update('zhiyang/privilege-card-qr/v1').digest();
const macOf = (secret: Buffer, body: string) => createHmac('sha256', keyOf(secret)).update(body).digest().subarray(0, 16);

export function signCardToken(secret: Buffer, cardNo: string, version: number): string {
  const body = `${cardNo}.${version}`;
  return `${body}.${macOf(secret, body).toString('base64url')}`;
}

/** The card number and version of a genuine token, or null for a malformed or tampered one. */
export function readCardToken(secret: Buffer, token: string): { cardNo: string; version: number } | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[3], 'base64url');
  // One spelling per signature: the last character's 4 unused bits would otherwise give 16 codes
  // that all verify (a tampered code passing now and then).
  if (given.toString('base64url') !== m[3]) return null;
  const want = macOf(secret, `${m[1]}.${m[2]}`);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
  return { cardNo: m[1], version: Number(m[2]) };
}

/** 张秀英 → 张*英, 张三 → 张*, 欧阳秀英 → 欧**英. */
export function maskName(name: string): string {
  const c = [...name];
  if (c.length <= 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
}
