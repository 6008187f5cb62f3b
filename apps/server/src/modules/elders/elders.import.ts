import { PHONE_PATTERN } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { isoDate } from '../../lib/http.ts';
import { type ReadTable, writeXlsx } from '../../lib/spreadsheet.ts';
import { type ImportSlot, letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { checkElderFields, encodeElder, normalisePhone } from './elders.fields.ts';
import * as repo from './elders.repo.ts';
import type { ImportRowError } from './elders.schema.ts';
import { codeSheetRows, HEADER_OF, readSheetRow, SHEET_COLUMNS, type SheetKey } from './elders.sheet.ts';
import * as imports from './imports.repo.ts';

export const IMPORT_LIMITS = { maxBytes: 40 * 1024 * 1024, maxRows: 100_000 };
/**
 * Rows per transaction. On PGlite a transaction holds the one connection, so a health check or a
 * device event waits for the chunk in progress: 250 rows keeps that wait near 0.2 s (1,000: 0.5 s).
 */
const CHUNK = 250;
/** Rows between two turns of the event loop while rows are checked and encrypted. */
const ROWS_PER_TURN = 25;

export async function importTemplate(ctx: AppContext, actor: Actor): Promise<Buffer> {
  const communities = await repo.visibleCommunities(ctx.db, actor);
  const example = [
    '张秀英',
    '居民身份证',
    '',
    '',
    '',
    '13812345678',
    communities[0]?.code ?? '',
    '锦华路1号3栋2单元',
    '',
    '是',
    '独居',
    '低保；百岁老人',
    '',
    '城乡居民医保',
    '高血压；糖尿病',
    '青霉素',
    '低盐；低糖',
    '',
    '',
    '',
    '张明',
    '子女',
    '13912345678',
  ];
  return writeXlsx(
    '老人档案',
    SHEET_COLUMNS.map((c) => ('required' in c && c.required ? `${c.header}*` : c.header)),
    [example],
    [{ name: '代码表', headers: ['项目', '名称', '代码'], rows: codeSheetRows(communities) }],
  );
}

export function presentImport(r: imports.ImportRow) {
  return {
    id: r.id,
    filename: r.filename,
    status: r.status,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    createdCount: r.createdCount,
    updatedCount: r.updatedCount,
    errorCount: r.errorCount,
    failure: r.failure,
    createdAt: isoDate(r.createdAt) as string,
    finishedAt: isoDate(r.finishedAt),
  };
}

/**
 * Check the whole table first (read under IMPORT_LIMITS by `withUploadedTable`) — headers,
 * formulas — and refuse it with a 400 before anything is written. Then record the import and
 * process rows in the background in chunks, holding the caller's import place (`slot`) until
 * done; the console polls the record for progress. `wait` finishes before answering (tests, CLI).
 */
export async function startImport(
  ctx: AppContext,
  actor: Actor,
  filename: string,
  table: ReadTable,
  opts: { wait?: boolean; slot?: ImportSlot } = {},
) {
  const headerIndex = new Map(table.headers.map((h, i) => [h.replace(/\*$/, '').trim(), i]));
  const missing = SHEET_COLUMNS.filter((c) => 'required' in c && c.required && !headerIndex.has(c.header)).map((c) => c.header);
  if (missing.length) throw badRequest(`表头缺少必填列：${missing.join('、')}。请使用导入模板。`);
  const formulas = table.rows.flatMap((r) => r.formulaColumns.map((c) => `第${r.rowNumber}行“${table.headers[c] ?? c + 1}”列`));
  if (formulas.length)
    throw badRequest(
      `文件包含公式，未导入任何数据：${formulas.slice(0, 5).join('、')}${formulas.length > 5 ? ` 等${formulas.length}处` : ''}。请将公式粘贴为数值后再导入。`,
    );
  if (table.rows.length === 0) throw badRequest('文件中没有数据行。');
  const record = await imports.insertImport(ctx.db, {
    filename: filename.slice(0, 200),
    totalRows: table.rows.length,
    regionCode: actor.regionCode,
    createdBy: actor.id,
  });
  const cols = new Map<SheetKey, number>();
  for (const c of SHEET_COLUMNS) {
    const i = headerIndex.get(c.header);
    if (i !== undefined) cols.set(c.key, i);
  }
  const run = processImport(ctx, actor, record.id, table.rows, cols).catch(async (err) => {
    ctx.log.error({ err, importId: record.id }, 'elder import failed');
    await imports.updateImport(ctx.db, record.id, {
      status: 'failed',
      failure: '导入过程中出错，已导入的批次保留；请下载错误报告后重新导入。',
      finishedAt: new Date(),
    });
  });
  opts.slot?.holdUntil(run);
  if (opts.wait) await run;
  return getImport(ctx, actor, record.id);
}

type Rows = ReadTable['rows'];

async function processImport(ctx: AppContext, actor: Actor, importId: string, rows: Rows, cols: Map<SheetKey, number>) {
  const communities = new Set((await repo.visibleCommunities(ctx.db, actor)).map((c) => c.code));
  const seen = new Map<string, number>();
  const errors: ImportRowError[] = [];
  let created = 0;
  let updated = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const good: Array<{
      row: number;
      encoded: ReturnType<typeof encodeElder>;
      contact: { name: string; relationship: string; phone: string } | null;
    }> = [];
    for (const [n, r] of chunk.entries()) {
      // Row checks and encryption are CPU work: let device events and health checks in between.
      if (n % ROWS_PER_TURN === 0) await letOthersRun();
      const get = (k: SheetKey) => {
        const i = cols.get(k);
        return i === undefined ? '' : (r.cells[i] ?? '').trim();
      };
      const sheet = readSheetRow(get);
      const rowErrors: ImportRowError[] = sheet.problems.map((p) => ({ row: r.rowNumber, column: p.column, message: p.message }));
      const checked = checkElderFields(sheet.fields);
      for (const p of checked.problems)
        if (!(p.field === 'name' && !sheet.fields.name))
          rowErrors.push({ row: r.rowNumber, column: HEADER_OF[p.field as SheetKey] ?? null, message: p.zh });
      if (sheet.fields.regionCode && !communities.has(sheet.fields.regionCode))
        rowErrors.push({ row: r.rowNumber, column: HEADER_OF.regionCode, message: '居住社区编码不存在或不在您的辖区' });
      if (sheet.contact?.phone && !PHONE_PATTERN.test(normalisePhone(sheet.contact.phone)))
        rowErrors.push({ row: r.rowNumber, column: HEADER_OF.contactPhone, message: '联系人电话格式错误' });
      if (rowErrors.length || !checked.identity) {
        errors.push(...rowErrors);
        continue;
      }
      const encoded = encodeElder(ctx.cipher, sheet.fields, checked.identity);
      const first = seen.get(encoded.idNumberHash);
      if (first !== undefined) {
        errors.push({ row: r.rowNumber, column: HEADER_OF.idNumber, message: `与第${first}行证件号码重复` });
        continue;
      }
      seen.set(encoded.idNumberHash, r.rowNumber);
      good.push({ row: r.rowNumber, encoded, contact: sheet.contact });
    }
    const existing = new Map(
      (
        await repo.findByIdHashes(
          ctx.db,
          good.map((g) => g.encoded.idNumberHash),
        )
      ).map((e) => [e.idNumberHash, e]),
    );
    const writable = good.filter((g) => {
      const e = existing.get(g.encoded.idNumberHash);
      if (e && !communities.has(e.regionCode)) {
        errors.push({ row: g.row, column: HEADER_OF.idNumber, message: '该证件号码已在其他辖区建档，请联系上级部门' });
        return false;
      }
      return true;
    });
    await ctx.db.transaction(async (tx) => {
      if (writable.length) {
        const saved = await imports.upsertEldersByIdNumber(
          tx,
          writable.map((g) => ({ ...g.encoded, createdBy: actor.id })),
        );
        const idByHash = new Map(saved.map((s) => [s.idNumberHash, s.id]));
        await addImportedContacts(
          ctx,
          tx,
          writable.flatMap((g) => (g.contact ? [{ elderId: idByHash.get(g.encoded.idNumberHash) as string, ...g.contact }] : [])),
        );
      }
      const upd = writable.filter((g) => existing.has(g.encoded.idNumberHash)).length;
      updated += upd;
      created += writable.length - upd;
      await imports.updateImport(tx, importId, {
        processedRows: start + chunk.length,
        progressAt: new Date(),
        createdCount: created,
        updatedCount: updated,
        errorCount: new Set(errors.map((e) => e.row)).size,
      });
    });
  }
  await ctx.db.transaction(async (tx) => {
    await imports.updateImport(tx, importId, {
      status: 'done',
      errors,
      finishedAt: new Date(),
      errorCount: new Set(errors.map((e) => e.row)).size,
    });
    await recordAudit(tx, {
      actor,
      action: 'elder.import',
      targetType: 'elder_import',
      targetId: importId,
      regionCode: actor.regionCode,
      detail: { rows: rows.length, created, updated, badRows: new Set(errors.map((e) => e.row)).size },
    });
  });
}

/** A spreadsheet's emergency contact is added at the end of the call list unless the phone is already there. */
async function addImportedContacts(
  ctx: AppContext,
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  items: Array<{ elderId: string; name: string; relationship: string; phone: string }>,
) {
  if (!items.length) return;
  const current = await imports.contactPhonesOf(
    tx,
    items.map((i) => i.elderId),
  );
  const count = new Map<string, number>();
  const have = new Set(current.map((c) => `${c.elderId}:${c.phoneHash}`));
  for (const c of current) count.set(c.elderId, (count.get(c.elderId) ?? 0) + 1);
  const rows = [];
  for (const i of items) {
    const phone = normalisePhone(i.phone);
    const phoneHash = ctx.cipher.blindIndex(phone, 'phone');
    if (have.has(`${i.elderId}:${phoneHash}`)) continue;
    const n = (count.get(i.elderId) ?? 0) + 1;
    count.set(i.elderId, n);
    rows.push({
      elderId: i.elderId,
      name: i.name.slice(0, 50),
      relationship: i.relationship.slice(0, 20),
      phoneEnc: ctx.cipher.encrypt(phone),
      phoneHash,
      callOrder: n,
    });
  }
  if (rows.length) await imports.insertContacts(tx, rows);
}

async function findImport(ctx: AppContext, actor: Actor, id: string) {
  const r = await imports.findImportRow(ctx.db, id);
  // Only the uploader (or the system) sees an import and its report.
  if (!r || (r.createdBy !== actor.id && actor.role !== 'system')) throw notFound('Import');
  return r;
}

export async function getImport(ctx: AppContext, actor: Actor, id: string) {
  return presentImport(await findImport(ctx, actor, id));
}

/** The error report: each bad row with the column and the reason in Chinese. */
export async function importErrorReport(ctx: AppContext, actor: Actor, id: string): Promise<Buffer> {
  const r = await findImport(ctx, actor, id);
  return writeXlsx(
    '错误报告',
    ['行号', '列', '错误原因'],
    r.errors.map((e) => [e.row, e.column ?? '', e.message]),
  );
}

/** Minutes without progress after which a running import is taken to have died with its process. */
export const STALLED_IMPORT_MINUTES = 10;

/**
 * Mark imports that stopped making progress (their process restarted or crashed) as failed,
 * with a message saying that the batches already written are kept and the file can be imported
 * again (re-import updates by ID number, so nothing is duplicated).
 */
export async function failStalledImports(ctx: AppContext, minutes = STALLED_IMPORT_MINUTES): Promise<number> {
  const rows = await imports.failImportsStalledSince(
    ctx.db,
    new Date(Date.now() - minutes * 60_000),
    '导入中断（服务重启）；已导入的批次保留，请重新导入该文件，已有记录会被更新而不会重复。',
  );
  return rows.length;
}
