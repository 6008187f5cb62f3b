import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { isoDate } from '../../lib/http.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { type ImportSlot, letOthersRun } from '../../lib/table-upload.ts';
import { importTransactionSizer } from '../../lib/transaction-sizer.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { EncodedRow } from './elders.import-rows.ts';
import { type EncodeResult, type EncodeTask, importPool, type ReadResult, type ReadTask } from './elders.import-tasks.ts';
import * as repo from './elders.repo.ts';
import type { ImportRowError } from './elders.schema.ts';
import { codeSheetRows, HEADER_OF, SHEET_COLUMNS, type SheetKey } from './elders.sheet.ts';
import * as imports from './imports.repo.ts';

export const IMPORT_LIMITS = { maxBytes: 40 * 1024 * 1024, maxRows: 100_000 };
/** Rows per batch checked, encrypted and indexed in one task of a worker thread. */
const BATCH = 500;

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
    unchangedCount: r.unchangedCount,
    errorCount: r.errorCount,
    failure: r.failure,
    createdAt: isoDate(r.createdAt) as string,
    finishedAt: isoDate(r.finishedAt),
  };
}

/**
 * Read the upload in a worker thread (lib/xlsx-reader.ts, under IMPORT_LIMITS) and check the
 * whole file — headers, formulas, at least one row — refusing it with a 400 before anything is
 * written. Then record the import and process the rows in the background, batch by batch (each
 * checked, encrypted and indexed in a worker, written in one transaction), holding the caller's
 * import place (`slot`) until done; the console polls the record for progress. `wait` finishes
 * before answering (tests, CLI).
 */
export async function startImport(
  ctx: AppContext,
  actor: Actor,
  filename: string,
  data: Buffer,
  opts: {
    wait?: boolean;
    slot?: ImportSlot;
    /** Called after each committed chunk with the rows processed so far (tests: hold or cut off an import there). */
    afterChunk?: (processed: number) => Promise<void>;
  } = {},
) {
  // The bytes are handed to the thread, not copied; the upload's own buffer may be a slice of a larger one.
  const file = new Uint8Array(data).buffer;
  const read = await importPool().run<ReadResult>(
    'read',
    { file, filename, limits: IMPORT_LIMITS, batchRows: BATCH } satisfies ReadTask,
    [file],
  );
  const headers = read.headers;
  const headerIndex = new Map(headers.map((h, i) => [h.replace(/\*$/, '').trim(), i]));
  const missing = SHEET_COLUMNS.filter((c) => 'required' in c && c.required && !headerIndex.has(c.header)).map((c) => c.header);
  if (missing.length) throw badRequest(`表头缺少必填列：${missing.join('、')}。请使用导入模板。`);
  if (read.formulaCount)
    throw badRequest(
      `文件包含公式，未导入任何数据：${read.formulas.map((f) => `第${f.row}行“${headers[f.col] ?? f.col + 1}”列`).join('、')}${read.formulaCount > 5 ? ` 等${read.formulaCount}处` : ''}。请将公式粘贴为数值后再导入。`,
    );
  if (read.totalRows === 0) throw badRequest('文件中没有数据行。');
  const record = await imports.insertImport(ctx.db, {
    filename: filename.slice(0, 200),
    totalRows: read.totalRows,
    regionCode: actor.regionCode,
    createdBy: actor.id,
  });
  const cols: Array<[SheetKey, number]> = [];
  for (const c of SHEET_COLUMNS) {
    const i = headerIndex.get(c.header);
    if (i !== undefined) cols.push([c.key, i]);
  }
  const run = processImport(ctx, actor, record.id, read, cols, opts.afterChunk).catch(async (err) => {
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

async function processImport(
  ctx: AppContext,
  actor: Actor,
  importId: string,
  read: ReadResult,
  cols: Array<[SheetKey, number]>,
  afterChunk?: (processed: number) => Promise<void>,
) {
  const visible = (await repo.visibleCommunities(ctx.db, actor)).map((c) => c.code);
  const communities = new Set(visible);
  const key = ctx.cipher.keyForWorker();
  const pool = importPool();
  // Batches are encoded ahead (one more than there are threads) while the previous one is written.
  const batches: Array<ArrayBuffer | undefined> = read.batches;
  const encoding: Array<Promise<EncodeResult>> = [];
  let launched = 0;
  const launch = () => {
    const batch = batches[launched] as ArrayBuffer;
    batches[launched++] = undefined;
    const p = pool.run<EncodeResult>('encode', { batch, cols, communities: visible, key } satisfies EncodeTask, [batch]);
    // Awaited in order below; a batch that fails while an earlier one is written must not be "unhandled".
    p.catch(() => {});
    encoding.push(p);
  };
  const seen = new Map<string, number>();
  const errors = new RowErrors();
  const progress = { processed: 0, created: 0, updated: 0, unchanged: 0 };
  // On PGlite a transaction holds the server's thread: sized so that a request waits ~40 ms at most.
  const sizer = importTransactionSizer(ctx.database.kind);
  while (launched < batches.length || encoding.length) {
    while (launched < batches.length && encoding.length <= pool.size) launch();
    const batch = await (encoding.shift() as Promise<EncodeResult>);
    errors.push(...batch.errors);
    const good: EncodedRow[] = [];
    for (const g of batch.good) {
      const first = seen.get(g.encoded.idNumberHash);
      if (first !== undefined) {
        errors.push({ row: g.row, column: HEADER_OF.idNumber, message: `与第${first}行证件号码重复` });
        continue;
      }
      seen.set(g.encoded.idNumberHash, g.row);
      good.push(g);
    }
    // Rows of the batch that are not written (bad, or duplicates) count as processed with its first write.
    let unwritten = batch.rows - good.length;
    for (let i = 0; i === 0 || i < good.length; ) {
      // On PGlite a query resolves without a turn of the event loop: without this, an import whose
      // batches are already encoded would hold the process until its end.
      await letOthersRun();
      const chunk = good.slice(i, i + sizer.next());
      const t0 = performance.now();
      await writeChunk(ctx, actor, importId, chunk, communities, errors, progress, unwritten);
      sizer.took(chunk.length, performance.now() - t0);
      i += Math.max(1, chunk.length);
      unwritten = 0;
      await afterChunk?.(progress.processed);
    }
  }
  await ctx.db.transaction(async (tx) => {
    await imports.updateImport(tx, importId, {
      status: 'done',
      processedRows: read.totalRows,
      errors: errors.sorted(),
      finishedAt: new Date(),
      errorCount: errors.badRows,
    });
    await recordAudit(tx, {
      actor,
      action: 'elder.import',
      targetType: 'elder_import',
      targetId: importId,
      regionCode: actor.regionCode,
      detail: {
        rows: read.totalRows,
        created: progress.created,
        updated: progress.updated,
        unchanged: progress.unchanged,
        badRows: errors.badRows,
      },
    });
  });
}

/** The error report as it grows, with the number of bad rows (a row may have several errors). */
class RowErrors {
  private readonly list: ImportRowError[] = [];
  private readonly rows = new Set<number>();
  push(...errors: ImportRowError[]) {
    for (const e of errors) {
      this.list.push(e);
      this.rows.add(e.row);
    }
  }
  get badRows() {
    return this.rows.size;
  }
  /** In row order (batches finish in order, but the database's verdicts come after the row checks). */
  sorted() {
    return [...this.list].sort((a, b) => a.row - b.row);
  }
}

/**
 * Write rows in one transaction with the import's progress: an ID number already in the archive
 * updates that record (if it is in the importer's area; else the row is reported), a new one is
 * inserted, and each row's emergency contact is added. A row whose stored import digest equals the
 * file's (imported before with the same values and not changed since) is not written again; its
 * contact is still added if it is missing. A restart finds the progress of the last committed
 * chunk, and a re-import updates what was written rather than duplicating it.
 */
async function writeChunk(
  ctx: AppContext,
  actor: Actor,
  importId: string,
  good: EncodedRow[],
  communities: Set<string>,
  errors: RowErrors,
  progress: { processed: number; created: number; updated: number; unchanged: number },
  alsoProcessed: number,
) {
  const existing = new Map(
    good.length
      ? (
          await repo.findByIdHashes(
            ctx.db,
            good.map((g) => g.encoded.idNumberHash),
          )
        ).map((e) => [e.idNumberHash, e])
      : [],
  );
  const writable = good.filter((g) => {
    const e = existing.get(g.encoded.idNumberHash);
    if (e && !communities.has(e.regionCode)) {
      errors.push({ row: g.row, column: HEADER_OF.idNumber, message: '该证件号码已在其他辖区建档，请联系上级部门' });
      return false;
    }
    return true;
  });
  const changed = writable.filter((g) => existing.get(g.encoded.idNumberHash)?.importDigest !== g.digest);
  const upd = changed.filter((g) => existing.has(g.encoded.idNumberHash)).length;
  const same = writable.length - changed.length;
  await ctx.db.transaction(async (tx) => {
    const idByHash = new Map(writable.map((g) => [g.encoded.idNumberHash, existing.get(g.encoded.idNumberHash)?.id]));
    if (changed.length) {
      const saved = await imports.upsertEldersByIdNumber(
        tx,
        changed.map((g) => ({ ...g.encoded, importDigest: g.digest, createdBy: actor.id })),
      );
      for (const s of saved) idByHash.set(s.idNumberHash, s.id);
    }
    await addImportedContacts(
      tx,
      writable.flatMap((g) => (g.contact ? [{ elderId: idByHash.get(g.encoded.idNumberHash) as string, ...g.contact }] : [])),
    );
    await imports.updateImport(tx, importId, {
      processedRows: progress.processed + good.length + alsoProcessed,
      progressAt: new Date(),
      createdCount: progress.created + changed.length - upd,
      updatedCount: progress.updated + upd,
      unchangedCount: progress.unchanged + same,
      errorCount: errors.badRows,
    });
  });
  progress.processed += good.length + alsoProcessed;
  progress.created += changed.length - upd;
  progress.updated += upd;
  progress.unchanged += same;
}

/** A spreadsheet's emergency contact is added at the end of the call list unless the phone is already there. */
async function addImportedContacts(
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  items: Array<{ elderId: string; name: string; relationship: string; phoneEnc: string; phoneHash: string }>,
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
    if (have.has(`${i.elderId}:${i.phoneHash}`)) continue;
    const n = (count.get(i.elderId) ?? 0) + 1;
    count.set(i.elderId, n);
    rows.push({
      elderId: i.elderId,
      name: i.name,
      relationship: i.relationship,
      phoneEnc: i.phoneEnc,
      phoneHash: i.phoneHash,
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
