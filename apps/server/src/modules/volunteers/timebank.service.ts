import type { TimebankRules } from '@zhiyang/shared';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../db/client.ts';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstDayStart, cstMonthRange } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { withIdempotency } from '../../lib/idempotency.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as bank from './timebank.repo.ts';
import * as repo from './volunteers.repo.ts';
import { ownVolunteer, volunteerDetailOf } from './volunteers.service.ts';

/** The rules a district uses until it sets its own. */
export const DEFAULT_RULES: Omit<TimebankRules, 'regionCode'> = {
  creditPercent: 100,
  maxCreditMinutes: 240,
  redeemPercent: 100,
  minRedeemMinutes: 60,
  keepMinutes: 0,
  monthlyRedeemMinutes: 600,
  allowSelf: true,
  relativeRelations: ['spouse', 'parent', 'parent_in_law', 'grandparent'],
};

/** The rules of the district a region (a volunteer's community) belongs to. */
export async function rulesFor(db: DbOrTx, regionCode: string): Promise<TimebankRules> {
  const district = regionCode.slice(0, 6);
  const r = await bank.findRules(db, district);
  if (!r) return { regionCode: district, ...DEFAULT_RULES };
  return {
    regionCode: r.regionCode,
    creditPercent: r.creditPercent,
    maxCreditMinutes: r.maxCreditMinutes,
    redeemPercent: r.redeemPercent,
    minRedeemMinutes: r.minRedeemMinutes,
    keepMinutes: r.keepMinutes,
    monthlyRedeemMinutes: r.monthlyRedeemMinutes,
    allowSelf: r.allowSelf,
    relativeRelations: r.relativeRelations as TimebankRules['relativeRelations'],
  };
}

/** Minutes credited for confirmed minutes under the rules: the percentage, capped per task. */
export const creditFor = (rules: TimebankRules, confirmed: number) =>
  Math.min(Math.floor((confirmed * rules.creditPercent) / 100), rules.maxCreditMinutes);
/** Minutes of service a redemption of `minutes` buys. */
export const serviceFor = (rules: TimebankRules, minutes: number) => Math.floor((minutes * rules.redeemPercent) / 100);

const accountsOf = async (db: DbOrTx, volunteerId: string) => ({
  account: await ledger.ensureAccount(db, 'volunteer', 'minutes', volunteerId),
  fund: await ledger.ensureAccount(db, 'fund', 'minutes', null),
});

/**
 * Credit a confirmed task's minutes to its volunteer, exactly once: the posting key
 * `task:<id>:credit` is claimed first (primary key), so a retry or a concurrent confirmation that
 * claims it second posts nothing. Runs inside the confirmation's transaction.
 */
export async function creditTask(
  tx: DbOrTx,
  p: { taskId: string; volunteerId: string; minutes: number; actorId: string | null },
) {
  const key = `task:${p.taskId}:credit`;
  if (
    !(await bank.claimPosting(tx, {
      idemKey: key,
      kind: 'credit',
      volunteerId: p.volunteerId,
      taskId: p.taskId,
      minutes: p.minutes,
    }))
  )
    return null;
  const { account, fund } = await accountsOf(tx, p.volunteerId);
  const txId = await ledger.post(tx, {
    kind: 'credit',
    currency: 'minutes',
    memo: key,
    actorId: p.actorId,
    legs: [
      { accountId: fund.id, amount: -p.minutes },
      { accountId: account.id, amount: p.minutes },
    ],
  });
  await bank.setPostingTx(tx, key, txId);
  return txId;
}

/** Give a cancelled redemption's minutes back (once: key `redemption:<id>:return`). */
export async function returnRedemption(
  tx: DbOrTx,
  p: { redemptionId: string; volunteerId: string; minutes: number; actorId: string | null },
) {
  const key = `redemption:${p.redemptionId}:return`;
  if (
    !(await bank.claimPosting(tx, {
      idemKey: key,
      kind: 'return',
      volunteerId: p.volunteerId,
      redemptionId: p.redemptionId,
      minutes: p.minutes,
    }))
  )
    return null;
  const { account, fund } = await accountsOf(tx, p.volunteerId);
  const txId = await ledger.post(tx, {
    kind: 'credit',
    currency: 'minutes',
    memo: key,
    actorId: p.actorId,
    legs: [
      { accountId: fund.id, amount: -p.minutes },
      { accountId: account.id, amount: p.minutes },
    ],
  });
  await bank.setPostingTx(tx, key, txId);
  await bank.updateRedemption(tx, p.redemptionId, { returnedTxId: txId });
  return txId;
}

async function statementOf(ctx: AppContext, v: repo.VolunteerRow, limit: number, cursor?: string) {
  const { account } = await accountsOf(ctx.db, v.id);
  const rows = await bank.statement(ctx.db, account.id, limit, cursor ? Number(cursor) : undefined);
  const totals = await bank.totalsOf(ctx.db, v.id);
  return {
    volunteerId: v.id,
    name: v.name,
    balanceMinutes: Number(account.balance),
    creditedMinutes: totals.credited,
    redeemedMinutes: totals.redeemed,
    items: rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      amount: Number(r.amount),
      kind: r.kind,
      taskId: r.task_id,
      taskKind: r.task_kind,
      elderName: r.elder_name,
      redemptionId: r.redemption_id,
      transactionId: r.transaction_id,
    })),
    nextCursor: rows.length === limit ? String(rows[rows.length - 1].id) : null,
  };
}

export async function volunteerStatement(ctx: AppContext, actor: Actor, id: string, limit: number, cursor?: string) {
  const v = await repo.findVolunteer(ctx.db, actor, id);
  if (!v) throw notFound('Volunteer');
  return statementOf(ctx, v, limit, cursor);
}
export async function myStatement(ctx: AppContext, actor: Actor, limit: number, cursor?: string) {
  return statementOf(ctx, await ownVolunteer(ctx, actor), limit, cursor);
}

export async function listAccounts(ctx: AppContext, actor: Actor, q: { regionCode?: string; limit: number; page: number }) {
  const [rows, totals] = await Promise.all([
    bank.accounts(ctx.db, actor, q.regionCode, q.limit, (q.page - 1) * q.limit),
    bank.accountTotals(ctx.db, actor, q.regionCode),
  ]);
  return {
    items: rows.map((r) => ({
      volunteerId: r.volunteer_id,
      name: r.name,
      regionCode: r.region_code,
      regionName: r.region_name,
      status: r.status,
      balanceMinutes: r.balance,
      creditedMinutes: r.credited,
      redeemedMinutes: r.redeemed,
    })),
    total: totals.n,
    totals: { balanceMinutes: totals.balance, creditedMinutes: totals.credited, redeemedMinutes: totals.redeemed },
  };
}

/** 兑换记录: redemptions in reach, of one China month when asked (the dashboard's 本月兑换时长 opens it). */
export async function listRedemptions(
  ctx: AppContext,
  actor: Actor,
  q: { regionCode?: string; month?: string; limit: number; page: number },
) {
  const [start, end] = q.month ? cstMonthRange(q.month) : [undefined, undefined];
  const f = { regionCode: q.regionCode, start, end };
  const [rows, totals] = await Promise.all([
    bank.redemptionPage(ctx.db, actor, { ...f, limit: q.limit, offset: (q.page - 1) * q.limit }),
    bank.redemptionTotals(ctx.db, actor, f),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      createdAt: new Date(r.created_at).toISOString(),
      volunteerId: r.volunteer_id,
      volunteerName: r.volunteer_name,
      elderName: r.elder_name,
      regionName: r.region_name,
      beneficiary: r.beneficiary,
      relation: r.relation,
      kind: r.kind,
      minutes: r.minutes,
      scheduledOn: r.scheduled_on,
      taskStatus: r.task_status,
      returned: r.returned,
    })),
    total: totals.n,
    totalMinutes: totals.minutes,
  };
}

export async function getRules(ctx: AppContext, actor: Actor, regionCode: string) {
  if (!actorCoversRegion(actor, regionCode) && !(actor.regionCode ?? '').startsWith(regionCode)) throw notFound('District');
  return rulesFor(ctx.db, regionCode);
}

/** Replace a district's rules: only someone who reaches the whole district (the bureau). */
export async function putRules(ctx: AppContext, actor: Actor, b: TimebankRules) {
  if (!actorCoversRegion(actor, b.regionCode)) throw notFound('District');
  const before = await rulesFor(ctx.db, b.regionCode);
  await ctx.db.transaction(async (tx) => {
    await bank.putRules(tx, { ...b, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'timebank.rules.update',
      targetType: 'timebank_rules',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: { before, after: b },
    });
  });
  return rulesFor(ctx.db, b.regionCode);
}

/** Whom a volunteer may redeem for under the rules: themself (if linked and allowed) and relatives of a counted relation. */
async function beneficiariesOf(ctx: AppContext, v: repo.VolunteerRow, rules: TimebankRules) {
  const list: Array<{
    elderId: string;
    elderName: string;
    beneficiary: 'self' | 'relative';
    relation: string | null;
    regionCode: string;
  }> = [];
  if (rules.allowSelf && v.self_elder_id) {
    const e = await repo.findElderBrief(ctx.db, v.self_elder_id);
    if (e) list.push({ elderId: e.id, elderName: e.name, beneficiary: 'self', relation: null, regionCode: e.region_code });
  }
  for (const r of await repo.relativesOf(ctx.db, v.id))
    if ((rules.relativeRelations as string[]).includes(r.relation) && r.elder_id !== v.self_elder_id)
      list.push({
        elderId: r.elder_id,
        elderName: r.elder_name,
        beneficiary: 'relative',
        relation: r.relation,
        regionCode: r.region_code,
      });
  return list;
}

const monthStart = () => cstDayStart(`${cstDate().slice(0, 7)}-01`);

export async function me(ctx: AppContext, actor: Actor) {
  const v = await ownVolunteer(ctx, actor);
  const rules = await rulesFor(ctx.db, v.region_code);
  const list = await beneficiariesOf(ctx, v, rules);
  return {
    volunteer: await volunteerDetailOf(ctx, v),
    rules,
    beneficiaries: list.map(({ regionCode: _r, ...b }) => b),
    redeemedThisMonth: await bank.redeemedSince(ctx.db, v.id, monthStart()),
  };
}

function presentRedemption(r: bank.RedemptionRow, balance: number) {
  return {
    id: r.id,
    elderId: r.elder_id,
    elderName: r.elder_name,
    beneficiary: r.beneficiary,
    relation: r.relation,
    kind: r.kind,
    minutes: r.minutes,
    serviceMinutes: r.service_minutes,
    scheduledOn: r.scheduled_on,
    taskId: r.task_id,
    taskStatus: r.task_status,
    balanceMinutes: balance,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function myRedemptions(ctx: AppContext, actor: Actor) {
  const v = await ownVolunteer(ctx, actor);
  const balance = Number(v.balance ?? 0);
  return { items: (await bank.redemptionsOf(ctx.db, v.id)).map((r) => presentRedemption(r, balance)) };
}

/**
 * Redeem hours for a service for the volunteer or a relative, under the district's rules. One
 * transaction (the Idempotency-Key's): the redemption, its debit (volunteer → time-bank fund, key
 * `redemption:<id>`, under the account's lock so two redemptions cannot overdraw it) and the
 * volunteer task for the beneficiary, which the community assigns like any other.
 */
export async function redeem(
  ctx: AppContext,
  actor: Actor,
  req: FastifyRequest,
  b: { elderId?: string; kind: 'call' | 'visit' | 'shopping' | 'hospital'; minutes: number; scheduledOn: string; note?: string },
) {
  const answer = await withIdempotency(
    ctx,
    req,
    async (c) => {
      const v = await ownVolunteer(c, actor);
      if (v.status !== 'approved') throw conflict('Only an approved volunteer may redeem hours.', undefined, 'invalid-state');
      if (b.scheduledOn < cstDate()) throw validationError('body.scheduledOn', 'in the past');
      const rules = await rulesFor(c.db, v.region_code);
      const list = await beneficiariesOf(c, v, rules);
      const who = b.elderId ? list.find((x) => x.elderId === b.elderId) : list.find((x) => x.beneficiary === 'self');
      if (!who)
        throw unprocessable(
          b.elderId
            ? 'This elder is not a relative the time bank’s rules let you redeem for.'
            : 'You have no archive record of your own to redeem for (or the rules do not allow it).',
          [{ path: b.elderId ? 'body.elderId' : 'body', message: 'not an allowed beneficiary' }],
        );
      if (b.minutes < rules.minRedeemMinutes)
        throw unprocessable(`At least ${rules.minRedeemMinutes} minutes per redemption.`, [
          { path: 'body.minutes', message: `at least ${rules.minRedeemMinutes}` },
        ]);
      return c.db.transaction(async (tx) => {
        const { account, fund } = await accountsOf(tx, v.id);
        const balance = await ledger.lockBalance(tx, account.id);
        if (balance - b.minutes < rules.keepMinutes)
          throw conflict(
            `Not enough hours: ${balance} minutes available, ${b.minutes} asked${rules.keepMinutes ? `, ${rules.keepMinutes} must stay` : ''}.`,
            undefined,
            'insufficient-balance',
          );
        const month = await bank.redeemedSince(tx, v.id, monthStart());
        if (month + b.minutes > rules.monthlyRedeemMinutes)
          throw unprocessable(`At most ${rules.monthlyRedeemMinutes} minutes a month; ${month} redeemed already.`, [
            { path: 'body.minutes', message: `monthly limit ${rules.monthlyRedeemMinutes}` },
          ]);
        const serviceMinutes = Math.min(serviceFor(rules, b.minutes), 720);
        const r = await bank.insertRedemption(tx, {
          volunteerId: v.id,
          elderId: who.elderId,
          regionCode: who.regionCode,
          beneficiary: who.beneficiary,
          relation: who.relation,
          kind: b.kind,
          minutes: b.minutes,
          serviceMinutes,
          scheduledOn: b.scheduledOn,
          note: b.note ?? null,
        });
        const key = `redemption:${r.id}`;
        await bank.claimPosting(tx, { idemKey: key, kind: 'redeem', volunteerId: v.id, redemptionId: r.id, minutes: b.minutes });
        const txId = await ledger.post(tx, {
          kind: 'redeem',
          currency: 'minutes',
          memo: key,
          actorId: actor.id,
          legs: [
            { accountId: account.id, amount: -b.minutes },
            { accountId: fund.id, amount: b.minutes },
          ],
        });
        await bank.setPostingTx(tx, key, txId);
        const task = await repo.insertTask(tx, {
          regionCode: who.regionCode,
          elderId: who.elderId,
          kind: b.kind,
          notes: b.note ?? null,
          scheduledOn: b.scheduledOn,
          plannedMinutes: Math.max(10, serviceMinutes),
          source: 'redemption',
          redemptionId: r.id,
          createdBy: actor.id,
        });
        await bank.updateRedemption(tx, r.id, { transactionId: txId, taskId: task.id });
        await recordAudit(tx, {
          actor,
          action: 'timebank.redeem',
          targetType: 'volunteer',
          targetId: v.id,
          regionCode: v.region_code,
          detail: {
            redemptionId: r.id,
            elderId: who.elderId,
            beneficiary: who.beneficiary,
            minutes: b.minutes,
            serviceMinutes,
            taskId: task.id,
            transactionId: txId,
          },
        });
        const [row] = await bank.redemptionsOf(tx, v.id, r.id);
        return { status: 201, body: presentRedemption(row, balance - b.minutes) };
      });
    },
    { required: true },
  );
  return answer.body;
}
