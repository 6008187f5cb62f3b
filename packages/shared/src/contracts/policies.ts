import { z } from 'zod';
import { ABILITY_LEVELS } from '../assessment.ts';
import { ELDER_STATUSES, LIVING_SITUATIONS } from '../elders.ts';
import { POLICY_KINDS, SERVICE_CATEGORIES } from '../service.ts';
import { listOf } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * Who a policy reaches, as data: every listed condition must hold (AND); a list matches any of
 * its values (OR). `statuses` defaults to active and in hospital — a deceased or moved-away
 * elder is never granted anything.
 */
export const policyConditionsSchema = z.strictObject({
  minAge: z.number().int().min(0).max(130).optional(),
  maxAge: z.number().int().min(0).max(130).optional(),
  hukouLocal: z.boolean().optional(),
  categoriesAny: z
    .array(z.string().regex(/^[a-z_]{2,40}$|^other:[a-z0-9_]{1,40}$/))
    .min(1)
    .max(20)
    .optional(),
  livingSituations: z.array(z.enum(LIVING_SITUATIONS)).min(1).optional(),
  abilityLevels: z.array(z.enum(ABILITY_LEVELS)).min(1).optional(),
  statuses: z
    .array(z.enum(ELDER_STATUSES))
    .min(1)
    .optional()
    .refine(
      (s) => !s?.some((x) => x === 'deceased' || x === 'moved_away'),
      'a policy cannot reach deceased or moved-away elders',
    ),
});
export type PolicyConditions = z.infer<typeof policyConditionsSchema>;

/**
 * What a policy pays for (适用服务): catalogue categories and single catalogue items; an item is
 * covered when its category or the item itself is listed. Both empty: the whole catalogue (every
 * policy created before coverage existed). The elder's booking page offers what the elder's
 * policies cover.
 */
export const policyCoversSchema = z.strictObject({
  categories: z.array(z.enum(SERVICE_CATEGORIES)).max(SERVICE_CATEGORIES.length).default([]),
  itemIds: z.array(z.uuid()).max(200).default([]),
});
export type PolicyCovers = z.output<typeof policyCoversSchema>;

/** A subsidy policy (补贴政策) as the API answers it; `amount` in points or fen by kind. */
export const policy = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(POLICY_KINDS),
  amount: z.number().int(),
  period: z.enum(['year', 'month']),
  regionCode: z.string(),
  conditions: policyConditionsSchema,
  conditionsText: z.string(),
  covers: policyCoversSchema,
  validFrom: z.string(),
  validTo: z.string().nullable(),
  prorate: z.boolean(),
  expireUnused: z.boolean(),
  status: z.enum(['draft', 'active', 'ended']),
});
export type Policy = z.output<typeof policy>;

export const policyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(POLICY_KINDS),
  amount: z.number().int('a whole number of points or fen').positive('must be positive').max(10_000_000),
  period: z.enum(['year', 'month']),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/),
  conditions: policyConditionsSchema,
  /** Left out: the whole catalogue. */
  covers: policyCoversSchema.optional(),
  validFrom: isoDay('business'),
  validTo: isoDay('business').nullable().optional(),
  prorate: z.boolean().optional(),
  expireUnused: z.boolean().optional(),
});
export type PolicyInput = z.input<typeof policyBody>;

export const policyPreview = z.object({
  matching: z.number().int(),
  unit: z.enum(['points', 'fen']),
  budgetPerPeriod: z.number().int(),
  budgetPerYear: z.number().int(),
  conditionsText: z.string(),
  sample: z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string(), birthDate: z.string() })),
});
export type PolicyPreview = z.output<typeof policyPreview>;

export const policyRunResult = z.object({
  policyId: z.string(),
  periodKey: z.string(),
  amount: z.number().int(),
  granted: z.number().int(),
  expired: z.number().int(),
  alreadyGranted: z.number().int(),
});
export type PolicyRunResult = z.output<typeof policyRunResult>;

const idParam = z.object({ id: z.uuid() });
const tags = ['policies'];

/** Subsidy policies: the bureau drafts, previews, activates, runs and ends them. */
export const policiesContract = {
  listPolicies: route({
    method: 'GET',
    path: '/policies',
    permission: 'policy:read',
    tags,
    summary: 'Subsidy policies (补贴政策)',
    response: listOf(policy),
  }),
  previewPolicy: route({
    method: 'POST',
    path: '/policies/preview',
    permission: 'policy:read',
    audit: false,
    noAudit: 'a preview counts who would qualify and changes nothing',
    tags,
    summary: 'How many elders a policy would reach and what it would cost',
    body: policyBody.extend({ refDate: isoDay('business').optional() }),
    response: policyPreview,
  }),
  getPolicy: route({
    method: 'GET',
    path: '/policies/:id',
    permission: 'policy:read',
    tags,
    summary: 'A subsidy policy',
    params: idParam,
    response: policy,
  }),
  createPolicy: route({
    method: 'POST',
    path: '/policies',
    permission: 'policy:write',
    audit: 'policy.create',
    tags,
    summary: 'Create a policy (draft)',
    body: policyBody,
    response: { 201: policy },
  }),
  updatePolicy: route({
    method: 'PATCH',
    path: '/policies/:id',
    permission: 'policy:write',
    audit: 'policy.update',
    tags,
    summary: 'Edit a policy: a draft fully; an active one only its name and end date (not into a granted period)',
    params: idParam,
    body: policyBody.partial(),
    response: policy,
  }),
  activatePolicy: route({
    method: 'POST',
    path: '/policies/:id/activate',
    permission: 'policy:write',
    audit: 'policy.activate',
    tags,
    summary: 'Activate a draft policy',
    params: idParam,
    response: policy,
  }),
  endPolicy: route({
    method: 'POST',
    path: '/policies/:id/end',
    permission: 'policy:write',
    audit: 'policy.end',
    tags,
    summary: 'End a policy: no further grants',
    params: idParam,
    response: policy,
  }),
  runPolicy: route({
    method: 'POST',
    path: '/policies/:id/run',
    permission: 'policy:write',
    audit: 'policy.run',
    tags,
    summary: 'Run the grant now for the current period (idempotent per elder and period; Idempotency-Key required)',
    params: idParam,
    body: z.strictObject({ day: isoDay('past').optional() }).optional(),
    response: policyRunResult,
  }),
};
