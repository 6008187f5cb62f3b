import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** Derive a purpose-specific subkey so one secret never serves two purposes. */
export function subkey(master: Buffer, purpose: string): Buffer {
  return createHmac('sha256', master).update(`zhiyang:${purpose}`).digest();
}

export const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** A random token for sessions and one-time codes (URL-safe). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * Field encryption at rest: AES-256-GCM, output `v1:<iv>:<tag>:<ciphertext>` in base64url.
 * Used for ID numbers, phones and other sensitive personal data (PIPL).
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;
  constructor(master: Buffer) {
    this.encKey = subkey(master, 'field-encryption');
    this.indexKey = subkey(master, 'blind-index');
  }
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
  }
  decrypt(box: string): string {
    const [v, iv, tag, ct] = box.split(':');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not an encrypted field');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }
  /** Keyed blind index (HMAC-SHA256) for exact lookup without storing the value. */
  blindIndex(value: string, domain = 'default'): string {
    return createHmac('sha256', this.indexKey).update(`${domain}:${value}`).digest('hex');
  }
}
