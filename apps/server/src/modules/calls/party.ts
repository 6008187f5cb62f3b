import type { CallParty } from '@zhiyang/shared';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { devices } from '../devices/devices.schema.ts';
import { elderContacts, elders } from '../elders/elders.schema.ts';

/**
 * Who is on the other end of a call, from the number alone (caller-ID screen pop, 弹屏).
 *
 * Numbers are personal data. They are stored exactly as the elders module stores a phone:
 * normalised, encrypted with the context's field cipher, and indexed with the keyed blind index
 * of the `phone` domain, so an elder's phone, a contact's phone and a call's caller hash to the
 * same value and one indexed equality finds them.
 */

/**
 * A number as the elder archive keeps it: spaces, dashes, dots and brackets removed, and the
 * country code (+86, 0086, 86 before an 11-digit mobile) dropped. `+86 138-0013-8000` →
 * `13800138000`; `027-8888 8888` → `02788888888`.
 */
export function normaliseNumber(raw: string): string {
  let n = raw.trim().replace(/[\s\-().]/g, '');
  if (n.startsWith('+86')) n = n.slice(3);
  else if (n.startsWith('0086')) n = n.slice(4);
  else if (/^861[3-9]\d{9}$/.test(n)) n = n.slice(2);
  return n;
}

/** The encrypted and indexed form of a number (as the elders module stores `phone_enc` / `phone_hash`). */
export function encodeNumber(cipher: FieldCipher, raw: string | null | undefined): { enc: string | null; hash: string | null } {
  if (!raw) return { enc: null, hash: null };
  const n = normaliseNumber(raw);
  if (!n) return { enc: null, hash: null };
  return { enc: cipher.encrypt(n), hash: numberHash(cipher, n) };
}

/** The blind index of a number (normalised first). */
export const numberHash = (cipher: FieldCipher, raw: string) => cipher.blindIndex(normaliseNumber(raw), 'phone');

/** A number for a list or a log: the first three and last four digits of a mobile, else the last four. */
export function maskNumber(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const n = normaliseNumber(raw);
  if (/^1\d{10}$/.test(n)) return `${n.slice(0, 3)}****${n.slice(-4)}`;
  return n.length > 4 ? `${'*'.repeat(Math.min(n.length - 4, 6))}${n.slice(-4)}` : '****';
}

/**
 * The forms a terminal's SIM may have been typed in when the device was registered (the device
 * registry keeps `sim` as entered, in clear, being the device's and not a person's number).
 */
function simForms(n: string): string[] {
  const forms = new Set([n]);
  if (/^1[3-9]\d{9}$/.test(n)) {
    forms.add(`+86${n}`);
    forms.add(`86${n}`);
    forms.add(`0086${n}`);
    forms.add(`${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`);
    forms.add(`${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`);
  }
  return [...forms];
}

/**
 * Every record this number belongs to: an elder by `elders.phone_hash` (kind `elder`), an active
 * device bound to an elder by `devices.sim` (kind `terminal`, with its elder), a contact by
 * `elder_contacts.phone_hash` (kind `contact`: 家属 of that elder). An empty list is an unknown
 * caller. Deceased elders are left out. Three indexed lookups, run at once.
 */
export async function matchParty(db: DbOrTx, cipher: FieldCipher, raw: string | null | undefined): Promise<CallParty[]> {
  if (!raw) return [];
  const n = normaliseNumber(raw);
  if (!/^\+?\d{3,20}$/.test(n)) return [];
  const hash = cipher.blindIndex(n, 'phone');
  const [asElder, asTerminal, asContact] = await Promise.all([
    db
      .select({ elderId: elders.id, elderName: elders.name, regionCode: elders.regionCode })
      .from(elders)
      .where(and(eq(elders.phoneHash, hash), ne(elders.status, 'deceased')))
      .limit(10),
    db
      .select({
        deviceId: devices.id,
        deviceType: devices.type,
        elderId: elders.id,
        elderName: elders.name,
        regionCode: elders.regionCode,
      })
      .from(devices)
      .innerJoin(elders, eq(elders.id, devices.elderId))
      .where(and(inArray(devices.sim, simForms(n)), eq(devices.status, 'active'), ne(elders.status, 'deceased')))
      .limit(10),
    db
      .select({
        contactId: elderContacts.id,
        contactName: elderContacts.name,
        relationship: elderContacts.relationship,
        elderId: elders.id,
        elderName: elders.name,
        regionCode: elders.regionCode,
      })
      .from(elderContacts)
      .innerJoin(elders, eq(elders.id, elderContacts.elderId))
      .where(and(eq(elderContacts.phoneHash, hash), ne(elders.status, 'deceased')))
      .limit(10),
  ]);
  return [
    ...asElder.map((e) => ({
      kind: 'elder' as const,
      ...e,
      deviceId: null,
      contactId: null,
      contactName: null,
      relationship: null,
    })),
    ...asTerminal.map((t) => ({
      kind: 'terminal' as const,
      elderId: t.elderId,
      elderName: t.elderName,
      regionCode: t.regionCode,
      deviceId: t.deviceId,
      contactId: null,
      contactName: null,
      relationship: null,
    })),
    ...asContact.map((c) => ({ kind: 'contact' as const, ...c, deviceId: null })),
  ];
}

/** The party a call record is filed under: the one match, or `unknown` when there are none or several to choose from. */
export function primaryParty(matches: CallParty[]): {
  partyKind: 'elder' | 'terminal' | 'contact' | 'unknown';
  elderId: string | null;
  contactId: string | null;
  deviceId: string | null;
} {
  const elderIds = new Set(matches.map((m) => m.elderId));
  if (matches.length === 0 || elderIds.size > 1) return { partyKind: 'unknown', elderId: null, contactId: null, deviceId: null };
  // One elder (perhaps through several numbers): the most direct match names the kind.
  const best = matches.find((m) => m.kind === 'terminal') ?? matches.find((m) => m.kind === 'elder') ?? (matches[0] as CallParty);
  return { partyKind: best.kind, elderId: best.elderId, contactId: best.contactId, deviceId: best.deviceId };
}
