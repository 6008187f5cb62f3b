import { maskIdNumber } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { clearValue, maskedId } from '../elders/elders.present.ts';
import { ensureAccount, post } from '../wallets/ledger.repo.ts';
import * as repo from './allowances.repo.ts';
import { maskAccount } from './allowances.rules.ts';
import { failedPayments } from './back-office.repo.ts';
import { rollReference } from './bank-files.service.ts';
import { districtFundOwner } from './rolls.service.ts';
import { recordStep } from './steps.ts';

/**
 * Bank return files (回盘文件): the lines the bank could not pay, with its reason. Each matched
 * line of the roll is marked failed once (`failed_at IS NULL` in the update: a second import of
 * the same file, or two at once, finds it already failed and changes nothing); the newly failed
 * total goes back from the district's payout account to its fund in ONE ledger transaction per
 * import; the application is flagged so the community corrects the account; the next roll of the
 * district carries each failed line once more (`retryLines`, a `retry` line naming the failed one,
 * unique per failed line).
 */

const ID = /^\d{17}[\dX]$/;
const COLUMNS = {
  idNumber: ['身份证号', '身份证号码', '证件号码'],
  month: ['所属月份', '月份'],
  amount: ['金额（元）', '金额(元)', '金额'],
  reason: ['失败原因', '退回原因', '原因'],
  ref: ['名册编号'],
  kind: ['记录类型'],
};

type Outcome = 'failed' | 'already_failed' | 'not_in_roll' | 'amount_mismatch' | 'bad_row';
interface ReportLine {
  row: number;
  outcome: Outcome;
  elderName: string | null;
  idNumberMasked: string | null;
  month: string | null;
  amountFen: number | null;
  reason: string | null;
}

/** "100.00", "100", "¥1,000.5" → fen; null when it is not an amount. */
export function parseYuan(v: string): number | null {
  const s = v.replace(/[¥,，\s]/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [i, d = ''] = s.split('.');
  return Number(i) * 100 + Number(d.padEnd(2, '0'));
}
/** "2026-03", "202603", "2026/03" → "2026-03". */
export function parseMonth(v: string): string | null {
  const m = /^(\d{4})[-/]?(\d{2})$/.exec(v.trim());
  return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]}` : null;
}

export async function importReturnFile(ctx: AppContext, actor: Actor, rollId: string, table: ReadTable, filename: string) {
  const roll = await repo.findRoll(ctx.db, actor, rollId);
  if (!roll) throw notFound('Payment roll');
  if (roll.status !== 'approved')
    throw conflict('A return file answers an approved roll that was sent to the bank.', undefined, 'invalid-state');
  const col = (names: string[]) => table.headers.findIndex((h) => names.includes(h.trim()));
  const at = {
    id: col(COLUMNS.idNumber),
    month: col(COLUMNS.month),
    amount: col(COLUMNS.amount),
    reason: col(COLUMNS.reason),
    ref: col(COLUMNS.ref),
    kind: col(COLUMNS.kind),
  };
  if (at.id < 0 || at.month < 0 || at.amount < 0)
    throw conflict(
      'The return file needs the columns 身份证号, 所属月份 and 金额（元） (and 失败原因); see docs/allowances.md.',
      undefined,
      'invalid-state',
    );
  const ref = rollReference(roll.regionCode, roll.month);
  const lines: ReportLine[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const failedIds: number[] = [];
    let failedFen = 0;
    for (const [i, r] of table.rows.entries()) {
      if (i % 50 === 49) await letOthersRun();
      const get = (c: number) => (c >= 0 ? (r.cells[c] ?? '').trim() : '');
      if (at.kind >= 0 && get(at.kind) === 'T') continue; // the total record of our own CSV, sent back as is
      const idNumber = get(at.id).toUpperCase();
      const month = parseMonth(get(at.month));
      const amountFen = parseYuan(get(at.amount));
      const reason = get(at.reason).slice(0, 200) || '银行退回';
      const base = { row: r.rowNumber, elderName: null, idNumberMasked: maskIdNumber(idNumber), month, amountFen, reason };
      if (!ID.test(idNumber) || !month || amountFen === null || (at.ref >= 0 && get(at.ref) && get(at.ref) !== ref)) {
        lines.push({ ...base, outcome: 'bad_row', idNumberMasked: ID.test(idNumber) ? maskIdNumber(idNumber) : null });
        continue;
      }
      const [line] = await lineOf(tx, rollId, ctx.cipher.blindIndex(idNumber, 'id_number'), month);
      if (!line) {
        lines.push({ ...base, outcome: 'not_in_roll' });
        continue;
      }
      const named = { ...base, elderName: line.elder_name };
      if (Number(line.amount_fen) !== amountFen) {
        lines.push({ ...named, outcome: 'amount_mismatch' });
        continue;
      }
      const marked = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE allowance_roll_lines SET failed_at = now(), fail_reason = ${reason}
          WHERE id = ${line.id} AND failed_at IS NULL RETURNING id`,
      );
      if (!marked.length) {
        lines.push({ ...named, outcome: 'already_failed', reason: line.fail_reason });
        continue;
      }
      failedIds.push(Number(line.id));
      failedFen += Number(line.amount_fen);
      lines.push({ ...named, outcome: 'failed' });
      await tx.execute(sql`UPDATE allowance_applications SET account_problem = ${reason}, account_problem_at = now(), updated_at = now()
        WHERE id = ${line.application_id}`);
      await recordStep(
        ctx,
        tx,
        actor,
        { id: line.application_id, elderId: line.elder_id, regionCode: line.region_code },
        {
          action: 'payment_returned',
          from: null,
          to: null,
          reason: `${month} 发放被银行退回：${reason}`,
          auditAction: 'allowance.payment.returned',
          detail: { rollId, month, amountFen },
        },
      );
    }
    let ledgerTx: string | null = null;
    if (failedFen > 0) {
      // The money did not leave: it goes back from the payout account to the fund, once per newly failed line.
      const owner = districtFundOwner(roll.regionCode);
      const fund = await ensureAccount(tx, 'fund', 'fen', owner);
      const payout = await ensureAccount(tx, 'payout', 'fen', owner);
      ledgerTx = await post(tx, {
        kind: 'refund',
        currency: 'fen',
        legs: [
          { accountId: payout.id, amount: -failedFen },
          { accountId: fund.id, amount: failedFen },
        ],
        memo: `高龄津贴 ${roll.month} 银行退回（${failedIds.length}笔）`,
        actorId: actor.id,
      });
      await tx.execute(sql`UPDATE allowance_roll_lines SET reversal_tx_id = ${ledgerTx}
        WHERE id IN (${sql.join(
          failedIds.map((x) => sql`${x}`),
          sql`, `,
        )})`);
    } else markUnchanged();
    await recordAudit(tx, {
      actor,
      action: 'allowance.roll.returns',
      targetType: 'allowance_roll',
      targetId: rollId,
      regionCode: roll.regionCode,
      detail: { file: filename.slice(0, 200), rows: table.rows.length, failed: failedIds.length, failedFen, ledgerTx },
    });
    return { failed: failedIds.length, failedFen };
  });
  return {
    rollId,
    rows: lines.length,
    failed: result.failed,
    failedFen: result.failedFen,
    unchanged: lines.filter((l) => l.outcome === 'already_failed').length,
    rejected: lines.filter((l) => !['failed', 'already_failed'].includes(l.outcome)).length,
    lines,
  };
}

/** The roll's line for the elder with this ID number (blind index) and month. */
function lineOf(db: DbOrTx, rollId: string, idHash: string, month: string) {
  return queryRows<{
    id: string;
    application_id: string;
    elder_id: string;
    region_code: string;
    amount_fen: number;
    fail_reason: string | null;
    elder_name: string;
  }>(
    db,
    sql`SELECT l.id, l.application_id, l.elder_id, l.region_code, l.amount_fen, l.fail_reason, e.name AS elder_name
      FROM allowance_roll_lines l JOIN elders e ON e.id = l.elder_id
      WHERE l.roll_id = ${rollId} AND l.month = ${month} AND e.id_number_hash = ${idHash}
      ORDER BY l.id LIMIT 1`,
  );
}

/** Payments the bank returned in reach (newest first); `open`: the account is not corrected yet. */
export async function listFailedPayments(ctx: AppContext, actor: Actor, q: { regionCode?: string; open?: boolean }) {
  const rows = await failedPayments(ctx.db, actor, q);
  return {
    items: rows.map((r) => ({
      applicationId: r.application_id,
      elderId: r.elder_id,
      elderName: r.elder_name,
      idNumberMasked: maskedId(ctx.cipher, r.id_number_enc),
      regionCode: r.region_code,
      regionName: r.region_name,
      rollMonth: r.roll_month,
      month: r.month,
      amountFen: Number(r.amount_fen),
      failReason: r.fail_reason,
      failedAt: new Date(r.failed_at).toISOString(),
      bankName: r.bank_name,
      bankAccountMasked: maskAccount(clearValue(ctx.cipher, r.bank_account_enc)),
      accountProblem: r.account_problem,
      retriedInMonth: r.retried_in,
    })),
    total: rows.length,
  };
}
