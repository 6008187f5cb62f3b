import { POLICY_KINDS } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoDay } from '../../lib/dates.ts';
import { listOf } from '../../lib/http.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import { policyConditionsSchema } from './policies.conditions.ts';
import * as policies from './policies.service.ts';

const policySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(POLICY_KINDS),
  amount: z.number().int(),
  period: z.enum(['year', 'month']),
  regionCode: z.string(),
  conditions: policyConditionsSchema,
  conditionsText: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  prorate: z.boolean(),
  expireUnused: z.boolean(),
  status: z.enum(['draft', 'active', 'ended']),
});
const policyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(POLICY_KINDS),
  amount: z.number().int('a whole number of points or fen').positive('must be positive').max(10_000_000),
  period: z.enum(['year', 'month']),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/),
  conditions: policyConditionsSchema,
  validFrom: isoDay('business'),
  validTo: isoDay('business').nullable().optional(),
  prorate: z.boolean().optional(),
  expireUnused: z.boolean().optional(),
});
const idParam = z.object({ id: z.uuid() });
const runResult = z.object({
  policyId: z.string(),
  periodKey: z.string(),
  amount: z.number().int(),
  granted: z.number().int(),
  expired: z.number().int(),
  alreadyGranted: z.number().int(),
});

export const policyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['policies'];
  app.get(
    '/policies',
    {
      config: { permission: 'policy:read' },
      schema: { tags, summary: 'Subsidy policies (补贴政策)', response: { 200: listOf(policySchema) } },
    },
    async (req) => policies.listPolicies(ctx, actorOf(req)),
  );
  app.post(
    '/policies/preview',
    {
      config: { audit: false, noAudit: 'a preview counts who would qualify and changes nothing', permission: 'policy:read' },
      schema: {
        tags,
        summary: 'How many elders a policy would reach and what it would cost',
        body: policyBody.extend({ refDate: isoDay('business').optional() }),
        response: {
          200: z.object({
            matching: z.number().int(),
            unit: z.enum(['points', 'fen']),
            budgetPerPeriod: z.number().int(),
            budgetPerYear: z.number().int(),
            conditionsText: z.string(),
            sample: z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string(), birthDate: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      const { refDate, ...input } = req.body;
      return policies.preview(ctx, actorOf(req), input, refDate);
    },
  );
  app.get(
    '/policies/:id',
    { config: { permission: 'policy:read' }, schema: { tags, params: idParam, response: { 200: policySchema } } },
    async (req) => policies.getPolicy(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/policies',
    {
      config: { audit: 'policy.create', permission: 'policy:write' },
      schema: { tags, summary: 'Create a policy (draft)', body: policyBody, response: { 201: policySchema } },
    },
    async (req, reply) => reply.code(201).send(await policies.createPolicy(ctx, actorOf(req), req.body)),
  );
  app.patch(
    '/policies/:id',
    {
      config: { audit: 'policy.update', permission: 'policy:write' },
      schema: {
        tags,
        summary: 'Edit a policy: a draft fully; an active one only its name and end date (not into a granted period)',
        params: idParam,
        body: policyBody.partial(),
        response: { 200: policySchema },
      },
    },
    async (req) => policies.updatePolicy(ctx, actorOf(req), req.params.id, req.body),
  );
  for (const [path, to] of [
    ['activate', 'active'],
    ['end', 'ended'],
  ] as const) {
    app.post(
      `/policies/:id/${path}`,
      {
        config: { audit: `policy.${path}`, permission: 'policy:write' },
        schema: { tags, params: idParam, response: { 200: policySchema } },
      },
      async (req) => policies.setStatus(ctx, actorOf(req), req.params.id, to),
    );
  }
  app.post(
    '/policies/:id/run',
    {
      config: { audit: 'policy.run', permission: 'policy:write' },
      schema: {
        tags,
        summary: 'Run the grant now for the current period (idempotent per elder and period; Idempotency-Key required)',
        params: idParam,
        body: z.strictObject({ day: isoDay('past').optional() }).optional(),
        response: { 200: runResult },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(
          ctx,
          req,
          async (c) => ({ status: 200, body: await policies.runGrantAs(c, actorOf(req), req.params.id, req.body?.day) }),
          {
            required: true,
          },
        ),
      ),
  );
};
