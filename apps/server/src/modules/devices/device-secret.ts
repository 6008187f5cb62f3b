import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { subkey } from '../../lib/crypto.ts';

/**
 * Device secrets are derived, never stored: secret = base64url(HMAC-SHA256(K, "{deviceId}:{nonce}"))
 * where K is the `device-secret` subkey of the platform's SECRET_KEY and the nonce is random per
 * issue. The database holds only the nonce, so a database dump alone reveals no secret; the HTTP
 * intake can still verify HMAC signatures (it re-derives the secret). Rotation = a new nonce.
 */
export class DeviceSecrets {
  private readonly key: Buffer;
  constructor(master: Buffer) {
    this.key = subkey(master, 'device-secret');
  }
  newNonce(): string {
    return randomBytes(16).toString('base64url');
  }
  derive(deviceId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${deviceId}:${nonce}`).digest('base64url');
  }
  matches(deviceId: string, nonce: string, presented: string | Buffer | undefined | null): boolean {
    if (presented === undefined || presented === null) return false;
    const want = Buffer.from(this.derive(deviceId, nonce));
    const got = Buffer.isBuffer(presented) ? presented : Buffer.from(presented);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

const cache = new WeakMap<Buffer, DeviceSecrets>();
export function deviceSecrets(master: Buffer): DeviceSecrets {
  let s = cache.get(master);
  if (!s) {
    s = new DeviceSecrets(master);
    cache.set(master, s);
  }
  return s;
}

/** Verify `X-Signature: sha256=<hex HMAC-SHA256("{timestamp}.{raw body}", secret)>`. */
export function signatureValid(secret: string, timestamp: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const hex = header.slice(7);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  return timingSafeEqual(mac, Buffer.from(hex, 'hex'));
}

export function sign(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}
