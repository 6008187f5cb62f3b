import {
  ELDER_CATEGORIES,
  ELDER_CATEGORY_LABELS_ZH,
  ID_TYPE_LABELS_ZH,
  ID_TYPES,
  LIVING_SITUATION_LABELS_ZH,
  LIVING_SITUATIONS,
  MEDICAL_INSURANCE_LABELS_ZH,
  MEDICAL_INSURANCE_TYPES,
} from '@zhiyang/shared';
import type { ElderFields } from './elders.fields.ts';

/** The import template's columns (Chinese headers, as community staff know them). */
export const SHEET_COLUMNS = [
  { key: 'name', header: '姓名', required: true },
  { key: 'idType', header: '证件类型' },
  { key: 'idNumber', header: '证件号码', required: true },
  { key: 'birthDate', header: '出生日期' },
  { key: 'sex', header: '性别' },
  { key: 'phone', header: '联系电话' },
  { key: 'regionCode', header: '居住社区编码', required: true },
  { key: 'address', header: '详细地址' },
  { key: 'hukouRegionCode', header: '户籍地区编码' },
  { key: 'hukouLocal', header: '本地户籍' },
  { key: 'livingSituation', header: '居住状况', required: true },
  { key: 'categories', header: '政策对象类别' },
  { key: 'disabilityLevel', header: '残疾等级' },
  { key: 'medicalInsurance', header: '医保类型' },
  { key: 'chronicConditions', header: '慢性病' },
  { key: 'allergies', header: '过敏史' },
  { key: 'dietRestrictions', header: '饮食禁忌' },
  { key: 'notes', header: '备注' },
  { key: 'lat', header: '纬度(WGS-84)' },
  { key: 'lng', header: '经度(WGS-84)' },
  { key: 'contactName', header: '紧急联系人' },
  { key: 'contactRelationship', header: '联系人关系' },
  { key: 'contactPhone', header: '联系人电话' },
] as const;
export type SheetKey = (typeof SHEET_COLUMNS)[number]['key'];

export const HEADER_OF = Object.fromEntries(SHEET_COLUMNS.map((c) => [c.key, c.header])) as Record<SheetKey, string>;

const byLabel = <T extends string>(codes: readonly T[], labels: Record<T, string>) => {
  const m = new Map<string, T>();
  for (const c of codes) {
    m.set(c, c);
    m.set(labels[c], c);
  }
  return m;
};
const LIVING = byLabel(LIVING_SITUATIONS, LIVING_SITUATION_LABELS_ZH);
const CATEGORY = byLabel(ELDER_CATEGORIES, ELDER_CATEGORY_LABELS_ZH);
const ID_TYPE = byLabel(ID_TYPES, ID_TYPE_LABELS_ZH);
const INSURANCE = byLabel(MEDICAL_INSURANCE_TYPES, MEDICAL_INSURANCE_LABELS_ZH);
const SEX = new Map<string, 'male' | 'female'>([
  ['男', 'male'],
  ['女', 'female'],
  ['male', 'male'],
  ['female', 'female'],
]);
const YES = new Set(['是', 'Y', 'y', '1', 'true']);
const NO = new Set(['否', 'N', 'n', '0', 'false']);
const DISABILITY = new Map([
  ['一级', 1],
  ['二级', 2],
  ['三级', 3],
  ['四级', 4],
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['4', 4],
]);

const list = (v: string) =>
  v
    .split(/[;；,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Dates as staff type them: 1942-03-05, 1942/3/5, 19420305, 1942.3.5. */
function normaliseDate(v: string): string | null {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(v);
  if (!m) return null;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

export interface SheetRow {
  fields: ElderFields;
  contact: { name: string; relationship: string; phone: string } | null;
  /** Problems found while reading cells (unknown codes …), before the record rules run. */
  problems: Array<{ column: string; message: string }>;
}

/** One spreadsheet row (cells by header) into elder fields, with Chinese messages for bad cells. */
export function readSheetRow(get: (key: SheetKey) => string): SheetRow {
  const problems: SheetRow['problems'] = [];
  const bad = (key: SheetKey, message: string) => problems.push({ column: HEADER_OF[key], message });
  const code = <T>(key: SheetKey, map: Map<string, T>, what: string): T | undefined => {
    const v = get(key);
    if (!v) return undefined;
    const c = map.get(v);
    if (c === undefined) bad(key, `${what}“${v}”不在代码表中`);
    return c;
  };
  const birthRaw = get('birthDate');
  const birthDate = birthRaw ? normaliseDate(birthRaw) : null;
  if (birthRaw && !birthDate) bad('birthDate', '出生日期格式错误（应为YYYY-MM-DD）');
  const categories: string[] = [];
  for (const c of list(get('categories'))) {
    const code = CATEGORY.get(c);
    if (code) categories.push(code);
    else bad('categories', `政策对象类别“${c}”不在代码表中`);
  }
  const num = (key: SheetKey) => {
    const v = get(key);
    if (!v) return null;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      bad(key, '应为数字');
      return null;
    }
    return n;
  };
  const hukou = get('hukouLocal');
  let hukouLocal: boolean | undefined;
  if (hukou) {
    if (YES.has(hukou)) hukouLocal = true;
    else if (NO.has(hukou)) hukouLocal = false;
    else bad('hukouLocal', '本地户籍应填“是”或“否”');
  }
  const living = get('livingSituation');
  if (!living) bad('livingSituation', '居住状况必填');
  const fields: ElderFields = {
    name: get('name'),
    idType: code('idType', ID_TYPE, '证件类型') ?? 'resident_id',
    idNumber: get('idNumber'),
    birthDate,
    sex: code('sex', SEX, '性别') ?? null,
    phone: get('phone') || null,
    regionCode: get('regionCode'),
    address: get('address') || null,
    hukouRegionCode: get('hukouRegionCode') || null,
    hukouLocal,
    livingSituation: code('livingSituation', LIVING, '居住状况') ?? 'with_family',
    categories,
    disabilityLevel: code('disabilityLevel', DISABILITY, '残疾等级') ?? null,
    medicalInsurance: code('medicalInsurance', INSURANCE, '医保类型') ?? null,
    chronicConditions: list(get('chronicConditions')),
    allergies: list(get('allergies')),
    dietRestrictions: list(get('dietRestrictions')),
    notes: get('notes') || null,
    lat: num('lat'),
    lng: num('lng'),
  };
  if (!fields.name) bad('name', '姓名必填');
  if (!fields.idNumber) bad('idNumber', '证件号码必填');
  if (!fields.regionCode) bad('regionCode', '居住社区编码必填');
  const cName = get('contactName');
  const cPhone = get('contactPhone');
  const contact = cName || cPhone ? { name: cName, relationship: get('contactRelationship') || '其他', phone: cPhone } : null;
  if (contact && (!contact.name || !contact.phone)) bad('contactPhone', '紧急联系人须同时填写姓名和电话');
  return { fields, contact, problems };
}

/** The code sheets of the template: each code with its Chinese label. */
export function codeSheetRows(communities: Array<{ code: string; name: string }>) {
  const rows: Array<Array<string>> = [];
  const section = (title: string, pairs: Array<[string, string]>) => {
    for (const [code, label] of pairs) rows.push([title, label, code]);
  };
  section(
    '证件类型',
    ID_TYPES.map((c) => [c, ID_TYPE_LABELS_ZH[c]]),
  );
  section('性别', [
    ['male', '男'],
    ['female', '女'],
  ]);
  section(
    '居住状况',
    LIVING_SITUATIONS.map((c) => [c, LIVING_SITUATION_LABELS_ZH[c]]),
  );
  section(
    '政策对象类别（可多选，用“；”分隔）',
    ELDER_CATEGORIES.map((c) => [c, ELDER_CATEGORY_LABELS_ZH[c]]),
  );
  section(
    '医保类型',
    MEDICAL_INSURANCE_TYPES.map((c) => [c, MEDICAL_INSURANCE_LABELS_ZH[c]]),
  );
  section('残疾等级', [
    ['1', '一级'],
    ['2', '二级'],
    ['3', '三级'],
    ['4', '四级'],
  ]);
  section('本地户籍', [
    ['是', '是'],
    ['否', '否'],
  ]);
  section(
    '居住社区编码',
    communities.map((c) => [c.code, c.name]),
  );
  return rows;
}
