import type { DbOrTx } from '../../db/client.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { cstDate } from '../../lib/dates.ts';
import { maskedId } from '../elders/elders.present.ts';
import type { CardRow } from './privilege-cards.repo.ts';
import { settingsOf } from './privilege-cards.repo.ts';
import { isRenewalDue } from './privilege-cards.rules.ts';

/** An application or card as lists and the phone page show it: the ID number masked. */
export function presentCard(cipher: FieldCipher, r: CardRow, renewalWindowDays: number) {
  const c = r.card;
  const today = cstDate();
  const issued = c.status === 'issued' && c.expiresOn !== null;
  return {
    id: c.id,
    elderId: c.elderId,
    elderName: r.elderName,
    idNumberMasked: maskedId(cipher, r.idNumberEnc),
    birthDate: r.birthDate,
    regionCode: c.regionCode,
    regionName: r.regionName,
    source: c.source,
    status: c.status,
    residenceSince: c.residenceSince,
    checks: c.checkResults,
    reason: c.reason,
    cardNo: c.cardNo,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    expired: issued && (c.expiresOn as string) < today,
    version: c.version,
    renewalDue: issued && isRenewalDue(c.expiresOn as string, today, renewalWindowDays),
    renewalOf: c.renewalOf,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Present rows with their districts' renewal windows (one settings read per district). */
export async function presentCards(cipher: FieldCipher, db: DbOrTx, rows: CardRow[]) {
  const settings = await settingsOf(db, [...new Set(rows.map((r) => r.card.regionCode.slice(0, 6)))]);
  return rows.map((r) => presentCard(cipher, r, settings.get(r.card.regionCode.slice(0, 6))?.renewalWindowDays ?? 90));
}

/** One row (see presentCards). */
export async function presentOne(cipher: FieldCipher, db: DbOrTx, row: CardRow) {
  return (await presentCards(cipher, db, [row]))[0];
}
