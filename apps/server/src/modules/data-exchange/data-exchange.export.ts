import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import {
  DATA_EXCHANGE_LAYOUT_VERSION,
  EXCHANGE_DICTIONARIES,
  EXCHANGE_LAYOUTS,
  type ExchangeDataset,
  type ExchangeExportQuery,
  type ExchangeFormat,
} from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDayStart } from '../../lib/dates.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './data-exchange.repo.ts';
import { exchangeScope } from './data-exchange.scope.ts';

/** Rows read per query: bounds the memory of an export whatever its size. */
export const EXPORT_BATCH = 1000;

export type Cell = string | number | null;
type Row = Cell[];

const sexCode = (s: string) => (s === 'male' ? '1' : '2');
const flag = (b: boolean) => (b ? '1' : '0');

/** The rows of a dataset, batch by batch, as cells in the layout's column order. */
async function* rowsOf(ctx: AppContext, dataset: ExchangeDataset, w: repo.ExportWindow): AsyncGenerator<Row[]> {
  const pages = <T extends { id?: string; key?: string }>(
    fetch: (after: string | null) => Promise<T[]>,
    map: (r: T) => Row,
  ): AsyncGenerator<Row[]> =>
    (async function* () {
      let after: string | null = null;
      for (;;) {
        const batch = await fetch(after);
        if (!batch.length) return;
        yield batch.map(map);
        if (batch.length < EXPORT_BATCH) return;
        const last = batch[batch.length - 1];
        after = (last.id ?? last.key) as string;
      }
    })();
  switch (dataset) {
    case 'elders':
      // The full ID number is in this layout only: it is the key the provincial system matches a person on.
      yield* pages(
        (after) => repo.elderBatch(ctx.db, w, after, EXPORT_BATCH),
        (r) => [
          r.id,
          r.name,
          r.id_type,
          ctx.cipher.decrypt(r.id_number_enc),
          sexCode(r.sex),
          r.birth_date,
          r.region_code,
          r.region_name,
          flag(r.hukou_local),
          r.living_situation,
          (r.categories ?? []).join(';') || null,
          r.ability_level,
          r.status,
          r.status_date,
          r.updated_at,
        ],
      );
      return;
    case 'institutions':
      yield* pages(
        (after) => repo.institutionBatch(ctx.db, w, after, EXPORT_BATCH),
        (r) => [
          r.id,
          r.name,
          r.region_code,
          r.ownership,
          r.licence_no,
          r.filing_no,
          r.filed_on,
          r.capacity ?? 0,
          r.beds_in_service,
          r.beds_occupied,
          r.status,
          r.updated_at,
        ],
      );
      return;
    case 'beds':
      yield* pages(
        (after) => repo.bedBatch(ctx.db, w, after, EXPORT_BATCH),
        (r) => [
          r.id,
          r.org_id,
          r.org_name,
          r.region_code,
          r.building,
          r.floor,
          r.room,
          r.label,
          flag(r.nursing),
          r.status,
          r.elder_id,
          r.updated_at,
        ],
      );
      return;
    case 'services':
      yield* pages(
        (after) => repo.serviceBatch(ctx.db, w, after, EXPORT_BATCH),
        (r) => [
          r.no,
          r.elder_id,
          r.region_code,
          r.item_code,
          r.item_name,
          r.provider_name,
          r.channel,
          r.status,
          r.scheduled_at,
          r.served_at,
          r.duration_minutes,
          r.payment,
          r.points,
          r.amount_fen,
          r.updated_at,
        ],
      );
      return;
    case 'subsidies': {
      const sub = (kind: 'allowance' | 'points', unit: 'fen' | 'points') => (r: repo.SubsidyExportRow) => [
        `${kind}-${r.key}`,
        kind,
        r.elder_id,
        r.region_code,
        r.month,
        Number(r.amount),
        unit,
        r.status,
        r.updated_at,
      ];
      yield* pages((after) => repo.allowanceLineBatch(ctx.db, w, after, EXPORT_BATCH), sub('allowance', 'fen'));
      yield* pages((after) => repo.pointsGrantBatch(ctx.db, w, after, EXPORT_BATCH), sub('points', 'points'));
      return;
    }
  }
}

const csvCell = (v: Cell) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV: UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF line ends (RFC 4180). */
async function* csvChunks(headers: string[], batches: AsyncIterable<Row[]>) {
  yield `\uFEFF${headers.map(csvCell).join(',')}\r\n`;
  for await (const batch of batches) {
    yield batch.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
  }
}

async function* jsonChunks(head: Record<string, unknown>, keys: string[], batches: AsyncIterable<Row[]>) {
  yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let first = true;
  for await (const batch of batches) {
    const parts = batch.map((r) => JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, r[i]]))));
    yield `${first ? '\n' : ',\n'}${parts.join(',\n')}`;
    first = false;
  }
  yield '\n]}\n';
}

/** xlsx through ExcelJS's streaming writer: rows are committed as they come, never held. */
function xlsxStream(dataset: ExchangeDataset, batches: AsyncIterable<Row[]>, onError: (e: unknown) => void) {
  const out = new PassThrough();
  const layout = EXCHANGE_LAYOUTS[dataset];
  (async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet(layout.title);
    ws.columns = layout.columns.map((c) => ({ header: c.header, key: c.key, width: c.type === 'text' ? 24 : 14 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const batch of batches) {
      for (const r of batch) ws.addRow(r).commit();
      // Respect the client's pace: wait while the socket's buffer is full.
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    ws.commit();
    // The code tables of the coded columns, so the file explains itself.
    const codes = wb.addWorksheet('代码表');
    codes.addRow(['列', '代码', '含义']).commit();
    for (const c of layout.columns) {
      if (!c.dict) continue;
      for (const [code, label] of Object.entries(EXCHANGE_DICTIONARIES[c.dict])) codes.addRow([c.header, code, label]).commit();
    }
    codes.commit();
    await wb.commit();
  })().catch((e) => {
    onError(e);
    out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return out;
}

const CONTENT_TYPES: Record<ExchangeFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Open an export: checks the region, writes the history row and the audit entry (an export of
 * elders is a read of their records), then answers a stream that reads the tables a batch at a
 * time. The history row gets its row count when the last batch is read.
 */
export async function openExport(ctx: AppContext, actor: Actor, q: ExchangeExportQuery & { format: ExchangeFormat }) {
  const prefix = await exchangeScope(ctx, actor, q.regionCode);
  const window: repo.ExportWindow = { prefix, since: q.since ? cstDayStart(q.since) : null };
  const layout = EXCHANGE_LAYOUTS[q.dataset];
  const exchangeId = await ctx.db.transaction(async (tx) => {
    const id = await repo.insertExchange(tx, {
      direction: 'export',
      dataset: q.dataset,
      format: q.format,
      mode: 'download',
      since: q.since ?? null,
      regionCode: prefix,
      filename: null,
      fileSha256: null,
      rows: null,
      changes: null,
      actorId: actor.id,
      actorName: actor.displayName,
    });
    await recordAudit(tx, {
      actor,
      action: 'exchange.export',
      targetType: 'data_exchange',
      targetId: id,
      regionCode: prefix,
      detail: { dataset: q.dataset, format: q.format, since: q.since ?? null, personalData: q.dataset === 'elders' },
    });
    return id;
  });
  const failed = (e: unknown) => ctx.log.error({ err: e, exchangeId, dataset: q.dataset }, 'export stream failed');
  // The history row gets its row count before the file's last bytes leave.
  const batches = (async function* () {
    let rows = 0;
    for await (const batch of rowsOf(ctx, q.dataset, window)) {
      rows += batch.length;
      yield batch;
    }
    await repo.setExchangeRows(ctx.db, exchangeId, rows);
  })();
  const stamp = (q.since ?? '全量').replace(/-/g, '');
  const filename = `${layout.title}_${prefix || '全部'}_${stamp}.${q.format}`;
  let stream: Readable;
  if (q.format === 'xlsx') stream = xlsxStream(q.dataset, batches, failed);
  else {
    const chunks =
      q.format === 'csv'
        ? csvChunks(
            layout.columns.map((c) => c.header),
            batches,
          )
        : jsonChunks(
            {
              dataset: q.dataset,
              layoutVersion: DATA_EXCHANGE_LAYOUT_VERSION,
              regionCode: prefix,
              since: q.since ?? null,
              generatedAt: new Date().toISOString(),
            },
            layout.columns.map((c) => c.key),
            batches,
          );
    stream = Readable.from(chunks, { objectMode: false });
    stream.on('error', failed);
  }
  return { stream, filename, contentType: CONTENT_TYPES[q.format], exchangeId };
}
