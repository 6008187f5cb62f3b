import { z } from 'zod';
import { ABILITY_LEVELS, ASSESSMENT_DIMENSIONS, ASSESSMENT_REASONS, RISK_EVENTS } from '../assessment.ts';
import { listOf, pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/** Request and response schemas of the GB/T 42195-2022 ability assessments (能力评估). */

const level = z.enum(ABILITY_LEVELS);
const regionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/);
const assessmentStatus = z.enum(['draft', 'signed', 'superseded']);

const background = z.strictObject({
  coma: z.boolean(),
  dementiaOrMentalDisorder: z.boolean().describe('Diagnosed dementia or another mental disorder'),
  diagnoses: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  riskEvents30d: z.array(z.strictObject({ type: z.enum(RISK_EVENTS), count: z.number().int().min(0).max(99) })).max(10),
});
const scores = z.record(z.string(), z.number()).describe('All 26 items of GB/T 42195-2022 by key, e.g. { "eating": 4 }');

/** One assessment as the API answers it: scores, subtotals, level, signatures. */
export const assessmentSchema = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string().nullable(),
  regionCode: z.string(),
  reason: z.enum(ASSESSMENT_REASONS),
  assessedOn: z.string(),
  location: z.string().nullable(),
  background: z.object({
    coma: z.boolean(),
    dementiaOrMentalDisorder: z.boolean(),
    diagnoses: z.array(z.string()),
    riskEvents30d: z.array(z.object({ type: z.enum(RISK_EVENTS), count: z.number() })),
  }),
  scores: z.record(z.string(), z.number()),
  subtotals: z.record(z.enum(ASSESSMENT_DIMENSIONS), z.number()),
  total: z.number().int(),
  preliminaryLevel: level,
  level,
  adjustments: z.array(z.enum(['coma', 'dementia_or_mental_disorder', 'risk_events'])),
  notes: z.string().nullable(),
  status: assessmentStatus,
  locked: z.boolean(),
  correctsId: z.string().nullable(),
  correctionReason: z.string().nullable(),
  assessors: z.array(z.object({ id: z.string(), name: z.string(), signedAt: z.string() })),
  nextDue: z.string().nullable(),
  createdAt: z.string(),
});
export type Assessment = z.output<typeof assessmentSchema>;

const assessmentFields = {
  reason: z.enum(ASSESSMENT_REASONS),
  assessedOn: isoDay('past'),
  location: z.string().trim().max(100).nullable().optional(),
  background,
  scores,
  notes: z.string().max(2000).nullable().optional(),
};
export const createAssessmentBody = z.strictObject({
  elderId: z.uuid(),
  ...assessmentFields,
  correctsId: z.uuid().optional(),
  correctionReason: z.string().trim().min(2).max(500).optional(),
});
export type AssessmentInput = z.input<typeof createAssessmentBody>;

/** An active elder due for (re-)assessment. */
export const dueElder = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  abilityLevel: level.nullable(),
  nextAssessmentDue: z.string().nullable(),
  overdue: z.boolean(),
  neverAssessed: z.boolean(),
});
export type DueElder = z.output<typeof dueElder>;

export const dueSummaryRow = z.object({
  regionCode: z.string(),
  regionName: z.string().nullable(),
  overdue: z.number(),
  dueSoon: z.number(),
  neverAssessed: z.number(),
});
export type DueSummaryRow = z.output<typeof dueSummaryRow>;

const assessmentSettings = z.object({ intervalMonths: z.number() });
const id = z.object({ id: z.uuid() });
const withinDays = z.coerce.number().int().min(0).max(366).default(30);
const tags = ['assessments'];

/**
 * The assessments' JSON routes. The printable report (GET /assessments/:id/report) answers HTML,
 * not JSON: assessments.routes.ts registers it as a plain Fastify route and the web opens it
 * through `assessmentReportUrl` in apps/web/src/api/assessments.ts.
 */
export const assessmentsContract = {
  itemCatalogue: route({
    method: 'GET',
    path: '/assessments/catalogue',
    auth: 'user',
    tags,
    summary: 'The 26 items of GB/T 42195-2022 with score ranges and the wording of each level',
    response: z.array(
      z.object({
        key: z.string(),
        no: z.number(),
        dimension: z.enum(ASSESSMENT_DIMENSIONS),
        zh: z.string(),
        en: z.string(),
        definitionZh: z.string(),
        max: z.number(),
        levels: z.array(z.object({ score: z.number(), zh: z.string() })),
      }),
    ),
  }),
  listAssessments: route({
    method: 'GET',
    path: '/assessments',
    permission: 'assessment:read',
    tags,
    summary: 'Assessments in scope, newest first',
    query: pageQuery.extend({
      elderId: z.uuid().optional(),
      regionCode: regionCode.optional(),
      status: assessmentStatus.optional(),
    }),
    response: listOf(assessmentSchema),
  }),
  createAssessment: route({
    method: 'POST',
    path: '/assessments',
    permission: 'assessment:write',
    audit: 'assessment.create',
    tags,
    summary: 'Record an assessment (draft, scored on the server); `correctsId` makes it a correction of a signed one',
    body: createAssessmentBody,
    response: { 201: assessmentSchema },
  }),
  dueList: route({
    method: 'GET',
    path: '/assessments/due',
    permission: 'assessment:read',
    tags,
    summary: 'Active elders due (within `withinDays`), overdue or never assessed',
    query: pageQuery.extend({ regionCode: regionCode.optional(), withinDays }),
    response: listOf(dueElder),
  }),
  dueSummary: route({
    method: 'GET',
    path: '/assessments/due/summary',
    permission: 'assessment:read',
    tags,
    summary: 'Per community: overdue, due soon, never assessed',
    query: z.object({ regionCode: regionCode.optional(), withinDays }),
    response: z.array(dueSummaryRow),
  }),
  getSettings: route({
    method: 'GET',
    path: '/assessments/settings',
    permission: 'assessment:read',
    tags,
    summary: 'Re-assessment interval',
    response: assessmentSettings,
  }),
  setSettings: route({
    method: 'PUT',
    path: '/assessments/settings',
    permission: 'policy:write',
    audit: 'assessment.settings',
    tags,
    summary: 'Re-assessment interval (default 12 months)',
    body: z.strictObject({ intervalMonths: z.number().int().min(1).max(60) }),
    response: assessmentSettings,
  }),
  getAssessment: route({
    method: 'GET',
    path: '/assessments/:id',
    permission: 'assessment:read',
    tags,
    summary: 'One assessment',
    params: id,
    response: assessmentSchema,
  }),
  updateAssessment: route({
    method: 'PATCH',
    path: '/assessments/:id',
    permission: 'assessment:write',
    audit: 'assessment.update',
    tags,
    summary: 'Change a draft nobody has signed',
    params: id,
    body: z.strictObject(assessmentFields).partial(),
    response: assessmentSchema,
  }),
  signAssessment: route({
    method: 'POST',
    path: '/assessments/:id/sign',
    permission: 'assessment:write',
    audit: 'assessment.sign',
    tags,
    summary: 'Sign as assessor; the second, different assessor locks it and sets the elder level',
    params: id,
    response: assessmentSchema,
  }),
};
