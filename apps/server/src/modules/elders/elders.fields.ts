import {
  ELDER_CATEGORIES,
  ID_NUMBER_ERROR_EN,
  ID_NUMBER_ERROR_ZH,
  type IdTypeCode,
  isRealDate,
  type LivingSituationCode,
  type MedicalInsuranceCode,
  PHONE_PATTERN,
  parseIdNumber,
} from '@zhiyang/shared';
import { pinyin } from 'pinyin-pro';
import type { FieldCipher } from '../../lib/crypto.ts';
import { normalisePhone } from '../../lib/http.ts';
import { sealElderPrivate } from './elders.private.ts';
import type { elders } from './elders.schema.ts';

/** What a caller gives for an elder (API body or one spreadsheet row), before validation. */
export interface ElderFields {
  name: string;
  idType: IdTypeCode;
  idNumber: string;
  birthDate?: string | null;
  sex?: 'male' | 'female' | null;
  phone?: string | null;
  hukouRegionCode?: string | null;
  hukouLocal?: boolean;
  regionCode: string;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  livingSituation: LivingSituationCode;
  categories?: string[];
  disabilityLevel?: number | null;
  medicalInsurance?: MedicalInsuranceCode | null;
  chronicConditions?: string[];
  allergies?: string[];
  dietRestrictions?: string[];
  notes?: string | null;
}

/** One problem with one field, in both languages (API answers in English, import reports in Chinese). */
export interface FieldProblem {
  field: keyof ElderFields;
  en: string;
  zh: string;
}

export interface CheckedIdentity {
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
}

const isCategory = (c: string) => (ELDER_CATEGORIES as readonly string[]).includes(c) || /^other:.{1,20}$/.test(c);

/**
 * The rules of an elder record that do not need the database: GB 11643 check digit, birth date
 * and sex derived from a resident ID (a disagreeing value is an error), phone format, categories.
 */
export function checkElderFields(f: ElderFields, today = new Date()): { identity?: CheckedIdentity; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let identity: CheckedIdentity | undefined;
  const name = f.name?.trim() ?? '';
  if (name.length < 1 || name.length > 50)
    problems.push({ field: 'name', en: 'required, at most 50 characters', zh: '姓名必填，最多50字' });
  if (f.idType === 'resident_id') {
    const r = parseIdNumber(f.idNumber ?? '', today);
    if (!r.ok) problems.push({ field: 'idNumber', en: ID_NUMBER_ERROR_EN[r.error], zh: ID_NUMBER_ERROR_ZH[r.error] });
    else {
      identity = { idNumber: r.value.idNumber, birthDate: r.value.birthDate, sex: r.value.sex };
      if (f.birthDate && f.birthDate !== r.value.birthDate)
        problems.push({
          field: 'birthDate',
          en: `does not match the ID number (${r.value.birthDate})`,
          zh: `出生日期与身份证号不一致（身份证号为${r.value.birthDate}）`,
        });
      if (f.sex && f.sex !== r.value.sex)
        problems.push({ field: 'sex', en: 'does not match the ID number', zh: '性别与身份证号不一致' });
    }
  } else {
    const id = (f.idNumber ?? '').trim().toUpperCase();
    if (!/^[A-Z0-9-]{5,30}$/.test(id))
      problems.push({ field: 'idNumber', en: '5–30 letters or digits', zh: '证件号码应为5–30位字母或数字' });
    if (!f.birthDate || !isRealDate(f.birthDate, today))
      problems.push({
        field: 'birthDate',
        en: 'a real date (YYYY-MM-DD) is required for this ID type',
        zh: '出生日期必填且须为有效日期',
      });
    if (!f.sex) problems.push({ field: 'sex', en: 'required for this ID type', zh: '性别必填' });
    if (problems.length === 0 && f.birthDate && f.sex) identity = { idNumber: id, birthDate: f.birthDate, sex: f.sex };
  }
  if (f.phone && !PHONE_PATTERN.test(f.phone))
    problems.push({ field: 'phone', en: 'a mobile (11 digits) or a landline with area code', zh: '联系电话格式错误' });
  for (const c of f.categories ?? [])
    if (!isCategory(c)) problems.push({ field: 'categories', en: `unknown category ${c}`, zh: `未知的政策对象类别：${c}` });
  if ((f.lat == null) !== (f.lng == null))
    problems.push({ field: 'lat', en: 'give both latitude and longitude or neither', zh: '经纬度须同时填写' });
  return { identity, problems };
}

const pinyinCache = new Map<string, { full: string; initials: string }>();

/** Full pinyin and initials of a Chinese name, lower-case ASCII (ü as v): 张秀英 → zhangxiuying, zxy. */
export function namePinyin(name: string): { full: string; initials: string } {
  const hit = pinyinCache.get(name);
  if (hit) return hit;
  const value = computePinyin(name);
  // Names repeat a lot (imports, demo data); a bounded cache saves most of the dictionary work.
  if (pinyinCache.size > 50_000) pinyinCache.clear();
  pinyinCache.set(name, value);
  return value;
}

function computePinyin(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'removed' });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z]/g, '')).filter(Boolean);
  return { full: clean.join(''), initials: clean.map((s) => s[0]).join('') };
}

/** The encrypted, indexed and derived columns of an elder row from validated fields. */
export function encodeElder(cipher: FieldCipher, f: ElderFields, id: CheckedIdentity) {
  const py = namePinyin(f.name.trim());
  const phone = f.phone ? normalisePhone(f.phone) : null;
  const tail = (n: number) => cipher.blindIndex(id.idNumber.slice(-n), 'id_number');
  return {
    name: f.name.trim(),
    namePinyin: py.full,
    nameInitials: py.initials,
    idType: f.idType,
    idNumberEnc: cipher.encrypt(id.idNumber),
    idNumberHash: cipher.blindIndex(id.idNumber, 'id_number'),
    idTail4Hash: tail(4),
    idTail5Hash: tail(5),
    idTail6Hash: tail(6),
    birthDate: id.birthDate,
    sex: id.sex,
    phoneEnc: phone ? cipher.encrypt(phone) : null,
    phoneHash: phone ? cipher.blindIndex(phone, 'phone') : null,
    phoneTail4Hash: phone && phone.length >= 4 ? cipher.blindIndex(phone.slice(-4), 'phone') : null,
    hukouRegionCode: f.hukouRegionCode ?? null,
    hukouLocal: f.hukouLocal ?? true,
    regionCode: f.regionCode,
    lat: f.lat ?? null,
    lng: f.lng ?? null,
    livingSituation: f.livingSituation,
    categories: [...new Set(f.categories ?? [])],
    disabilityLevel: f.disabilityLevel ?? null,
    medicalInsurance: f.medicalInsurance ?? null,
    ...sealElderPrivate(cipher, {
      address: f.address ?? null,
      chronicConditions: f.chronicConditions ?? [],
      allergies: f.allergies ?? [],
      dietRestrictions: f.dietRestrictions ?? [],
      notes: f.notes ?? null,
    }),
  } satisfies Partial<typeof elders.$inferInsert>;
}
