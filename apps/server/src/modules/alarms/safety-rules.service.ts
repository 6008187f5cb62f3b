import type { SafetyRuleOverrides } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findVisibleElder } from '../elders/elders.repo.ts';
import { findRuleOverrides, saveRuleOverrides } from './alarms.repo.ts';
import { DEFAULT_RULES, inconsistencies, mergeRules, type SafetyRules } from './rules.ts';

/** The rules as the contract presents them (a plain copy: the contract's schema keeps unknown keys). */
const present = (r: SafetyRules) => ({ ...r });

async function elderInScope(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await findVisibleElder(ctx.db, actor, elderId);
  if (!e) throw notFound('Elder');
  return e;
}

/** An elder's alarm rules: the defaults, this elder's overrides, and the rules in effect. */
export async function getSafetyRules(ctx: AppContext, actor: Actor, elderId: string) {
  await elderInScope(ctx, actor, elderId);
  const o = await findRuleOverrides(ctx.db, elderId);
  return { defaults: present(DEFAULT_RULES), overrides: o?.rules ?? {}, effective: present(mergeRules(o?.rules as never)) };
}

/** Replace an elder's overrides; rules that contradict each other once merged are a 400. Audited. */
export async function replaceSafetyRules(ctx: AppContext, actor: Actor, elderId: string, overrides: SafetyRuleOverrides) {
  const e = await elderInScope(ctx, actor, elderId);
  const wrong = inconsistencies(mergeRules(overrides as never));
  if (wrong.length)
    throw new AppError(400, 'Validation failed', wrong.map((w) => `${w.path}: ${w.message}`).join('; '), wrong, 'validation');
  const values = { elderId, rules: overrides as Record<string, unknown>, updatedBy: actor.id, updatedAt: new Date() };
  await ctx.db.transaction(async (tx) => {
    await saveRuleOverrides(tx, values);
    await recordAudit(tx, {
      actor,
      action: 'safety-rules.update',
      targetType: 'elder',
      targetId: elderId,
      regionCode: e.regionCode,
      detail: { fields: Object.keys(overrides) },
    });
  });
  return {
    defaults: present(DEFAULT_RULES),
    overrides: overrides as Record<string, unknown>,
    effective: present(mergeRules(overrides as never)),
  };
}
