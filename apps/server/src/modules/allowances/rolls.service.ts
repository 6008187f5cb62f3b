import type { DbOrTx } from '../../db/client.ts';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addMonths, cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { clearValue, maskedId } from '../elders/elders.present.ts';
import { ensureAccount, post } from '../wallets/ledger.repo.ts';
import { presentRoll } from './allowances.present.ts';
import * as repo from './allowances.repo.ts';
import { maskAccount, monthsBetween, periodOf, periodStart, periodsBefore, tierFor } from './allowances.rules.ts';
import { retryLines } from './back-office.repo.ts';
import { activateDueNotices, suspendIn } from './status.service.ts';
import { ALLOWANCE_SYSTEM } from './steps.ts';
import { stopGoneRecipients } from './sweep.service.ts';

/** Arrears reach back at most this many months (older suspended months are settled by hand). */
export const MAX_ARREARS_MONTHS = 36;

/**
 * The allowance fund and the bank-payout account of a district in the double-entry ledger
 * (currency fen): one deterministic owner id per district, so the accounts are found again.
 */
export const districtFundOwner = (district: string) => `00000000-0000-4a11-8000-000000${district}`;

function checkDistrict(actor: Actor, district: string) {
  if (!can(actor, 'allowance:manage', { regionCode: district })) throw notFound('District'); // out of reach: as if it did not exist
}

/**
 * Generate the district's roll for a month, once. Inside one transaction: 公示 that ended become
 * active, deaths and moves in the archive stop or suspend, missed verifications suspend, then
 * one line per payable elder and month (regular, and arrears after a back-paid suspension).
 * (roll: district + month) and (line: elder + month) are unique: a second call, concurrent or
 * later, answers the roll already made and pays nobody twice; a crash rolls the whole run back.
 */
export async function generateRoll(ctx: AppContext, actor: Actor, body: { regionCode: string; month: string }) {
  const { regionCode: district, month } = body;
  checkDistrict(actor, district);
  if (month > cstMonth())
    throw unprocessable(`The roll of ${month} cannot be made before the month begins.`, [
      { path: 'month', message: 'in the future' },
    ]);
  const existing = await repo.rollOf(ctx.db, district, month);
  if (existing) {
    markUnchanged();
    return presentRoll(existing);
  }
  return ctx.db.transaction(async (tx) => {
    const roll = await repo.insertRoll(tx, { regionCode: district, month, generatedBy: actor.id });
    if (!roll) {
      // Another call made it meanwhile (it waited on the unique key, then found it committed).
      markUnchanged();
      return presentRoll((await repo.rollOf(tx, district, month)) as repo.RollRow);
    }
    await activateDueNotices(ctx, tx, district);
    await stopGoneRecipients(ctx, tx, district);
    const { lines, suspended } = await computeLines(ctx, tx, district, month, roll.id);
    // Payments the bank returned from earlier rolls, carried over once (back-office.repo.ts).
    lines.push(...(await retryLines(tx, district, roll.id, month)));
    const inserted = await repo.insertLines(tx, lines);
    const total = inserted.total;
    await repo.setRollTotals(tx, roll.id, inserted.count, total);
    await recordAudit(tx, {
      actor,
      action: 'allowance.roll.generate',
      targetType: 'allowance_roll',
      targetId: roll.id,
      regionCode: district,
      detail: { month, lines: inserted.count, totalFen: total, suspendedForVerification: suspended },
    });
    await ctx.events.publish(tx, {
      type: 'allowance.roll-updated',
      data: { id: roll.id, regionCode: district, month, status: 'draft' },
      audience: { permission: 'allowance:manage', regionCode: district },
    });
    return presentRoll({ ...roll, lineCount: inserted.count, totalFen: total });
  });
}

type Line = Parameters<typeof repo.insertLines>[1][number];

async function computeLines(ctx: AppContext, tx: DbOrTx, district: string, month: string, rollId: string) {
  // One after the other: a transaction is one connection.
  const tiers = await repo.tiersOfDistrict(tx, district);
  const settings = await repo.getSettings(tx, district);
  const apps = await repo.payableApplications(tx, district);
  const kind = settings.verificationPeriod;
  const window = periodsBefore(month, kind, settings.missedPeriodsSuspend);
  const oldestStart = periodStart(window[window.length - 1]);
  // Judged only when the elder has been paid for every period of the window.
  const judged = apps.filter((a) => a.app.status === 'active' && a.app.paidFrom !== null && a.app.paidFrom <= oldestStart);
  const verified = await repo.verifiedElders(tx, district, [...window, periodOf(month, kind)]);
  const judgedIds = new Set(judged.map((a) => a.app.id));
  const lines: Line[] = [];
  let suspended = 0;
  for (const a of apps) {
    if (a.app.status !== 'active' || a.app.paidFrom === null || a.app.paidFrom > month) continue;
    if (judgedIds.has(a.app.id) && !verified.has(a.app.elderId)) {
      const done = await suspendIn(
        ctx,
        tx,
        ALLOWANCE_SYSTEM,
        a.app,
        'verification',
        month,
        `连续${window.length}期未完成生存认证`,
        'allowance.suspend.auto',
        'skip',
      );
      if (done) suspended++;
      continue;
    }
    const months = [month];
    if (a.app.arrearsFrom) {
      const from = [a.app.arrearsFrom, a.app.paidFrom, addMonths(month, -MAX_ARREARS_MONTHS)].sort().at(-1) as string;
      months.unshift(...monthsBetween(from, addMonths(month, -1)));
      await repo.updateApplication(tx, a.app.id, 'active', { arrearsFrom: null });
    }
    for (const m of months) {
      const t = tierFor(tiers, a, m, a.app.residenceSince);
      if ('reason' in t) continue;
      lines.push({
        rollId,
        applicationId: a.app.id,
        elderId: a.app.elderId,
        regionCode: a.app.regionCode,
        month: m,
        kind: m === month ? 'regular' : 'arrears',
        tierId: t.tier.id,
        amountFen: t.tier.monthlyFen,
      });
    }
  }
  return { lines, suspended };
}

export async function listRolls(ctx: AppContext, actor: Actor, regionCode?: string, month?: string) {
  const rows = await repo.listRolls(ctx.db, actor, regionCode, month);
  return { items: rows.map(presentRoll), total: rows.length };
}

export async function getRoll(ctx: AppContext, actor: Actor, id: string, q: { limit: number; page: number }) {
  const roll = await repo.findRoll(ctx.db, actor, id);
  if (!roll) throw notFound('Payment roll');
  const [lines, sum] = await Promise.all([
    repo.rollLines(ctx.db, id, q.limit, (q.page - 1) * q.limit),
    repo.rollLineSum(ctx.db, id),
  ]);
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.roll.read',
    targetType: 'allowance_roll',
    targetId: id,
    regionCode: roll.regionCode,
    detail: { page: q.page, lines: lines.length },
  });
  return {
    ...presentRoll(roll),
    linesTotal: sum.n,
    lines: lines.map((l) => ({
      applicationId: l.line.applicationId,
      elderId: l.line.elderId,
      elderName: l.elderName,
      idNumberMasked: maskedId(ctx.cipher, l.idNumberEnc),
      regionCode: l.line.regionCode,
      month: l.line.month,
      kind: l.line.kind,
      amountFen: l.line.amountFen,
      bankName: l.bankName,
      bankAccountMasked: maskAccount(clearValue(ctx.cipher, l.bankAccountEnc)),
    })),
  };
}

/**
 * The district approves a roll: the total moves from the district's allowance fund to its bank
 * payout account in the ledger (one balanced transaction per roll). Approving again changes nothing.
 */
export async function approveRoll(ctx: AppContext, actor: Actor, id: string) {
  const found = await repo.findRoll(ctx.db, actor, id);
  if (!found) throw notFound('Payment roll');
  return ctx.db.transaction(async (tx) => {
    const locked = await repo.lockRoll(tx, id);
    if (locked?.status === 'approved') {
      markUnchanged();
      return presentRoll((await repo.findRoll(tx, actor, id)) as repo.RollRow);
    }
    const sum = await repo.rollLineSum(tx, id);
    let ledgerTx: string | null = null;
    if (sum.total > 0) {
      const owner = districtFundOwner(found.regionCode);
      const fund = await ensureAccount(tx, 'fund', 'fen', owner);
      const payout = await ensureAccount(tx, 'payout', 'fen', owner);
      ledgerTx = await post(tx, {
        kind: 'settle',
        currency: 'fen',
        legs: [
          { accountId: fund.id, amount: -sum.total },
          { accountId: payout.id, amount: sum.total },
        ],
        memo: `高龄津贴 ${found.month} 发放名册 ${found.regionCode}（${sum.n}笔）`,
        actorId: actor.id,
      });
    }
    const roll = await repo.approveRoll(tx, id, actor.id, ledgerTx);
    if (!roll) throw conflict('The roll changed meanwhile.', undefined, 'changed-meanwhile');
    await recordAudit(tx, {
      actor,
      action: 'allowance.roll.approve',
      targetType: 'allowance_roll',
      targetId: id,
      regionCode: found.regionCode,
      detail: { month: found.month, lines: sum.n, totalFen: sum.total, ledgerTransactionId: ledgerTx },
    });
    await ctx.events.publish(tx, {
      type: 'allowance.roll-updated',
      data: { id, regionCode: found.regionCode, month: found.month, status: 'approved' },
      audience: { permission: 'allowance:manage', regionCode: found.regionCode },
    });
    return presentRoll(roll);
  });
}

export const EXPORT_HEADERS = [
  '序号',
  '姓名',
  '身份证号',
  '开户银行',
  '银行账号',
  '户名',
  '金额（元）',
  '所属月份',
  '类别',
  '社区代码',
];

/**
 * The bank payment file of an approved roll (xlsx): full ID numbers and account numbers, so the
 * export itself is on the audit trail.
 */
export async function exportRoll(ctx: AppContext, actor: Actor, id: string) {
  const roll = await repo.findRoll(ctx.db, actor, id);
  if (!roll) throw notFound('Payment roll');
  if (roll.status !== 'approved') throw conflict('Only an approved roll is exported for the bank.', undefined, 'invalid-state');
  const rows: Array<Array<string | number | null>> = [];
  const page = 5000;
  for (let after = 0; ; ) {
    const batch = await repo.rollLinesAfter(ctx.db, id, after, page);
    after = batch.at(-1)?.line.id ?? after;
    for (const l of batch)
      rows.push([
        rows.length + 1,
        l.elderName,
        clearValue(ctx.cipher, l.idNumberEnc),
        l.bankName,
        clearValue(ctx.cipher, l.bankAccountEnc),
        l.accountHolder,
        (l.line.amountFen / 100).toFixed(2),
        l.line.month,
        l.line.kind === 'regular' ? '本月' : l.line.kind === 'retry' ? '重发' : '补发',
        l.line.regionCode,
      ]);
    if (batch.length < page) break;
  }
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.roll.export',
    targetType: 'allowance_roll',
    targetId: id,
    regionCode: roll.regionCode,
    detail: { month: roll.month, rows: rows.length },
  });
  return {
    filename: `高龄津贴发放-${roll.regionCode}-${roll.month}.xlsx`,
    data: await writeXlsx('发放名册', EXPORT_HEADERS, rows),
  };
}
