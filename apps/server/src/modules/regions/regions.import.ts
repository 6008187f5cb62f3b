import { regionLevelOf } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { type ReadTable, writeXlsx } from '../../lib/spreadsheet.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './regions.repo.ts';
import { regionsChanged, validateNewCode } from './regions.service.ts';

const HEADER_ALIASES: Record<string, 'code' | 'name' | 'lat' | 'lng'> = {
  code: 'code',
  区划代码: 'code',
  代码: 'code',
  name: 'name',
  名称: 'name',
  lat: 'lat',
  纬度: 'lat',
  lng: 'lng',
  经度: 'lng',
};

export const REGION_IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 20_000 };

export interface ImportResult {
  created: number;
  updated: number;
  errors: Array<{ row: number; message: string }>;
}

/**
 * Import regions from CSV or XLSX (columns code, name, lat, lng — English or Chinese headers).
 * All or nothing: every row is checked first; if any row is bad nothing is written. Existing
 * codes are updated, new ones created, parents before children.
 */
export async function importRegions(ctx: AppContext, actor: Actor, table: ReadTable, filename: string): Promise<ImportResult> {
  const col = new Map<string, number>();
  table.headers.forEach((h, i) => {
    const key = HEADER_ALIASES[h.toLowerCase()] ?? HEADER_ALIASES[h];
    if (key) col.set(key, i);
  });
  const errors: ImportResult['errors'] = [];
  if (!col.has('code') || !col.has('name')) {
    return {
      created: 0,
      updated: 0,
      errors: [{ row: 1, message: 'The header row needs the columns code (区划代码) and name (名称).' }],
    };
  }
  const parsed: Array<{ row: number; code: string; name: string; lat: number | null; lng: number | null }> = [];
  const seen = new Set<string>();
  for (const r of table.rows) {
    if (r.formulaColumns.length) {
      errors.push({ row: r.rowNumber, message: '单元格含公式 / a cell holds a formula' });
      continue;
    }
    const get = (k: string) => (col.has(k) ? (r.cells[col.get(k) as number] ?? '') : '');
    const code = get('code');
    const name = get('name');
    const lat = get('lat') === '' ? null : Number(get('lat'));
    const lng = get('lng') === '' ? null : Number(get('lng'));
    if (!regionLevelOf(code))
      errors.push({ row: r.rowNumber, message: `区划代码须为 6/9/12 位数字 / code must be 6, 9 or 12 digits: "${code}"` });
    else if (seen.has(code)) errors.push({ row: r.rowNumber, message: `区划代码重复 / duplicate code ${code}` });
    else if (!name || name.length > 100)
      errors.push({ row: r.rowNumber, message: '名称不能为空且不超过 100 字 / name is required (≤ 100 characters)' });
    else if (lat !== null && !(lat >= -90 && lat <= 90))
      errors.push({ row: r.rowNumber, message: '纬度无效 / invalid latitude' });
    else if (lng !== null && !(lng >= -180 && lng <= 180))
      errors.push({ row: r.rowNumber, message: '经度无效 / invalid longitude' });
    else {
      seen.add(code);
      parsed.push({ row: r.rowNumber, code, name, lat, lng });
    }
  }
  parsed.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
  const existing = new Map(
    (
      await repo.findRegions(
        ctx.db,
        parsed.map((p) => p.code),
      )
    ).map((r) => [r.code, r]),
  );
  for (const [n, p] of parsed.entries()) {
    if (n % 50 === 0) await letOthersRun();
    if (existing.has(p.code)) {
      if (!actorCoversRegion(actor, p.code)) errors.push({ row: p.row, message: '超出您的管辖范围 / outside your scope' });
      continue;
    }
    const checked = await validateNewCode(ctx, actor, p.code, seen);
    if ('error' in checked) errors.push({ row: p.row, message: checked.error ?? 'invalid' });
  }
  if (errors.length) {
    // Nothing is imported when a row is wrong; the attempt is still in the trail.
    await recordAudit(ctx.db, {
      actor,
      action: 'region.import',
      targetType: 'region',
      outcome: 'failed',
      detail: { filename, badRows: errors.length },
    });
    return { created: 0, updated: 0, errors: errors.sort((a, b) => a.row - b.row) };
  }
  let created = 0;
  let updated = 0;
  await ctx.db.transaction(async (tx) => {
    for (const [n, p] of parsed.entries()) {
      if (n % 50 === 0) await letOthersRun();
      if (existing.has(p.code)) {
        await repo.updateRegion(tx, p.code, { name: p.name, lat: p.lat, lng: p.lng });
        updated++;
      } else {
        const level = regionLevelOf(p.code) ?? 'community';
        await repo.insertRegion(tx, {
          code: p.code,
          name: p.name,
          lat: p.lat,
          lng: p.lng,
          level,
          parentCode: level === 'district' ? null : p.code.slice(0, p.code.length - 3),
        });
        created++;
      }
    }
    await recordAudit(tx, { actor, action: 'region.import', targetType: 'region', detail: { filename, created, updated } });
  });
  regionsChanged(ctx);
  return { created, updated, errors: [] };
}

export function regionImportTemplate(): Promise<Buffer> {
  return writeXlsx(
    'regions',
    ['区划代码', '名称', '纬度', '经度'],
    [
      ['510199', '示例区', 30.64, 104.04],
      ['510199001', '示例街道', 30.65, 104.05],
      ['510199001001', '示例社区', 30.651, 104.052],
    ],
  );
}
