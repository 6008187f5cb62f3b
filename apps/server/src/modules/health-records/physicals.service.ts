import type { PhysicalImportResult } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { badRequest } from '../../lib/errors.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './health-records.repo.ts';
import { sealValues } from './records.sealed.ts';

/**
 * The annual physicals import (年度体检, e.g. the community health centre's free physical for
 * residents 65+): one row per elder and exam, matched by ID number to an elder in the importer's
 * reach. Good rows are stored (one per elder and year: a re-import replaces the year); every
 * refused row comes back with its row number, column and reason, and nothing of it is stored.
 */

const ID = /^\d{17}[\dX]$/;

interface NumberColumn {
  key:
    | 'height_cm'
    | 'weight_kg'
    | 'systolic'
    | 'diastolic'
    | 'heart_rate'
    | 'fasting_glucose'
    | 'total_cholesterol'
    | 'triglycerides';
  names: string[];
  min: number;
  max: number;
  int?: boolean;
}
/** The layout (docs/health-records.md): header names accepted for each column, and plausible ranges. */
export const PHYSICAL_NUMBER_COLUMNS: NumberColumn[] = [
  { key: 'height_cm', names: ['身高(cm)', '身高', '身高cm'], min: 100, max: 220 },
  { key: 'weight_kg', names: ['体重(kg)', '体重', '体重kg'], min: 20, max: 200 },
  { key: 'systolic', names: ['收缩压', '收缩压(mmHg)'], min: 60, max: 280, int: true },
  { key: 'diastolic', names: ['舒张压', '舒张压(mmHg)'], min: 30, max: 180, int: true },
  { key: 'heart_rate', names: ['心率', '心率(次/分)'], min: 30, max: 200, int: true },
  { key: 'fasting_glucose', names: ['空腹血糖', '空腹血糖(mmol/L)'], min: 1, max: 35 },
  { key: 'total_cholesterol', names: ['总胆固醇', '总胆固醇(mmol/L)'], min: 1, max: 20 },
  { key: 'triglycerides', names: ['甘油三酯', '甘油三酯(mmol/L)'], min: 0.1, max: 30 },
];
const TEXT_COLUMNS = {
  id: ['身份证号', '身份证号码', '公民身份号码'],
  date: ['体检日期', '检查日期'],
  institution: ['体检机构', '检查机构'],
  ecg: ['心电图'],
  conclusion: ['体检结论', '结论', '健康评价'],
};

/** "2026-03-05", "2026/3/5", "20260305" → "2026-03-05"; null if no calendar day. */
function parseDay(v: string): string | null {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(v.trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const t = new Date(`${d}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d ? null : d;
}

export async function importPhysicals(
  ctx: AppContext,
  actor: Actor,
  table: ReadTable,
  fileName: string,
): Promise<PhysicalImportResult> {
  const col = (names: string[]) =>
    table.headers.findIndex((h) => names.includes(h.replace(/\s/g, '').replace('（', '(').replace('）', ')')));
  const at = {
    id: col(TEXT_COLUMNS.id),
    date: col(TEXT_COLUMNS.date),
    institution: col(TEXT_COLUMNS.institution),
    ecg: col(TEXT_COLUMNS.ecg),
    conclusion: col(TEXT_COLUMNS.conclusion),
  };
  if (at.id < 0 || at.date < 0)
    throw badRequest('The file needs the columns 身份证号 and 体检日期 (docs/health-records.md lists the layout).');
  const numbers = PHYSICAL_NUMBER_COLUMNS.map((c) => ({ ...c, at: col(c.names) }));
  const today = cstDate();
  const errors: PhysicalImportResult['errors'] = [];
  const good: Array<Omit<repo.PhysicalInsert, 'importId'>> = [];
  const seen = new Map<string, number>();

  for (const [i, r] of table.rows.entries()) {
    if (i % 50 === 49) await letOthersRun();
    const cell = (k: number) => (k >= 0 ? (r.cells[k] ?? '').trim() : '');
    const rowErrors: PhysicalImportResult['errors'] = [];
    const fail = (field: string, message: string) => rowErrors.push({ row: r.rowNumber, field, message });
    const idNumber = cell(at.id).toUpperCase();
    if (!ID.test(idNumber)) fail('身份证号', '身份证号格式不对');
    const day = parseDay(cell(at.date));
    if (!day) fail('体检日期', '不是有效日期');
    else if (day > today || day < '2000-01-01') fail('体检日期', '日期不在2000年至今天之间');
    const values: Record<string, number | null> = {};
    for (const c of numbers) {
      const raw = cell(c.at);
      if (!raw) {
        values[c.key] = null;
        continue;
      }
      const v = Number(raw);
      if (!Number.isFinite(v) || v < c.min || v > c.max || (c.int && !Number.isInteger(v)))
        fail(c.names[0], `应为${c.min}–${c.max}之间的${c.int ? '整数' : '数值'}`);
      else values[c.key] = v;
    }
    if (values.systolic != null && values.diastolic != null && values.diastolic >= values.systolic)
      fail('舒张压', '舒张压应低于收缩压');
    const text = (k: number, max: number, name: string) => {
      const v = cell(k);
      if (v.length > max) fail(name, `不超过${max}个字`);
      return v || null;
    };
    const institution = text(at.institution, 100, '体检机构');
    const ecg = text(at.ecg, 200, '心电图');
    const conclusion = text(at.conclusion, 1000, '体检结论');
    let elder: { id: string } | undefined;
    if (!rowErrors.length) {
      elder = await repo.findVisibleElderByIdHash(ctx.db, actor, ctx.cipher.blindIndex(idNumber, 'id_number'));
      if (!elder) fail('身份证号', '档案中没有此人，或不在您的辖区');
    }
    if (elder && day) {
      const key = `${elder.id}:${day.slice(0, 4)}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) fail('体检日期', `与第${earlier}行是同一老人同一年的体检`);
      else seen.set(key, r.rowNumber);
    }
    if (rowErrors.length || !elder || !day) {
      errors.push(...rowErrors);
      continue;
    }
    good.push({
      elderId: elder.id,
      exam_date: day,
      privateEnc: sealValues(ctx.cipher, {
        institution,
        ecg,
        conclusion,
        height_cm: values.height_cm,
        weight_kg: values.weight_kg,
        systolic: values.systolic,
        diastolic: values.diastolic,
        heart_rate: values.heart_rate,
        fasting_glucose: values.fasting_glucose,
        total_cholesterol: values.total_cholesterol,
        triglycerides: values.triglycerides,
      }),
    });
  }

  return ctx.db.transaction(async (tx) => {
    const id = await repo.insertPhysicalImport(tx, {
      regionCode: actor.regionCode,
      fileName: fileName.slice(0, 200),
      total: table.rows.length,
      imported: good.length,
      errors,
      createdBy: actor.id,
    });
    for (const g of good) await repo.upsertPhysical(tx, { ...g, importId: id });
    await recordAudit(tx, {
      actor,
      action: 'health.physicals.import',
      targetType: 'health_physical_import',
      targetId: id,
      regionCode: actor.regionCode,
      detail: { total: table.rows.length, imported: good.length, refused: new Set(errors.map((e) => e.row)).size },
    });
    return { id, total: table.rows.length, imported: good.length, errors };
  });
}
