import {
  type IndicatorUnit,
  indicatorById,
  indicatorUnitZh,
  type MonthlyReport,
  periodLabel,
  type StatisticsSeries,
} from '@zhiyang/shared';
import type ExcelJS from 'exceljs';

/**
 * The monthly report and an ad-hoc table as .xlsx, the way a bureau's sheet looks: a title row,
 * the region and month, then the table. Money is written in yuan (two decimals), per cents as
 * the number of per cent; an empty cell is a figure that has no value (no history, nothing to
 * divide by), never a zero.
 */

let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
};

/** A value as the sheet holds it: fen → yuan; null stays empty. */
export const cellValue = (unit: IndicatorUnit, v: number | null) => (v === null ? null : unit === 'fen' ? v / 100 : v);

const unitOf = (id: string, unit: IndicatorUnit) =>
  id.startsWith('calls.category.') ? '次' : indicatorUnitZh({ id: indicatorById(id)?.id ?? id, unit });

function titled(ws: ExcelJS.Worksheet, title: string, subtitle: string, headers: string[]) {
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, headers.length);
  ws.addRow([subtitle]);
  ws.mergeCells(2, 1, 2, headers.length);
  const h = ws.addRow(headers);
  h.font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 28 : 14;
  });
}

export const REPORT_HEADERS = (r: MonthlyReport) => [
  '指标',
  '单位',
  `本月（${periodLabel(r.month)}）`,
  `上月（${periodLabel(r.previousMonth)}）`,
  '环比增减',
  '环比（%）',
  `去年同月（${periodLabel(r.lastYearMonth)}）`,
  '同比增减',
  '同比（%）',
];

/** The monthly report: sheet 月报 (sections and lines), 来电分类, and 分区情况 (below a community). */
export async function monthlyReportXlsx(r: MonthlyReport): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const subtitle = `统计单位：${r.region.name}　统计月份：${periodLabel(r.month)}　生成时间：${new Date(r.computedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`;
  const headers = REPORT_HEADERS(r);
  const lineRow = (l: MonthlyReport['callCategories'][number]) => [
    l.name,
    unitOf(l.id, l.unit),
    cellValue(l.unit, l.current),
    cellValue(l.unit, l.previous),
    cellValue(l.unit, l.momChange),
    l.momPercent,
    cellValue(l.unit, l.lastYear),
    cellValue(l.unit, l.yoyChange),
    l.yoyPercent,
  ];

  const main = wb.addWorksheet('月报');
  titled(main, `${r.region.name}养老服务工作月报`, subtitle, headers);
  for (const s of r.sections) {
    if (!s.lines.length) continue;
    main.addRow([s.label]).font = { bold: true };
    for (const l of s.lines) main.addRow(lineRow(l));
  }

  const calls = wb.addWorksheet('来电分类');
  titled(calls, `${r.region.name}热线来电分类（已接听）`, subtitle, headers);
  for (const l of r.callCategories) calls.addRow(lineRow(l));

  if (r.subRegions.rows.length) {
    const sub = wb.addWorksheet('分区情况');
    const h = [
      r.region.level === 'district' ? '街道' : '社区',
      ...r.subRegions.indicators.map((i) => `${i.name}（${indicatorUnitZh(i)}）`),
    ];
    titled(sub, `${r.region.name}${periodLabel(r.month)}分区情况`, subtitle, h);
    for (const row of r.subRegions.rows)
      sub.addRow([row.name, ...row.values.map((v, i) => cellValue(r.subRegions.indicators[i].unit, v))]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** An ad-hoc table: one row per region (the region itself first, as 合计), one column per period. */
export async function seriesXlsx(s: StatisticsSeries): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet('统计');
  const headers = ['地区', ...s.periods.map((p) => p.label)];
  titled(
    ws,
    `${s.region.name}${s.indicator.name}（${indicatorUnitZh(s.indicator)}）`,
    `口径：${s.indicator.definition}`,
    headers,
  );
  const values = (v: Array<number | null>) => v.map((x) => cellValue(s.indicator.unit, x));
  if (!(s.rows.length === 1 && s.rows[0].code === s.region.code)) ws.addRow([`${s.region.name}（全辖区）`, ...values(s.total)]);
  for (const r of s.rows) ws.addRow([r.name, ...values(r.values)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
