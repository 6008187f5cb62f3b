import type { PolicyCovers } from '@zhiyang/shared';
import type { Db } from '../../db/client.ts';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findItemsByIds } from '../catalogue/catalogue.repo.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as lots from '../wallets/lots.repo.ts';
import { describeConditions, type PolicyConditions } from './policies.conditions.ts';
import { periodKey, proratedAmount } from './policies.period.ts';
import * as repo from './policies.repo.ts';

export const presentPolicy = (p: repo.PolicyRow) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  amount: p.amount,
  period: p.period,
  regionCode: p.regionCode,
  conditions: p.conditions,
  conditionsText: describeConditions(p.conditions),
  covers: p.covers,
  validFrom: p.validFrom,
  validTo: p.validTo,
  prorate: p.prorate,
  expireUnused: p.expireUnused,
  status: p.status,
});

export interface PolicyInput {
  name: string;
  kind: repo.PolicyRow['kind'];
  amount: number;
  period: 'year' | 'month';
  regionCode: string;
  conditions: PolicyConditions;
  covers?: PolicyCovers;
  validFrom: string;
  validTo?: string | null;
  prorate?: boolean;
  expireUnused?: boolean;
}

function checkInput(actor: Actor, p: Pick<PolicyInput, 'regionCode' | 'validFrom' | 'validTo' | 'conditions'>) {
  if (!actorCoversRegion(actor, p.regionCode)) throw validationError('body.regionCode', 'outside your scope');
  if (p.validTo && p.validTo < p.validFrom) throw validationError('body.validTo', 'before validFrom');
  const c = p.conditions;
  if (c.minAge !== undefined && c.maxAge !== undefined && c.maxAge < c.minAge)
    throw validationError('body.conditions.maxAge', 'below minAge');
}

export async function listPolicies(ctx: AppContext, actor: Actor) {
  const rows = await repo.listPolicies(ctx.db, actor);
  return { items: rows.map(presentPolicy), total: rows.length };
}

async function visiblePolicy(ctx: AppContext, actor: Actor, id: string) {
  const p = await repo.findPolicy(ctx.db, id);
  if (!p || !actorCoversRegion(actor, p.regionCode)) throw notFound('Policy');
  return p;
}

export async function getPolicy(ctx: AppContext, actor: Actor, id: string) {
  return presentPolicy(await visiblePolicy(ctx, actor, id));
}

/**
 * Before a policy is switched on: how many elders match today, what one period costs and what
 * a year costs (12 periods for a monthly policy), with a few matching elders to check by eye.
 */
export async function preview(ctx: AppContext, actor: Actor, input: PolicyInput, refDate = cstDate()) {
  checkInput(actor, input);
  const m = await repo.matchElders(ctx.db, input.conditions, input.regionCode, refDate);
  const perPeriod = m.count * input.amount;
  return {
    matching: m.count,
    unit: input.kind === 'points_grant' ? ('points' as const) : ('fen' as const),
    budgetPerPeriod: perPeriod,
    budgetPerYear: input.period === 'year' ? perPeriod : perPeriod * 12,
    conditionsText: describeConditions(input.conditions),
    sample: m.sample.map((e) => ({ id: e.id, name: e.name, regionCode: e.region_code, birthDate: e.birth_date })),
  };
}

/** Covered items must be in the catalogue. */
async function checkCovers(ctx: AppContext, covers: PolicyCovers | undefined) {
  if (!covers?.itemIds.length) return;
  const known = new Set((await findItemsByIds(ctx.db, covers.itemIds)).map((i) => i.id));
  const unknown = covers.itemIds.filter((id) => !known.has(id));
  if (unknown.length) throw validationError('body.covers.itemIds', `not in the catalogue: ${unknown.join(', ')}`);
}

export async function createPolicy(ctx: AppContext, actor: Actor, input: PolicyInput) {
  checkInput(actor, input);
  await checkCovers(ctx, input.covers);
  return ctx.db.transaction(async (tx) => {
    const p = await repo.insertPolicy(tx, {
      ...input,
      covers: input.covers ?? { categories: [], itemIds: [] },
      validTo: input.validTo ?? null,
      status: 'draft',
    });
    await recordAudit(tx, {
      actor,
      action: 'policy.create',
      targetType: 'policy',
      targetId: p.id,
      regionCode: p.regionCode,
      detail: { name: p.name, kind: p.kind, amount: p.amount, conditions: describeConditions(p.conditions) },
    });
    return presentPolicy(p);
  });
}

/**
 * What an active policy may still change: its name, its end date (not into a paid period) and
 * the services it pays for from now on (what was already paid stays paid).
 */
const ACTIVE_EDITABLE = new Set(['name', 'validTo', 'covers']);

/** The last day of a period key (YYYY or YYYY-MM). */
function periodEnd(key: string) {
  if (key.length === 4) return `${key}-12-31`;
  const [y, m] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Edit a policy. A draft is fully editable (it has paid nobody). An active policy may only be
 * renamed and given a new end date — earlier or later, but not before today nor inside a
 * period already granted, so nobody's paid period is cut short; its rules (amount, kind,
 * conditions, period, validity start, pro-rating, expiry) would change what was already paid
 * and are refused: end it and create a new one. An ended policy may only be renamed.
 */
export async function updatePolicy(ctx: AppContext, actor: Actor, id: string, patch: Partial<PolicyInput>) {
  const before = await visiblePolicy(ctx, actor, id);
  const changed = (Object.keys(patch) as Array<keyof PolicyInput>).filter(
    (k) => patch[k] !== undefined && JSON.stringify(patch[k]) !== JSON.stringify(before[k as keyof repo.PolicyRow]),
  );
  if (before.status !== 'draft') {
    const allowed = before.status === 'active' ? ACTIVE_EDITABLE : new Set(['name']);
    const refused = changed.filter((k) => !allowed.has(k));
    if (refused.length)
      throw conflict(
        before.status === 'active'
          ? `An active policy can only be renamed or given another end date (not: ${refused.join(', ')}); end it and create a new one to change its rules.`
          : 'An ended policy can only be renamed.',
      );
    if (changed.includes('validTo') && patch.validTo) {
      const paid = await repo.lastGrantedPeriod(ctx.db, id);
      const floor = [cstDate(), paid ? periodEnd(paid) : ''].sort().at(-1) as string;
      if (patch.validTo < floor)
        throw conflict(
          paid && floor !== cstDate()
            ? `The end date cannot fall inside the period ${paid}, which is already granted; the earliest end is ${floor}.`
            : `The end date of an active policy cannot be in the past; the earliest is ${floor}.`,
        );
    }
  }
  checkInput(actor, { ...before, ...patch } as PolicyInput);
  await checkCovers(ctx, patch.covers);
  return ctx.db.transaction(async (tx) => {
    const p = await repo.updatePolicy(tx, id, patch, before.status);
    if (!p) throw conflict('The policy changed status meanwhile; reload and try again.', undefined, 'changed-meanwhile');
    await recordAudit(tx, {
      actor,
      action: 'policy.update',
      targetType: 'policy',
      targetId: id,
      regionCode: p.regionCode,
      detail: {
        status: before.status,
        changed: Object.fromEntries(
          changed.map((k) => [k, { from: before[k as keyof repo.PolicyRow] ?? null, to: patch[k] ?? null }]),
        ),
      },
    });
    return presentPolicy(p);
  });
}

export async function setStatus(ctx: AppContext, actor: Actor, id: string, to: 'active' | 'ended') {
  const before = await visiblePolicy(ctx, actor, id);
  const allowed = to === 'active' ? before.status === 'draft' : before.status === 'active';
  if (!allowed) throw conflict(`A ${before.status} policy cannot become ${to}.`);
  return ctx.db.transaction(async (tx) => {
    const p = await repo.updatePolicy(tx, id, { status: to });
    await recordAudit(tx, {
      actor,
      action: `policy.${to === 'active' ? 'activate' : 'end'}`,
      targetType: 'policy',
      targetId: id,
      regionCode: p.regionCode,
    });
    return presentPolicy(p);
  });
}

export interface GrantRunResult {
  policyId: string;
  periodKey: string;
  amount: number;
  granted: number;
  expired: number;
  alreadyGranted: number;
}

/**
 * Grant a policy for the period containing `day`, in batches of `batchSize` elders, each batch
 * its own transaction. Safe to run any number of times and to re-run after a crash: each
 * elder gets at most one grant per policy and period. Unused balance of earlier periods is
 * expired first when the policy says so. `onBatch` lets tests simulate a crash.
 */
export async function runGrant(
  ctx: AppContext,
  policyId: string,
  opts: { day?: string; batchSize?: number; onBatch?: (n: number) => void } = {},
): Promise<GrantRunResult> {
  const policy = await repo.findPolicy(ctx.db, policyId);
  if (!policy) throw notFound('Policy');
  const day = opts.day ?? cstDate();
  const key = periodKey(policy.period, day);
  const result: GrantRunResult = { policyId, periodKey: key, amount: 0, granted: 0, expired: 0, alreadyGranted: 0 };
  if (policy.status !== 'active' || day < policy.validFrom || (policy.validTo && day > policy.validTo)) return result;
  // A family care bed subsidy grants no wallet anything: it pays beds through their monthly check.
  if (policy.kind === 'family_bed') return result;
  if (policy.expireUnused) result.expired = await expireUnused(ctx, policy, key);
  // day ≥ validFrom here, so a policy starting mid-period is pro-rated from its first run.
  const amount = proratedAmount(policy.amount, policy.period, day, policy.prorate);
  result.amount = amount;
  result.alreadyGranted = (await repo.grantedCount(ctx.db, policy.id, key)).count;
  if (amount <= 0) return result;
  const currency = policy.kind === 'points_grant' ? 'points' : 'fen';
  const fund = await ledger.ensureAccount(ctx.db, 'fund', currency, policy.id);
  let afterId: string | null = null;
  let batches = 0;
  for (;;) {
    const r: { granted: number; scanned: number; lastId: string | null } = await (ctx.db as Db).transaction((tx) =>
      repo.grantBatch(tx, { policy, key, refDate: day, amount, fundId: fund.id, afterId, limit: opts.batchSize ?? 1000 }),
    );
    if (!r.scanned) break;
    result.granted += r.granted;
    afterId = r.lastId;
    if (r.granted) opts.onBatch?.(++batches);
  }
  if (result.granted) {
    await recordAudit(ctx.db, {
      actor: null,
      action: 'policy.grant',
      targetType: 'policy',
      targetId: policy.id,
      regionCode: policy.regionCode,
      detail: { periodKey: key, amount, granted: result.granted },
    });
  }
  return result;
}

/**
 * Expire, at the end of a period, what is left of this policy's grants of earlier periods: each
 * grant is a lot that wallet debits draw from (the lot that expires first first), so expiring
 * this policy takes only its own remainder, never points another policy granted in the same
 * currency. Points held by open orders stay held (the order is honoured); if the order is
 * cancelled later they return to their lot and the next run expires them. Idempotent: an
 * expired lot has nothing left.
 */
async function expireUnused(ctx: AppContext, policy: repo.PolicyRow, key: string) {
  const currency = policy.kind === 'points_grant' ? 'points' : 'fen';
  const fund = await ledger.ensureAccount(ctx.db, 'fund', currency, policy.id);
  let expired = 0;
  for (;;) {
    const batch = await lots.expirableLots(ctx.db, policy.id, key, 500);
    if (!batch.length) break;
    await (ctx.db as Db).transaction(async (tx) => {
      for (const g of batch) {
        const wallet = await ledger.ensureAccount(tx, 'elder', currency, g.elder_id);
        // Under the wallet's lock: the lot and the balance cannot move while we read them.
        const balance = await ledger.lockBalance(tx, wallet.id);
        const remaining = await lots.lockLotRemaining(tx, policy.id, g.elder_id, g.period_key);
        const amount = Math.min(balance, remaining ?? 0);
        if (amount > 0) {
          const txId = await ledger.post(tx, {
            kind: 'expire',
            currency,
            elderId: g.elder_id,
            policyId: policy.id,
            memo: `${policy.name}: unused balance of ${g.period_key} expired`,
            allowFrozen: true,
            legs: [
              { accountId: wallet.id, amount: -amount },
              { accountId: fund.id, amount },
            ],
          });
          await lots.moveLot(tx, {
            policyId: policy.id,
            elderId: g.elder_id,
            periodKey: g.period_key,
            amount,
            transactionId: txId,
          });
          expired += amount;
        }
        await repo.markExpired(tx, policy.id, g.elder_id, g.period_key);
      }
    });
  }
  return expired;
}

/** The scheduled run: every active policy for today. */
export async function runAllGrants(ctx: AppContext, day = cstDate()) {
  const results: GrantRunResult[] = [];
  for (const p of await repo.activePolicies(ctx.db)) results.push(await runGrant(ctx, p.id, { day }));
  return results;
}

export async function runGrantAs(ctx: AppContext, actor: Actor, id: string, day?: string) {
  await visiblePolicy(ctx, actor, id);
  const r = await runGrant(ctx, id, { day });
  await recordAudit(ctx.db, { actor, action: 'policy.run', targetType: 'policy', targetId: id, detail: { ...r } });
  return r;
}
