/** Codes of the elder archive (老人档案) shared by server, console and import templates. */

export const LIVING_SITUATIONS = ['alone', 'empty_nest', 'with_family', 'institution'] as const;
export type LivingSituationCode = (typeof LIVING_SITUATIONS)[number];
export const LIVING_SITUATION_LABELS_ZH: Record<LivingSituationCode, string> = {
  alone: '独居',
  empty_nest: '空巢',
  with_family: '与家人同住',
  institution: '入住机构',
};

export const ELDER_STATUSES = ['active', 'moved_away', 'in_hospital', 'deceased'] as const;
export type ElderStatusCode = (typeof ELDER_STATUSES)[number];
export const ELDER_STATUS_LABELS_ZH: Record<ElderStatusCode, string> = {
  active: '在册',
  moved_away: '迁出',
  in_hospital: '住院',
  deceased: '已故',
};

/** Policy categories (政策对象类别). Districts may add their own codes (`other:` prefix). */
export const ELDER_CATEGORIES = [
  'tekun',
  'dibao',
  'dibao_edge',
  'disabled_care',
  'severe_disability',
  'special_family',
  'entitled',
  'centenarian',
] as const;
export type ElderCategoryCode = (typeof ELDER_CATEGORIES)[number];
export const ELDER_CATEGORY_LABELS_ZH: Record<ElderCategoryCode, string> = {
  tekun: '特困/三无/五保',
  dibao: '低保',
  dibao_edge: '低保边缘',
  disabled_care: '失能',
  severe_disability: '重残',
  special_family: '计生特殊家庭',
  entitled: '优抚对象',
  centenarian: '百岁老人',
};

export const ID_TYPES = ['resident_id', 'passport', 'other'] as const;
export type IdTypeCode = (typeof ID_TYPES)[number];
export const ID_TYPE_LABELS_ZH: Record<IdTypeCode, string> = { resident_id: '居民身份证', passport: '护照', other: '其他证件' };

export const MEDICAL_INSURANCE_TYPES = ['employee', 'resident', 'none', 'other'] as const;
export type MedicalInsuranceCode = (typeof MEDICAL_INSURANCE_TYPES)[number];
export const MEDICAL_INSURANCE_LABELS_ZH: Record<MedicalInsuranceCode, string> = {
  employee: '职工医保',
  resident: '城乡居民医保',
  none: '无',
  other: '其他',
};

/** 残疾证等级 一级 (most severe) … 四级. */
export const DISABILITY_LEVELS = [1, 2, 3, 4] as const;

export const CONTACT_RELATIONSHIPS_ZH = [
  '子女',
  '配偶',
  '孙子女',
  '兄弟姐妹',
  '其他亲属',
  '邻居',
  '朋友',
  '社区工作人员',
  '其他',
];

/** A Chinese mobile (1[3-9]x, 11 digits) or a landline with area code. */
export const PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
