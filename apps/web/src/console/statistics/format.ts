import { type IndicatorUnit, indicatorUnitZh } from '@zhiyang/shared';

/** A figure as the tables show it: money in yuan with two decimals, hours with one; no value is —. */
export function formatFigure(unit: IndicatorUnit, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (unit === 'fen') return (v / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (unit === 'percent' || unit === 'hours') return v.toLocaleString('zh-CN', { maximumFractionDigits: 1 });
  return v.toLocaleString('zh-CN');
}

/** A change with its sign; a percent's change is in percentage points (个百分点). */
export function formatChange(unit: IndicatorUnit, change: number | null, percent: number | null): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '';
  const abs = formatFigure(unit, Math.abs(change));
  if (unit === 'percent') return `${sign}${abs}个百分点`;
  if (percent === null) return `${sign}${abs}`;
  const p = percent > 0 ? `+${percent}` : percent < 0 ? `−${Math.abs(percent)}` : '0';
  return `${sign}${abs}（${p}%）`;
}

export const unitZh = (id: string, unit: IndicatorUnit) =>
  id.startsWith('calls.category.') ? '次' : indicatorUnitZh({ id, unit });

export const LEVEL_ZH = { district: '区', street: '街道', community: '社区' } as const;
