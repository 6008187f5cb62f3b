import { maskIdNumber } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { AppError, conflict } from '../../lib/errors.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { changeStatus } from '../elders/elders.service.ts';
import { openRecovery, reachOf } from './back-office.repo.ts';
import type { DeathSource } from './back-office.schema.ts';
import { districtOf } from './steps.ts';
import { stopGoneRecipients } from './sweep.service.ts';

/**
 * The death-record import from 公安 (police), 卫健 (health) or 殡葬 (funeral): a file of ID numbers
 * and dates of death. Each row is matched by the ID number's blind index to an elder in reach;
 * a death not yet in the archive is recorded through the archive's own status change (the same
 * as staff recording it: status history, audit, `elder.status-changed` for wallets, devices and
 * the allowance listener); the allowance then stops after the month of death, the later months
 * already paid are flagged and a recovery is opened with their total. Rows that match nobody are
 * reported back. Importing the same file again records nothing new.
 */

const ID = /^\d{17}[\dX]$/;
const SOURCE_ZH: Record<DeathSource, string> = { police: '公安', health: '卫健', funeral: '殡葬' };
const COLUMNS = { id: ['身份证号', '身份证号码', '公民身份号码', '证件号码'], date: ['死亡日期', '死亡时间', '火化日期'] };

/** "2026-03-05", "2026/3/5", "20260305", "2026-03-05 10:00" → "2026-03-05". */
export function parseDay(v: string): string | null {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$/.exec(v.trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const t = new Date(`${d}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d ? null : d;
}

type Outcome = 'recorded' | 'already_recorded' | 'unmatched' | 'bad_row' | 'out_of_reach';

export async function importDeathFile(ctx: AppContext, actor: Actor, source: DeathSource, table: ReadTable, filename: string) {
  const col = (names: string[]) => table.headers.findIndex((h) => names.includes(h.trim()));
  const at = { id: col(COLUMNS.id), date: col(COLUMNS.date) };
  if (at.id < 0 || at.date < 0)
    throw conflict('The file needs the columns 身份证号 and 死亡日期; see docs/allowances.md.', undefined, 'invalid-state');
  const today = cstDate();
  const lines: Array<{
    row: number;
    outcome: Outcome;
    elderName: string | null;
    idNumberMasked: string | null;
    deathDate: string | null;
    overpaidFen: number;
    reason: string | null;
    elderId?: string;
  }> = [];
  const matched = new Map<string, string>(); // elder → district
  for (const [i, r] of table.rows.entries()) {
    if (i % 20 === 19) await letOthersRun();
    const idNumber = (r.cells[at.id] ?? '').trim().toUpperCase();
    const deathDate = parseDay(r.cells[at.date] ?? '');
    const base = {
      row: r.rowNumber,
      elderName: null,
      idNumberMasked: ID.test(idNumber) ? maskIdNumber(idNumber) : null,
      deathDate,
      overpaidFen: 0,
      reason: null,
    };
    if (!ID.test(idNumber) || !deathDate || deathDate > today) {
      lines.push({ ...base, outcome: 'bad_row', reason: !ID.test(idNumber) ? '身份证号格式不对' : '死亡日期无效' });
      continue;
    }
    const [elder] = await queryRows<{
      id: string;
      name: string;
      status: string;
      status_date: string | null;
      region_code: string;
    }>(
      ctx.db,
      sql`SELECT e.id, e.name, e.status, e.status_date, e.region_code FROM elders e
        WHERE e.id_number_hash = ${ctx.cipher.blindIndex(idNumber, 'id_number')} AND ${reachOf(actor)} LIMIT 1`,
    );
    // An ID in another district's archive is as unknown to this district as one in no archive.
    if (!elder) {
      lines.push({ ...base, outcome: 'unmatched', reason: '档案中无此人' });
      continue;
    }
    let outcome: Outcome = 'already_recorded';
    if (elder.status !== 'deceased') {
      try {
        await changeStatus(ctx, actor, elder.id, {
          status: 'deceased',
          date: deathDate,
          reason: `${SOURCE_ZH[source]}死亡信息导入`,
        });
        outcome = 'recorded';
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        lines.push({ ...base, elderName: elder.name, outcome: 'bad_row', reason: err.message });
        continue;
      }
    }
    await ctx.db.execute(sql`INSERT INTO allowance_death_records (region_code, source, elder_id, death_date, imported_by)
      VALUES (${elder.region_code}, ${source}, ${elder.id}, ${deathDate}, ${actor.id}) ON CONFLICT (elder_id, source) DO NOTHING`);
    matched.set(elder.id, districtOf(elder.region_code));
    lines.push({ ...base, elderName: elder.name, outcome, overpaidFen: 0, elderId: elder.id });
  }
  // Then once per district, not per row: stop the allowances at once rather than wait for the
  // listener or the daily sweep (all three idempotent), and open the recoveries.
  const opened = await ctx.db.transaction((tx) => stopAllowancesOfDead(ctx, tx, matched));
  // What each row flagged: for a death it recorded, the elder's recovery (the archive's listener
  // may have opened it first); for one already recorded, only what this import opened.
  for (const l of lines) {
    if (!l.elderId) continue;
    if (l.outcome === 'recorded') {
      const [sum] = await queryRows<{ total: string | null }>(
        ctx.db,
        sql`SELECT sum(amount_fen) AS total FROM allowance_recoveries WHERE elder_id = ${l.elderId}`,
      );
      l.overpaidFen = Number(sum?.total ?? 0);
    } else l.overpaidFen = opened.get(l.elderId) ?? 0;
    opened.delete(l.elderId); // an elder listed twice counts once
  }
  const count = (o: Outcome) => lines.filter((l) => l.outcome === o).length;
  const report = {
    source,
    rows: lines.length,
    recorded: count('recorded'),
    alreadyRecorded: count('already_recorded'),
    unmatched: count('unmatched'),
    rejected: count('bad_row'),
    overpaidFen: lines.reduce((a, l) => a + l.overpaidFen, 0),
    lines: lines.map(({ elderId: _, ...l }) => l),
  };
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.deaths.import',
    targetType: 'allowance_death_file',
    targetId: filename.slice(0, 200),
    regionCode: actor.regionCode,
    detail: {
      source,
      rows: report.rows,
      recorded: report.recorded,
      alreadyRecorded: report.alreadyRecorded,
      unmatched: report.unmatched,
      rejected: report.rejected,
      overpaidFen: report.overpaidFen,
    },
  });
  return report;
}

/**
 * After deaths are recorded in the archive (inside `tx`): stop the allowances of these elders
 * (elder → district) at once rather than wait for the listener or the daily sweep, and open their
 * recoveries. Idempotent. Returns elder → amount of the recoveries this call opened. Used by the
 * death-list import here and by the data exchange's death-record import (docs/data-exchange.md).
 */
export async function stopAllowancesOfDead(ctx: AppContext, tx: DbOrTx, matched: Map<string, string>) {
  const opened = new Map<string, number>();
  for (const district of new Set(matched.values())) await stopGoneRecipients(ctx, tx, district);
  const ids = [...matched.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    const apps = await queryRows<{ id: string; elder_id: string; region_code: string; stopped_after: string | null }>(
      tx,
      sql`SELECT id, elder_id, region_code, stopped_after FROM allowance_applications
        WHERE status = 'stopped' AND suspend_reason = 'death' AND elder_id IN (${sql.join(
          ids.slice(i, i + 1000).map((x) => sql`${x}`),
          sql`, `,
        )})`,
    );
    for (const a of apps) {
      if (!a.stopped_after) continue;
      const r = await openRecovery(tx, { id: a.id, elderId: a.elder_id, regionCode: a.region_code }, a.stopped_after);
      if (r.opened) opened.set(a.elder_id, (opened.get(a.elder_id) ?? 0) + r.amountFen);
    }
  }
  return opened;
}

/** Store a death row of a source (公安 / 卫健 / 殡葬) for an elder; a second one of the same source is ignored. */
export async function recordDeathRow(
  tx: DbOrTx,
  row: { regionCode: string; source: DeathSource; elderId: string; deathDate: string; importedBy: string | null },
) {
  await tx.execute(sql`INSERT INTO allowance_death_records (region_code, source, elder_id, death_date, imported_by)
    VALUES (${row.regionCode}, ${row.source}, ${row.elderId}, ${row.deathDate}, ${row.importedBy}) ON CONFLICT (elder_id, source) DO NOTHING`);
}
