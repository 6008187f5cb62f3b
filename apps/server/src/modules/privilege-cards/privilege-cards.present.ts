import type { FieldCipher } from '../../lib/crypto.ts';
import { cstDate } from '../../lib/dates.ts';
import { maskedId } from '../elders/elders.present.ts';
import type { CardRow } from './privilege-cards.repo.ts';

/** An application or card as lists and the phone page show it: the ID number masked. */
export function presentCard(cipher: FieldCipher, r: CardRow) {
  const c = r.card;
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
    expired: c.status === 'issued' && c.expiresOn !== null && c.expiresOn < cstDate(),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
  };
}
