import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './privilege-cards.repo.ts';
import { checkOutcome } from './privilege-cards.rules.ts';
import type { CheckResult } from './privilege-cards.schema.ts';
import { recordStep } from './steps.ts';

/**
 * The external data check (外部数据核验) of an application against 人社 (hrss), 公安 (police) and
 * 卫健 (health). A district connects a real service by implementing `CardCheckAdapter` and feeding
 * its answers to `applyCheckAnswers`; the default adapter is the import below, where staff upload
 * the result file the bureaus send back. docs/privilege-cards.md describes both.
 */
export interface CardCheckAdapter {
  /** The source this adapter asks. */
  readonly source: CheckResult['source'];
  /** Ask about one person by ID number; null when the service has no answer yet (asked again later). */
  check(idNumber: string): Promise<{ passed: boolean; reason: string | null } | null>;
}

export interface CheckAnswer {
  idNumber: string;
  results: CheckResult[];
}

/**
 * Record one person's answers on their application under check in reach: the new status and the
 * elder's name, or null when no application under check in reach matched.
 */
export async function applyCheckAnswers(ctx: AppContext, actor: Actor, a: CheckAnswer) {
  const idHash = ctx.cipher.blindIndex(a.idNumber.trim().toUpperCase(), 'id_number');
  return ctx.db.transaction(async (tx) => {
    const [row] = await repo.checkingByIdHash(tx, actor, idHash);
    if (!row) return null;
    const merged = [...row.card.checkResults.filter((r) => !a.results.some((n) => n.source === r.source)), ...a.results];
    const status = checkOutcome(merged);
    const reason =
      status === 'failed'
        ? merged
            .filter((r) => !r.passed)
            .map((r) => r.reason ?? r.source)
            .join('；')
        : null;
    const card = await repo.updateCard(tx, row.card.id, { checkResults: merged, checkedAt: new Date(), status, reason });
    await recordStep(ctx, tx, actor, card, 'privilege-card.check', { sources: a.results.map((r) => r.source) });
    return { status, elderName: row.elderName, reason };
  });
}

/** The result file's columns (the template in docs/privilege-cards.md). */
const COLUMNS = { idNumber: '身份证号', hrss: '人社', police: '公安', health: '卫健', reason: '原因' } as const;
const PASS = new Set(['通过', '是', 'pass', 'passed', 'yes']);
const FAIL = new Set(['不通过', '未通过', '否', 'fail', 'failed', 'no']);
const ID = /^\d{17}[\dX]$/;

type Skipped = { row: number; reason: 'no_application' | 'bad_id' | 'bad_result' };
type Outcome = {
  row: number;
  outcome: 'passed' | 'failed' | 'pending' | Skipped['reason'];
  elderName: string | null;
  reason: string | null;
};

/** Import a result file: each row an ID number and 通过 / 不通过 (or blank: not answered) per source. */
export async function importCheckFile(ctx: AppContext, actor: Actor, table: ReadTable, filename: string) {
  const col = (name: string) => table.headers.findIndex((h) => h.trim() === name);
  const at = { id: col(COLUMNS.idNumber), hrss: col(COLUMNS.hrss), police: col(COLUMNS.police), health: col(COLUMNS.health) };
  const reasonAt = col(COLUMNS.reason);
  const report = {
    rows: table.rows.length,
    passed: 0,
    failed: 0,
    pending: 0,
    skipped: [] as Skipped[],
    outcomes: [] as Outcome[],
  };
  const skip = (row: number, reason: Skipped['reason']) => {
    report.skipped.push({ row, reason });
    report.outcomes.push({ row, outcome: reason, elderName: null, reason: null });
  };
  for (const [i, r] of table.rows.entries()) {
    if (i % 20 === 19) await letOthersRun();
    const idNumber = (r.cells[at.id] ?? '').trim().toUpperCase();
    if (!ID.test(idNumber)) {
      skip(r.rowNumber, 'bad_id');
      continue;
    }
    const reason = reasonAt >= 0 ? (r.cells[reasonAt] ?? '').trim().slice(0, 200) || null : null;
    const results: CheckResult[] = [];
    let bad = false;
    for (const source of ['hrss', 'police', 'health'] as const) {
      const v = at[source] >= 0 ? (r.cells[at[source]] ?? '').trim().toLowerCase() : '';
      if (!v) continue;
      if (PASS.has(v)) results.push({ source, passed: true, reason: null });
      else if (FAIL.has(v)) results.push({ source, passed: false, reason: reason ?? `${COLUMNS[source]}核验未通过` });
      else bad = true;
    }
    if (bad || results.length === 0) {
      skip(r.rowNumber, 'bad_result');
      continue;
    }
    const applied = await applyCheckAnswers(ctx, actor, { idNumber, results });
    if (applied === null) {
      skip(r.rowNumber, 'no_application');
      continue;
    }
    const outcome = applied.status === 'checking' ? 'pending' : applied.status;
    report[outcome]++;
    report.outcomes.push({ row: r.rowNumber, outcome, elderName: applied.elderName, reason: applied.reason });
  }
  await recordAudit(ctx.db, {
    actor,
    action: 'privilege-card.check.import',
    targetType: 'privilege_card_check_file',
    targetId: filename.slice(0, 200),
    regionCode: actor.regionCode,
    detail: {
      rows: report.rows,
      passed: report.passed,
      failed: report.failed,
      pending: report.pending,
      skipped: report.skipped.length,
    },
  });
  return report;
}
