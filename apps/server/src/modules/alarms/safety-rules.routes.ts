import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findVisibleElder } from '../elders/elders.repo.ts';
import { findRuleOverrides, saveRuleOverrides } from './alarms.repo.ts';
import { ALARM_TYPE_LIST, DEFAULT_RULES, inconsistencies, mergeRules } from './rules.ts';

const hour = z.number().int().min(0).max(23);
const range = z.strictObject({ warnLow: z.number(), warnHigh: z.number(), critLow: z.number(), critHigh: z.number() }).partial();
/** What an elder's overrides may set (merged over the defaults; omitted fields keep the default). */
const overridesSchema = z
  .strictObject({
    disabled: z.array(z.enum(ALARM_TYPE_LIST as [string, ...string[]])),
    sosCancelSeconds: z.number().int().min(0).max(600),
    vitals: z
      .strictObject({
        consecutive: z.number().int().min(1).max(20),
        ranges: z
          .strictObject({ heartRate: range, respRate: range, spo2: range, temperature: range, systolic: range, diastolic: range })
          .partial(),
      })
      .partial(),
    inactivity: z
      .strictObject({ warnHours: z.number().min(1).max(72), alarmHours: z.number().min(1).max(96), wakeFrom: hour, wakeTo: hour })
      .partial(),
    geofence: z
      .strictObject({
        radiusM: z.number().int().min(50).max(50_000),
        lat: z.number().min(-90).max(90),
        lng: z.number().min(-180).max(180),
      })
      .partial(),
    nightBedExit: z.strictObject({ from: hour, to: hour, minutes: z.number().int().min(1).max(240) }).partial(),
    batteryLowPercent: z.number().int().min(1).max(49),
    notWornDays: z.array(z.number().int().min(1).max(60)).max(5),
  })
  .partial();

/** Per-elder alarm rules: the defaults, this elder's overrides, and the rules in effect. */
export const safetyRuleRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const elderInScope = async (req: Parameters<typeof actorOf>[0], id: string) => {
    const e = await findVisibleElder(ctx.db, actorOf(req), id);
    if (!e) throw notFound('Elder');
    return e;
  };
  app.get(
    '/safety-rules/:elderId',
    { config: { permission: 'alarm:read' }, schema: { tags: ['alarms'], params: z.object({ elderId: z.uuid() }) } },
    async (req) => {
      await elderInScope(req, req.params.elderId);
      const o = await findRuleOverrides(ctx.db, req.params.elderId);
      return { defaults: DEFAULT_RULES, overrides: o?.rules ?? {}, effective: mergeRules(o?.rules as never) };
    },
  );
  app.put(
    '/safety-rules/:elderId',
    {
      config: { audit: 'safety-rules.update', permission: 'device:write' },
      schema: {
        tags: ['alarms'],
        summary: "Replace an elder's rule overrides",
        params: z.object({ elderId: z.uuid() }),
        body: overridesSchema,
      },
    },
    async (req) => {
      const e = await elderInScope(req, req.params.elderId);
      const wrong = inconsistencies(mergeRules(req.body as never));
      if (wrong.length)
        throw new AppError(400, 'Validation failed', wrong.map((w) => `${w.path}: ${w.message}`).join('; '), wrong, 'validation');
      const actor = actorOf(req);
      const values = {
        elderId: req.params.elderId,
        rules: req.body as Record<string, unknown>,
        updatedBy: actor.id,
        updatedAt: new Date(),
      };
      await ctx.db.transaction(async (tx) => {
        await saveRuleOverrides(tx, values);
        await recordAudit(tx, {
          actor,
          action: 'safety-rules.update',
          targetType: 'elder',
          targetId: req.params.elderId,
          regionCode: e.regionCode,
          detail: { fields: Object.keys(req.body) },
        });
      });
      return { defaults: DEFAULT_RULES, overrides: req.body, effective: mergeRules(req.body as never) };
    },
  );
};
