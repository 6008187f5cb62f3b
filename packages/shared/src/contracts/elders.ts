import { z } from 'zod';
import { ABILITY_LEVELS } from '../assessment.ts';
import { ELDER_STATUSES, ID_TYPES, LIVING_SITUATIONS, MEDICAL_INSURANCE_TYPES } from '../elders.ts';
import { countedListOf, countQuery, pageQuery } from './common.ts';
import { isoDay, isoInstant } from './dates.ts';
import { route } from './route.ts';

/** Request and response schemas of the elder archive (老人档案): they validate, type and document the API. */

const community = z.string().regex(/^\d{12}$/, 'a 12-digit community code');
const regionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/);
const textList = z.array(z.string().trim().min(1).max(50)).max(30);

/** The archive search answers at most this many as `total` (then `totalCapped` is true). */
export const ELDER_SEARCH_TOTAL_CAP = 1000;

export const elderFieldsSchema = {
  name: z.string().trim().min(1).max(50),
  idType: z.enum(ID_TYPES).default('resident_id'),
  idNumber: z.string().trim().min(5).max(30),
  birthDate: isoDay('birth').nullable().optional().describe('Derived from a resident ID; if given it must agree'),
  sex: z.enum(['male', 'female']).nullable().optional().describe('Derived from a resident ID; if given it must agree'),
  phone: z.string().trim().max(20).nullable().optional(),
  hukouRegionCode: regionCode.nullable().optional(),
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
export type ElderInput = z.input<typeof createElderBody>;
const { idType: _idType, ...patchable } = elderFieldsSchema;
export const updateElderBody = z.strictObject({ ...patchable, livingSituation: z.enum(LIVING_SITUATIONS) }).partial();

/** The archive's search filters (the list and the export share them). */
export const elderFilters = z.object({
  q: z
    .string()
    .max(50)
    .optional()
    .describe('Name, pinyin initials or full pinyin, last 4–6 of the ID number, full ID number or phone'),
  regionCode: regionCode.optional(),
  category: z.string().max(30).optional(),
  livingSituation: z.enum(LIVING_SITUATIONS).optional(),
  abilityLevel: z.enum([...ABILITY_LEVELS, 'none']).optional(),
  status: z.enum(ELDER_STATUSES).optional(),
  ageMin: z.coerce.number().int().min(0).max(130).optional(),
  ageMax: z.coerce.number().int().min(0).max(130).optional(),
});
export const elderExportQuery = elderFilters.extend({ reveal: z.enum(['true', 'false']).optional() });

/** A guardian or emergency contact (监护人 / 紧急联系人), phone masked. */
export const elderContact = z.object({
  id: z.string(),
  name: z.string(),
  relationship: z.string(),
  phoneMasked: z.string(),
  callOrder: z.number().int(),
  isGuardian: z.boolean(),
  holdsKey: z.boolean(),
  notes: z.string().nullable(),
});
export type ElderContact = z.output<typeof elderContact>;

const level = z.enum(ABILITY_LEVELS).nullable();
/** One row of the archive search (masked identifiers). */
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
  /** The street only (锦华路****): the house number is on the full record. */
  addressMasked: z.string().nullable(),
  livingSituation: z.enum(LIVING_SITUATIONS),
  categories: z.array(z.string()),
  abilityLevel: level,
  status: z.enum(ELDER_STATUSES),
  nextAssessmentDue: z.string().nullable(),
});
export type ElderListItem = z.output<typeof elderListItem>;

/** One elder's record (老人档案) as the API answers it: identifiers masked, contacts included. */
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
  /** The hukou region's name when it is a region the platform knows (on the full record only). */
  hukouRegionName: z.string().nullable().optional(),
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
  contacts: z.array(elderContact),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Elder = z.output<typeof elderSchema>;

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
export type ContactInput = z.input<typeof contactBody>;

export const elderStatusBody = z.strictObject({
  status: z.enum(ELDER_STATUSES),
  date: isoDay('past').optional().describe('Date of the change (required for deceased)'),
  reason: z.string().trim().max(500).optional(),
});

export const revealBody = z.strictObject({
  fields: z.array(z.enum(['idNumber', 'phone', 'contacts'])).min(1),
  reason: z.string().trim().min(2).max(200).describe('Why the full value is needed; written to the audit trail'),
});
/** The full values a reveal answers, only the fields asked for. */
export const revealedElder = z.object({
  idNumber: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  contacts: z.array(z.object({ id: z.string(), name: z.string(), phone: z.string() })).optional(),
});
export type RevealedElder = z.output<typeof revealedElder>;

/** One line of an elder's 360° timeline. */
export const timelineEntry = z.object({
  at: z.string(),
  source: z.string(),
  kind: z.string(),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
  refId: z.string().optional(),
});
export type TimelineEntry = z.output<typeof timelineEntry>;

/** A spreadsheet import of the archive and its progress. */
export const elderImport = z.object({
  id: z.string(),
  filename: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  createdCount: z.number().int(),
  updatedCount: z.number().int(),
  /** Rows already in the archive with the same values (imported before and not changed since): not written again. */
  unchangedCount: z.number().int(),
  errorCount: z.number().int(),
  failure: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ElderImport = z.output<typeof elderImport>;

const id = z.object({ id: z.uuid() });
const contactParams = z.object({ id: z.uuid(), contactId: z.uuid() });
const contactList = z.array(elderContact);
const tags = ['elders'];

/**
 * The elder archive's JSON routes. The spreadsheet downloads (import template, error report,
 * export) are files, not JSON: elders-io.routes.ts registers them as plain Fastify routes and
 * the web opens them through the URL builders in apps/web/src/api/elders.ts.
 */
export const eldersContract = {
  listElders: route({
    method: 'GET',
    path: '/elders',
    permission: 'elder:read',
    tags,
    summary: 'Search the archive (masked identifiers)',
    query: pageQuery.extend({ ...elderFilters.shape, ...countQuery.shape }),
    response: countedListOf(elderListItem).extend({
      totalCapped: z
        .boolean()
        .optional()
        .describe(
          `with count=true: true when more than ${ELDER_SEARCH_TOTAL_CAP} match; total is then ${ELDER_SEARCH_TOTAL_CAP}`,
        ),
    }),
  }),
  createElder: route({
    method: 'POST',
    path: '/elders',
    permission: 'elder:write',
    audit: 'elder.create',
    tags,
    summary: 'Create an elder record',
    body: createElderBody,
    response: { 201: elderSchema },
  }),
  getElder: route({
    method: 'GET',
    path: '/elders/:id',
    permission: 'elder:read',
    tags,
    summary: 'One record (audited read)',
    params: id,
    response: elderSchema,
  }),
  updateElder: route({
    method: 'PATCH',
    path: '/elders/:id',
    permission: 'elder:write',
    audit: 'elder.update',
    tags,
    summary: 'Edit an elder record',
    params: id,
    body: updateElderBody,
    response: elderSchema,
  }),
  changeStatus: route({
    method: 'POST',
    path: '/elders/:id/status',
    permission: 'elder:write',
    audit: 'elder.status-change',
    tags,
    summary: 'Change status (active, moved away, in hospital, deceased); publishes elder.status-changed',
    params: id,
    body: elderStatusBody,
    response: elderSchema,
  }),
  reveal: route({
    method: 'POST',
    path: '/elders/:id/reveal',
    permission: 'elder:reveal',
    audit: 'elder.reveal',
    tags,
    summary: 'Show full ID number / phones (audited with the reason)',
    params: id,
    body: revealBody,
    response: revealedElder,
  }),
  getBrief: route({
    method: 'GET',
    path: '/elders/:id/brief',
    auth: 'user',
    tags,
    summary: 'Minimum fields for a provider or worker serving the elder through an order',
    params: id,
    response: elderBriefSchema,
  }),
  timeline: route({
    method: 'GET',
    path: '/elders/:id/timeline',
    permission: 'elder:read',
    tags,
    summary: '360° timeline merged from every registered source',
    params: id,
    query: z.object({
      before: isoInstant('filter').optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: z.object({ items: z.array(timelineEntry), nextCursor: z.string().nullable() }),
  }),
  listContacts: route({
    method: 'GET',
    path: '/elders/:id/contacts',
    permission: 'elder:read',
    tags,
    summary: "An elder's contacts in call order",
    params: id,
    response: contactList,
  }),
  addContact: route({
    method: 'POST',
    path: '/elders/:id/contacts',
    permission: 'elder:write',
    audit: 'elder.contact.create',
    tags,
    summary: 'Add a guardian or emergency contact',
    params: id,
    body: contactBody,
    response: { 201: contactList },
  }),
  updateContact: route({
    method: 'PATCH',
    path: '/elders/:id/contacts/:contactId',
    permission: 'elder:write',
    audit: 'elder.contact.update',
    tags,
    summary: 'Edit a contact',
    params: contactParams,
    body: contactBody.partial(),
    response: contactList,
  }),
  deleteContact: route({
    method: 'DELETE',
    path: '/elders/:id/contacts/:contactId',
    permission: 'elder:write',
    audit: 'elder.contact.delete',
    tags,
    summary: 'Remove a contact',
    params: contactParams,
    response: contactList,
  }),
  reorderContacts: route({
    method: 'PUT',
    path: '/elders/:id/contacts/order',
    permission: 'elder:write',
    audit: 'elder.contact.reorder',
    tags,
    summary: 'Set the call order of all contacts (used by the alarm centre)',
    params: id,
    body: z.strictObject({ ids: z.array(z.uuid()).max(10) }),
    response: contactList,
  }),
  createInviteCode: route({
    method: 'POST',
    path: '/elders/:id/invite-codes',
    auth: 'user',
    audit: 'elder.invite-code.create',
    tags,
    summary: 'A single-use family invite code (staff who may edit the elder, or the elder)',
    params: id,
    response: { 201: z.object({ code: z.string(), expiresAt: z.string() }) },
  }),
  bindFamily: route({
    method: 'POST',
    path: '/family/bind',
    auth: 'user',
    audit: 'family.bind',
    tags,
    summary: 'A family account binds to an elder with an invite code',
    body: z.strictObject({ code: z.string().trim().min(4).max(20) }),
    response: z.object({ elderId: z.string(), name: z.string() }),
  }),
  startImport: route({
    method: 'POST',
    path: '/elders/import',
    permission: 'elder:import',
    audit: false,
    noAudit: 'the import runs as a job, which records elder.import with its counts when it finishes',
    upload: true,
    tags,
    summary: 'Upload an .xlsx or .csv (multipart field "file", ≤ 100,000 rows); answers 202 with the import to poll',
    query: z.object({ wait: z.enum(['true', 'false']).optional().describe('Finish before answering (scripts)') }),
    response: { 202: elderImport },
  }),
  getImport: route({
    method: 'GET',
    path: '/elders/imports/:id',
    permission: 'elder:import',
    tags,
    summary: 'Progress of an import',
    params: id,
    response: elderImport,
  }),
};
