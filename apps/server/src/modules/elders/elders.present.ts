import { ageOn, maskIdNumber } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { isoDate, maskAddress, maskPhone } from '../../lib/http.ts';
import { openElderRow } from './elders.private.ts';
import type { ContactRow, ElderListRow, ElderRow } from './elders.repo.ts';

const DAY_MS = 86_400_000;
const CN_OFFSET_MS = 8 * 3600_000;
/** The China day last asked for, and its bounds in epoch ms: every list request asks for today. */
let knownDay = { from: 0, until: 0, day: '' };

/** Today's date in China (the district's calendar), YYYY-MM-DD. */
export function todayCn(now = Date.now()): string {
  if (now >= knownDay.from && now < knownDay.until) return knownDay.day;
  const shifted = now + CN_OFFSET_MS;
  const from = shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - CN_OFFSET_MS;
  knownDay = { from, until: from + DAY_MS, day: new Date(shifted).toISOString().slice(0, 10) };
  return knownDay.day;
}

/** A decryption failure (rotated key, damaged row) shows as masked, never as a 500. */
function safeDecrypt(cipher: FieldCipher, box: string | null): string | null {
  if (!box) return null;
  try {
    return cipher.decrypt(box);
  } catch {
    return null;
  }
}

export const maskedId = (cipher: FieldCipher, box: string | null) => maskIdNumber(safeDecrypt(cipher, box)) ?? '****';
export const maskedPhone = (cipher: FieldCipher, box: string | null) => maskPhone(safeDecrypt(cipher, box));
export const clearValue = safeDecrypt;

export function presentElderListItem(cipher: FieldCipher, r: ElderListRow) {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex as 'male' | 'female',
    birthDate: r.birthDate as string,
    age: ageOn(r.birthDate as string),
    idType: r.idType as ElderRow['idType'],
    idNumberMasked: maskedId(cipher, r.idNumberEnc),
    phoneMasked: maskedPhone(cipher, r.phoneEnc),
    regionCode: r.regionCode as string,
    regionName: r.regionName ?? null,
    addressMasked: r.addressMasked ?? maskAddress(r.plainAddress),
    livingSituation: r.livingSituation as ElderRow['livingSituation'],
    categories: r.categories ?? [],
    abilityLevel: r.abilityLevel ?? null,
    status: r.status as ElderRow['status'],
    nextAssessmentDue: r.nextAssessmentDue ?? null,
  };
}

export function presentContact(cipher: FieldCipher, c: ContactRow) {
  return {
    id: c.id,
    name: c.name,
    relationship: c.relationship,
    phoneMasked: maskedPhone(cipher, c.phoneEnc) ?? '',
    callOrder: c.callOrder,
    isGuardian: c.isGuardian,
    holdsKey: c.holdsKey,
    notes: c.notes,
  };
}

export function presentElder(cipher: FieldCipher, e: ElderRow, regionName: string | null, contacts: ContactRow[]) {
  const today = todayCn();
  const p = openElderRow(cipher, e);
  return {
    id: e.id,
    name: e.name,
    namePinyin: e.namePinyin,
    idType: e.idType,
    idNumberMasked: maskedId(cipher, e.idNumberEnc),
    birthDate: e.birthDate,
    age: ageOn(e.birthDate),
    sex: e.sex,
    phoneMasked: maskedPhone(cipher, e.phoneEnc),
    hukouRegionCode: e.hukouRegionCode,
    hukouLocal: e.hukouLocal,
    regionCode: e.regionCode,
    regionName,
    address: p.address,
    lat: e.lat,
    lng: e.lng,
    livingSituation: e.livingSituation,
    categories: e.categories,
    disabilityLevel: e.disabilityLevel,
    medicalInsurance: e.medicalInsurance,
    chronicConditions: p.chronicConditions,
    allergies: p.allergies,
    dietRestrictions: p.dietRestrictions,
    notes: p.notes,
    abilityLevel: e.abilityLevel,
    status: e.status,
    statusDate: e.statusDate,
    nextAssessmentDue: e.nextAssessmentDue,
    assessmentDue: e.status === 'active' && (e.nextAssessmentDue === null || e.nextAssessmentDue <= today),
    contacts: contacts.map((c) => presentContact(cipher, c)),
    createdAt: isoDate(e.createdAt) as string,
    updatedAt: isoDate(e.updatedAt) as string,
  };
}
