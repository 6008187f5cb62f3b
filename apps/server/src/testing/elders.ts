import type { AppContext } from '../lib/context.ts';
import { namePinyin } from '../modules/elders/elders.fields.ts';
import { type ElderPrivate, openElderRow, sealElderPrivate } from '../modules/elders/elders.private.ts';
import { elderContacts, elders } from '../modules/elders/elders.schema.ts';

/** A valid GB 11643 ID number for a birth date (ISO 7064 MOD 11-2 check character). */
export function makeIdNumber(birthDate: string, seq: number, sex: 'male' | 'female' = 'female', area = '990101'): string {
  const seq3 = (seq % 500) * 2 + (sex === 'male' ? 1 : 0);
  const body = `${area}${birthDate.replace(/-/g, '')}${String(seq3).padStart(3, '0').slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

let n = 0;

/**
 * Insert an elder straight into the archive (for tests of other modules), encrypting like the
 * elders module does. Returns the row and the clear ID number.
 */
export async function createElder(
  ctx: AppContext,
  regionCode: string,
  overrides: Partial<typeof elders.$inferInsert> & { phone?: string; birthDate?: string } & Partial<ElderPrivate> = {},
) {
  const birthDate = overrides.birthDate ?? '1940-05-12';
  const sex = overrides.sex ?? 'female';
  // Unique within a test file's database: 500 sequence numbers per sex and birth date, then the
  // next (fictional) area code.
  n++;
  const idNumber = makeIdNumber(birthDate, n % 500, sex, `99${String(Math.floor(n / 500) % 100).padStart(2, '0')}01`);
  const { phone, address, chronicConditions, allergies, dietRestrictions, notes, ...rest } = overrides;
  const name = overrides.name ?? `测试老人${n}`;
  const py = namePinyin(name);
  const tail = (k: number) => ctx.cipher.blindIndex(idNumber.slice(-k), 'id_number');
  const [row] = await ctx.db
    .insert(elders)
    .values({
      name,
      namePinyin: py.full,
      nameInitials: py.initials,
      idTail4Hash: tail(4),
      idTail5Hash: tail(5),
      idTail6Hash: tail(6),
      idNumberEnc: ctx.cipher.encrypt(idNumber),
      idNumberHash: ctx.cipher.blindIndex(idNumber, 'id_number'),
      birthDate,
      sex,
      phoneEnc: phone ? ctx.cipher.encrypt(phone) : null,
      phoneHash: phone ? ctx.cipher.blindIndex(phone, 'phone') : null,
      regionCode,
      // Sealed as the archive stores them, so a reader that skips privateBox fails its tests.
      ...sealElderPrivate(ctx.cipher, { address, chronicConditions, allergies, dietRestrictions, notes }),
      ...rest,
    })
    .returning();
  // The clear values too, as a test wrote them (the row holds them sealed).
  return { ...row, idNumber, ...openElderRow(ctx.cipher, row) };
}

export async function addContact(
  ctx: AppContext,
  elderId: string,
  c: { name: string; relationship: string; phone: string; callOrder: number; holdsKey?: boolean },
) {
  const [row] = await ctx.db
    .insert(elderContacts)
    .values({
      elderId,
      name: c.name,
      relationship: c.relationship,
      phoneEnc: ctx.cipher.encrypt(c.phone),
      phoneHash: ctx.cipher.blindIndex(c.phone, 'phone'),
      callOrder: c.callOrder,
      holdsKey: c.holdsKey ?? false,
    })
    .returning();
  return row;
}
