import { ABILITY_LEVELS, ELDER_STATUSES, ID_TYPES, LIVING_SITUATIONS, MEDICAL_INSURANCE_TYPES } from '@zhiyang/shared';
import { z } from 'zod';
import { isoDay } from '../../lib/dates.ts';
import { pageQuery } from '../../lib/http.ts';

/** Request and response schemas of the elder archive: they validate, type and document the API. */

const community = z.string().regex(/^\d{12}$/, 'a 12-digit community code');
const textList = z.array(z.string().trim().min(1).max(50)).max(30);

export const elderFieldsSchema = {
  name: z.string().trim().min(1).max(50),
  idType: z.enum(ID_TYPES).default('resident_id'),
  idNumber: z.string().trim().min(5).max(30),
  birthDate: isoDay('birth').nullable().optional().describe('Derived from a resident ID; if given it must agree'),
  sex: z.enum(['male', 'female']).nullable().optional().describe('Derived from a resident ID; if given it must agree'),
  phone: z.string().trim().max(20).nullable().optional(),
  hukouRegionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/)
    .nullable()
    .optional(),
  hukouLocal: z.boolean().optional(),
  regionCode: community.describe('Community of actual residence'),
  address: z.string().trim().max(200).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional().describe('WGS-84'),
  lng: z.number().min(-180).max(180).nullable().optional().describe('WGS-84'),
  livingSituation: z.enum(LIVING_SITUATIONS),
  categories: z.array(z.string().max(30)).max(20).optional(),
  disabilityLevel: z.number().int().min(1).max(4).nullable().optional(),
  medicalInsurance: z.enum(MEDICAL_INSURANCE_TYPES).nullable().optional(),
  chronicConditions: textList.optional(),
  allergies: textList.optional(),
  dietRestrictions: textList.optional(),
  notes: z.string().max(2000).nullable().optional(),
};
export const createElderBody = z.strictObject(elderFieldsSchema);
const { idType: _idType, ...patchable } = elderFieldsSchema;
export const updateElderBody = z.strictObject({ ...patchable, livingSituation: z.enum(LIVING_SITUATIONS) }).partial();

export const elderFilters = z.object({
  q: z
    .string()
    .max(50)
    .optional()
    .describe('Name, pinyin initials or full pinyin, last 4–6 of the ID number, full ID number or phone'),
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/)
    .optional(),
  category: z.string().max(30).optional(),
  livingSituation: z.enum(LIVING_SITUATIONS).optional(),
  abilityLevel: z.enum([...ABILITY_LEVELS, 'none']).optional(),
  status: z.enum(ELDER_STATUSES).optional(),
  ageMin: z.coerce.number().int().min(0).max(130).optional(),
  ageMax: z.coerce.number().int().min(0).max(130).optional(),
});
export const elderListQuery = pageQuery.extend(elderFilters.shape);

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  relationship: z.string(),
  phoneMasked: z.string(),
  callOrder: z.number().int(),
  isGuardian: z.boolean(),
  holdsKey: z.boolean(),
  notes: z.string().nullable(),
});

const level = z.enum(ABILITY_LEVELS).nullable();
export const elderListItem = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  age: z.number().int(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  livingSituation: z.enum(LIVING_SITUATIONS),
  categories: z.array(z.string()),
  abilityLevel: level,
  status: z.enum(ELDER_STATUSES),
  nextAssessmentDue: z.string().nullable(),
});

export const elderSchema = z.object({
  id: z.string(),
  name: z.string(),
  namePinyin: z.string().nullable(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  sex: z.enum(['male', 'female']),
  phoneMasked: z.string().nullable(),
  hukouRegionCode: z.string().nullable(),
  hukouLocal: z.boolean(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  livingSituation: z.enum(LIVING_SITUATIONS),
  categories: z.array(z.string()),
  disabilityLevel: z.number().int().nullable(),
  medicalInsurance: z.enum(MEDICAL_INSURANCE_TYPES).nullable(),
  chronicConditions: z.array(z.string()),
  allergies: z.array(z.string()),
  dietRestrictions: z.array(z.string()),
  notes: z.string().nullable(),
  abilityLevel: level,
  status: z.enum(ELDER_STATUSES),
  statusDate: z.string().nullable(),
  nextAssessmentDue: z.string().nullable(),
  assessmentDue: z.boolean(),
  contacts: z.array(contactSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const elderBriefSchema = elderSchema.pick({
  id: true,
  name: true,
  sex: true,
  age: true,
  phoneMasked: true,
  regionCode: true,
  regionName: true,
  address: true,
  lat: true,
  lng: true,
  livingSituation: true,
  allergies: true,
  dietRestrictions: true,
  abilityLevel: true,
  status: true,
});

export const contactBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  relationship: z.string().trim().min(1).max(20),
  phone: z.string().trim().min(5).max(20),
  callOrder: z.number().int().min(1).max(10).optional(),
  isGuardian: z.boolean().optional(),
  holdsKey: z.boolean().optional(),
  notes: z.string().max(500).nullable().optional(),
});

export const statusBody = z.strictObject({
  status: z.enum(ELDER_STATUSES),
  date: isoDay('past').optional().describe('Date of the change (required for deceased)'),
  reason: z.string().trim().max(500).optional(),
});

export const revealBody = z.strictObject({
  fields: z.array(z.enum(['idNumber', 'phone', 'contacts'])).min(1),
  reason: z.string().trim().min(2).max(200).describe('Why the full value is needed; written to the audit trail'),
});

export const timelineEntry = z.object({
  at: z.string(),
  source: z.string(),
  kind: z.string(),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
  refId: z.string().optional(),
});

export const idParam = z.object({ id: z.uuid() });
export const contactParam = z.object({ id: z.uuid(), contactId: z.uuid() });
