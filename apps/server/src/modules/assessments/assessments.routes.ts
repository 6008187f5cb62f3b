import { ABILITY_LEVELS, ASSESSMENT_DIMENSIONS, ASSESSMENT_ITEMS, ASSESSMENT_REASONS, RISK_EVENTS } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoDay } from '../../lib/dates.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import { assessmentReportHtml, REPORT_SCRIPT_HASHES } from './assessments.report.ts';
import * as service from './assessments.service.ts';

const tags = ['assessments'];
const level = z.enum(ABILITY_LEVELS);
const background = z.strictObject({
  coma: z.boolean(),
  dementiaOrMentalDisorder: z.boolean().describe('Diagnosed dementia or another mental disorder'),
  diagnoses: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  riskEvents30d: z.array(z.strictObject({ type: z.enum(RISK_EVENTS), count: z.number().int().min(0).max(99) })).max(10),
});
const scores = z.record(z.string(), z.number()).describe('All 26 items of GB/T 42195-2022 by key, e.g. { "eating": 4 }');
const assessmentSchema = z.object({
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
  status: z.enum(['draft', 'signed', 'superseded']),
  locked: z.boolean(),
  correctsId: z.string().nullable(),
  correctionReason: z.string().nullable(),
  assessors: z.array(z.object({ id: z.string(), name: z.string(), signedAt: z.string() })),
  nextDue: z.string().nullable(),
  createdAt: z.string(),
});
const idParam = z.object({ id: z.uuid() });
const fields = {
  reason: z.enum(ASSESSMENT_REASONS),
  assessedOn: isoDay('past'),
  location: z.string().trim().max(100).nullable().optional(),
  background,
  scores,
  notes: z.string().max(2000).nullable().optional(),
};

export const assessmentRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/assessments/catalogue',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'The 26 items of GB/T 42195-2022 with score ranges and the wording of each level',
        response: {
          200: z.array(
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
        },
      },
    },
    async () => ASSESSMENT_ITEMS.map((i) => ({ ...i })),
  );
  app.get(
    '/assessments',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        querystring: pageQuery.extend({
          elderId: z.uuid().optional(),
          regionCode: z
            .string()
            .regex(/^\d{6}(\d{3}){0,2}$/)
            .optional(),
          status: z.enum(['draft', 'signed', 'superseded']).optional(),
        }),
        response: { 200: listOf(assessmentSchema) },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return service.listAssessments(ctx, actorOf(req), f, limit, page);
    },
  );
  app.post(
    '/assessments',
    {
      config: { audit: 'assessment.create', permission: 'assessment:write' },
      schema: {
        tags,
        summary: 'Record an assessment (draft, scored on the server); `correctsId` makes it a correction of a signed one',
        body: z.strictObject({
          elderId: z.uuid(),
          ...fields,
          correctsId: z.uuid().optional(),
          correctionReason: z.string().trim().min(2).max(500).optional(),
        }),
        response: { 201: assessmentSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createAssessment(ctx, actorOf(req), req.body)),
  );
  app.get(
    '/assessments/due',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        summary: 'Active elders due (within `withinDays`), overdue or never assessed',
        querystring: pageQuery.extend({
          regionCode: z
            .string()
            .regex(/^\d{6}(\d{3}){0,2}$/)
            .optional(),
          withinDays: z.coerce.number().int().min(0).max(366).default(30),
        }),
        response: {
          200: listOf(
            z.object({
              id: z.string(),
              name: z.string(),
              regionCode: z.string(),
              regionName: z.string().nullable(),
              abilityLevel: level.nullable(),
              nextAssessmentDue: z.string().nullable(),
              overdue: z.boolean(),
              neverAssessed: z.boolean(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const { limit, page, regionCode, withinDays } = req.query;
      return service.dueList(ctx, actorOf(req), regionCode, withinDays, limit, page);
    },
  );
  app.get(
    '/assessments/due/summary',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        summary: 'Per community: overdue, due soon, never assessed',
        querystring: z.object({
          regionCode: z
            .string()
            .regex(/^\d{6}(\d{3}){0,2}$/)
            .optional(),
          withinDays: z.coerce.number().int().min(0).max(366).default(30),
        }),
        response: {
          200: z.array(
            z.object({
              regionCode: z.string(),
              regionName: z.string().nullable(),
              overdue: z.number(),
              dueSoon: z.number(),
              neverAssessed: z.number(),
            }),
          ),
        },
      },
    },
    async (req) => service.dueSummary(ctx, actorOf(req), req.query.regionCode, req.query.withinDays),
  );
  app.get(
    '/assessments/settings',
    { config: { permission: 'assessment:read' }, schema: { tags, response: { 200: z.object({ intervalMonths: z.number() }) } } },
    async () => service.getSettings(ctx),
  );
  app.put(
    '/assessments/settings',
    {
      config: { audit: 'assessment.settings', permission: 'policy:write' },
      schema: {
        tags,
        summary: 'Re-assessment interval (default 12 months)',
        body: z.strictObject({ intervalMonths: z.number().int().min(1).max(60) }),
        response: { 200: z.object({ intervalMonths: z.number() }) },
      },
    },
    async (req) => service.setSettings(ctx, actorOf(req), req.body.intervalMonths),
  );
  app.get(
    '/assessments/:id',
    { config: { permission: 'assessment:read' }, schema: { tags, params: idParam, response: { 200: assessmentSchema } } },
    async (req) => service.getAssessment(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/assessments/:id',
    {
      config: { audit: 'assessment.update', permission: 'assessment:write' },
      schema: {
        tags,
        summary: 'Change a draft nobody has signed',
        params: idParam,
        body: z.strictObject(fields).partial(),
        response: { 200: assessmentSchema },
      },
    },
    async (req) => service.updateAssessment(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/assessments/:id/sign',
    {
      config: { audit: 'assessment.sign', permission: 'assessment:write' },
      schema: {
        tags,
        summary: 'Sign as assessor; the second, different assessor locks it and sets the elder level',
        params: idParam,
        response: { 200: assessmentSchema },
      },
    },
    async (req) => service.signAssessment(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/assessments/:id/report',
    {
      config: { permission: 'assessment:read', cspScriptHashes: REPORT_SCRIPT_HASHES },
      schema: { tags, summary: 'Printable report (HTML with a print stylesheet)', params: idParam, produces: ['text/html'] },
    },
    async (req, reply) =>
      reply.type('text/html; charset=utf-8').send(await assessmentReportHtml(ctx, actorOf(req), req.params.id)),
  );
};
