import {
  type DEATH_SOURCES,
  type ExchangeImportKind,
  type ExchangeImportReport,
  ID_NUMBER_ERROR_ZH,
  maskIdNumber,
  parseIdNumber,
  regionLevelOf,
} from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { cstDate } from '../../lib/dates.ts';
import { type FieldError, unprocessable, validationError } from '../../lib/errors.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { parseDay, recordDeathRow, stopAllowancesOfDead } from '../allowances/deaths.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { changeStatusIn } from '../elders/elders.service.ts';
import * as regionsRepo from '../regions/regions.repo.ts';
import * as repo from './data-exchange.repo.ts';

export const EXCHANGE_IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 50_000 };

type Source = (typeof DEATH_SOURCES)[number];
type Change = ExchangeImportReport['changesList'][number];
const SOURCE_ZH: Record<Source, string> = { police: '公安', health: '卫健', funeral: '殡葬' };

/** The first column whose header is one of `names`, or -1. */
const columnOf = (t: ReadTable, names: string[]) => t.headers.findIndex((h) => names.includes(h.trim()));
const rowError = (row: number, message: string): FieldError => ({ path: `row.${row}`, message });

/**
 * A plan: what each row would do, and the work that does it inside one transaction. A file with
 * a bad row has no plan: the rows are reported (422) and nothing changes.
 */
interface Plan {
  changes: Change[];
  apply: (tx: DbOrTx) => Promise<void>;
}

async function planRegions(ctx: AppContext, actor: Actor, t: ReadTable): Promise<Plan> {
  const at = { code: columnOf(t, ['区划代码', '行政区划代码', '代码']), name: columnOf(t, ['名称', '区划名称']) };
  if (at.code < 0 || at.name < 0)
    throw unprocessable('The file needs the columns 区划代码 and 名称.', [rowError(1, '表头须有“区划代码”和“名称”两列')]);
  const errors: FieldError[] = [];
  const rows: Array<{ row: number; code: string; name: string }> = [];
  const seen = new Set<string>();
  for (const r of t.rows) {
    const code = (r.cells[at.code] ?? '').trim();
    const name = (r.cells[at.name] ?? '').trim();
    const level = regionLevelOf(code);
    if (r.formulaColumns.length) errors.push(rowError(r.rowNumber, '单元格含公式'));
    else if (level !== 'street' && level !== 'community')
      errors.push(rowError(r.rowNumber, `区划代码须为9位（街道）或12位（社区）数字：“${code}”`));
    else if (actor.regionCode !== null && !code.startsWith(actor.regionCode))
      errors.push(rowError(r.rowNumber, `区划代码 ${code} 不在本辖区内`));
    else if (seen.has(code)) errors.push(rowError(r.rowNumber, `区划代码 ${code} 重复`));
    else if (!name || name.length > 100) errors.push(rowError(r.rowNumber, '名称不能为空，且不超过100字'));
    else {
      seen.add(code);
      rows.push({ row: r.rowNumber, code, name });
    }
  }
  const existing = new Map(
    (await regionsRepo.findRegions(ctx.db, [...seen, ...[...seen].map((c) => c.slice(0, -3))])).map((r) => [r.code, r]),
  );
  const changes: Change[] = [];
  for (const p of rows) {
    const now = existing.get(p.code);
    if (now) {
      const action = now.name === p.name ? 'unchanged' : 'rename';
      changes.push({
        row: p.row,
        action,
        key: p.code,
        name: p.name,
        detail: action === 'rename' ? now.name : null,
        stopsAllowance: false,
      });
      continue;
    }
    const parent = p.code.slice(0, -3);
    if (!existing.has(parent) && !seen.has(parent)) {
      errors.push(rowError(p.row, `上级区划 ${parent} 不存在`));
      continue;
    }
    changes.push({ row: p.row, action: 'create', key: p.code, name: p.name, detail: null, stopsAllowance: false });
  }
  if (errors.length) throw badRows(errors);
  return {
    changes,
    async apply(tx) {
      // Streets before their communities.
      const todo = changes
        .filter((c) => c.action !== 'unchanged')
        .sort((a, b) => a.key.length - b.key.length || a.key.localeCompare(b.key));
      for (const [n, c] of todo.entries()) {
        if (n % 100 === 99) await letOthersRun();
        if (c.action === 'rename') await regionsRepo.updateRegion(tx, c.key, { name: c.name as string });
        else {
          const level = regionLevelOf(c.key) as 'street' | 'community';
          await regionsRepo.insertRegion(tx, {
            code: c.key,
            name: c.name as string,
            level,
            parentCode: c.key.slice(0, -3),
            lat: null,
            lng: null,
          });
        }
      }
    },
  };
}

async function planDeaths(ctx: AppContext, actor: Actor, t: ReadTable, source: Source, prefix: string): Promise<Plan> {
  const at = {
    id: columnOf(t, ['身份证号', '身份证号码', '公民身份号码', '证件号码']),
    date: columnOf(t, ['死亡日期', '死亡时间', '火化日期']),
    name: columnOf(t, ['姓名']),
  };
  if (at.id < 0 || at.date < 0)
    throw unprocessable('The file needs the columns 身份证号 and 死亡日期.', [rowError(1, '表头须有“身份证号”和“死亡日期”两列')]);
  const today = cstDate();
  const errors: FieldError[] = [];
  const rows: Array<{ row: number; id: string; hash: string; date: string; name: string }> = [];
  const seen = new Set<string>();
  for (const r of t.rows) {
    const parsed = parseIdNumber(r.cells[at.id] ?? '');
    const date = parseDay(r.cells[at.date] ?? '');
    const name = at.name >= 0 ? (r.cells[at.name] ?? '').trim() : '';
    if (r.formulaColumns.length) errors.push(rowError(r.rowNumber, '单元格含公式'));
    else if (!parsed.ok) errors.push(rowError(r.rowNumber, ID_NUMBER_ERROR_ZH[parsed.error]));
    else if (!date) errors.push(rowError(r.rowNumber, '死亡日期无效（应为 YYYY-MM-DD）'));
    else if (date > today) errors.push(rowError(r.rowNumber, '死亡日期不能晚于今天'));
    else if (seen.has(parsed.value.idNumber))
      errors.push(rowError(r.rowNumber, `身份证号 ${maskIdNumber(parsed.value.idNumber)} 在文件中重复`));
    else {
      seen.add(parsed.value.idNumber);
      rows.push({
        row: r.rowNumber,
        id: parsed.value.idNumber,
        hash: ctx.cipher.blindIndex(parsed.value.idNumber, 'id_number'),
        date,
        name,
      });
    }
  }
  const elders = new Map<string, Awaited<ReturnType<typeof repo.eldersByIdHash>>[number]>();
  for (let i = 0; i < rows.length; i += 1000) {
    for (const e of await repo.eldersByIdHash(
      ctx.db,
      prefix,
      rows.slice(i, i + 1000).map((r) => r.hash),
    ))
      elders.set(e.id_number_hash, e);
  }
  const changes: Change[] = [];
  const toRecord: Array<{ elderId: string; regionCode: string; date: string }> = [];
  const matched: Array<{ elderId: string; regionCode: string; date: string }> = [];
  for (const p of rows) {
    const e = elders.get(p.hash);
    const base = { row: p.row, key: maskIdNumber(p.id) as string, detail: p.date };
    // An ID in another district's archive is as unknown to this district as one in no archive.
    if (!e) {
      changes.push({ ...base, action: 'unmatched', name: null, stopsAllowance: false });
      continue;
    }
    if (p.name && p.name !== e.name) {
      errors.push(rowError(p.row, `姓名“${p.name}”与档案不符`));
      continue;
    }
    if (e.status === 'deceased') {
      changes.push({ ...base, action: 'already_recorded', name: e.name, stopsAllowance: false });
      matched.push({ elderId: e.id, regionCode: e.region_code, date: p.date });
      continue;
    }
    if (p.date < e.birth_date) {
      errors.push(rowError(p.row, `死亡日期早于出生日期（${e.birth_date}）`));
      continue;
    }
    changes.push({ ...base, action: 'record', name: e.name, stopsAllowance: e.allowance_running });
    toRecord.push({ elderId: e.id, regionCode: e.region_code, date: p.date });
    matched.push({ elderId: e.id, regionCode: e.region_code, date: p.date });
  }
  if (errors.length) throw badRows(errors);
  return {
    changes,
    async apply(tx) {
      for (const [n, r] of toRecord.entries()) {
        if (n % 50 === 49) await letOthersRun();
        // The archive's own status change: history, audit, and `elder.status-changed`, on which
        // wallets freeze, devices unbind, open orders and cards stop (docs/allowances.md).
        await changeStatusIn(ctx, tx, actor, r.elderId, {
          status: 'deceased',
          date: r.date,
          reason: `${SOURCE_ZH[source]}死亡信息导入（数据交换）`,
        });
      }
      for (const r of matched)
        await recordDeathRow(tx, {
          regionCode: r.regionCode,
          source,
          elderId: r.elderId,
          deathDate: r.date,
          importedBy: actor.id,
        });
      if (toRecord.length)
        await stopAllowancesOfDead(ctx, tx, new Map(toRecord.map((r) => [r.elderId, r.regionCode.slice(0, 6)])));
    },
  };
}

function badRows(errors: FieldError[]) {
  const sorted = errors.sort((a, b) => Number(a.path.slice(4)) - Number(b.path.slice(4)));
  return unprocessable(`${sorted.length} row(s) are not valid; nothing was changed.`, sorted);
}

/**
 * A reference-data import: a dry run (`apply` false) answers what each row would change and
 * writes only the history and the audit entry; an apply does it all in one transaction. A bad row
 * refuses the whole file (422, each row named). Applying the same file twice changes nothing the
 * second time: rows are compared with the tables, never replayed.
 */
export async function runImport(
  ctx: AppContext,
  actor: Actor,
  q: { kind: ExchangeImportKind; source?: Source },
  upload: { table: ReadTable; filename: string; data?: Buffer },
  apply: boolean,
): Promise<ExchangeImportReport> {
  if (q.kind === 'deaths' && !q.source)
    throw validationError('query.source', 'a death list needs its source: police, health or funeral');
  if (!upload.table.rows.length) throw unprocessable('The file has no rows.', [rowError(2, '文件中没有数据行')]);
  const prefix = actor.regionCode ?? '';
  let plan: Plan;
  try {
    plan =
      q.kind === 'regions'
        ? await planRegions(ctx, actor, upload.table)
        : await planDeaths(ctx, actor, upload.table, q.source as Source, prefix);
  } catch (err) {
    // The refused attempt stays in the trail, without the rows' content.
    await recordAudit(ctx.db, {
      actor,
      action: apply ? 'exchange.import.apply' : 'exchange.import.preview',
      targetType: 'data_exchange',
      regionCode: prefix || null,
      outcome: 'failed',
      detail: { kind: q.kind, filename: upload.filename.slice(0, 200), rows: upload.table.rows.length },
    });
    throw err;
  }
  const changed = plan.changes.filter((c) => c.action === 'create' || c.action === 'rename' || c.action === 'record').length;
  const exchangeId = await ctx.db.transaction(async (tx) => {
    if (apply) await plan.apply(tx);
    const id = await repo.insertExchange(tx, {
      direction: 'import',
      dataset: q.kind,
      format: upload.filename.split('.').pop()?.toLowerCase().slice(0, 10) ?? null,
      mode: apply ? 'apply' : 'preview',
      since: null,
      regionCode: prefix,
      filename: upload.filename.slice(0, 200),
      fileSha256: upload.data ? sha256Hex(upload.data) : null,
      rows: upload.table.rows.length,
      changes: changed,
      actorId: actor.id,
      actorName: actor.displayName,
    });
    await recordAudit(tx, {
      actor,
      action: apply ? 'exchange.import.apply' : 'exchange.import.preview',
      targetType: 'data_exchange',
      targetId: id,
      regionCode: prefix || null,
      detail: { kind: q.kind, source: q.source ?? null, rows: upload.table.rows.length, changes: changed },
    });
    return id;
  });
  return {
    kind: q.kind,
    applied: apply,
    rows: upload.table.rows.length,
    changes: changed,
    unchanged: plan.changes.length - changed,
    changesList: plan.changes,
    exchangeId,
  };
}
