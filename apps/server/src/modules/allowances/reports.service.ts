import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays } from '../../lib/dates.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './allowances.repo.ts';
import { monthsBetween } from './allowances.rules.ts';
import * as bo from './back-office.repo.ts';
import { districtOf } from './steps.ts';

/**
 * 津贴报表: for a region in reach and a span of months — per community the elders of the lowest
 * tier's age in the archive against the allowances being paid, suspended and stopped (today's
 * statuses); survival verifications recorded in the span per channel; approved payments per roll
 * month (returned lines apart); overpayments flagged in the span and what was recovered. Counts
 * only: no names, no ID numbers.
 */

export const MAX_REPORT_MONTHS = 36;

export async function report(ctx: AppContext, actor: Actor, q: { regionCode?: string; from: string; to: string }) {
  const region = q.regionCode ?? actor.regionCode;
  if (!region)
    throw unprocessable('Choose a district or a part of it.', [
      { path: 'regionCode', message: 'required for a city-wide account' },
    ]);
  if (!actorCoversRegion(actor, region)) throw notFound('Region');
  if (q.from > q.to) throw unprocessable('The span ends before it starts.', [{ path: 'to', message: 'before from' }]);
  if (monthsBetween(q.from, q.to).length > MAX_REPORT_MONTHS)
    throw unprocessable(`A report covers at most ${MAX_REPORT_MONTHS} months.`, [
      { path: 'from', message: `more than ${MAX_REPORT_MONTHS} months` },
    ]);
  const tiers = await repo.tiersOfDistrict(ctx.db, districtOf(region));
  const minAge = tiers.length ? Math.min(...tiers.map((t) => t.minAge)) : 80;
  // The age for a month is the age reached by the last day of the month before.
  const asOf = addDays(`${q.to}-01`, -1);
  const communities = await bo.communityCounts(ctx.db, region, minAge, asOf);
  const channels = await bo.verificationByMethod(ctx.db, region, q.from, q.to);
  const due = await bo.dueForVerification(ctx.db, region);
  const payments = await bo.paymentsByMonth(ctx.db, region, q.from, q.to);
  const over = await bo.overpaymentTotals(ctx.db, region, q.from, q.to);
  return {
    regionCode: region,
    from: q.from,
    to: q.to,
    communities: communities.map((c) => ({
      regionCode: c.region_code,
      regionName: c.region_name,
      eligible: Number(c.eligible),
      paying: Number(c.paying),
      suspended: Number(c.suspended),
      stopped: Number(c.stopped),
    })),
    verification: {
      due,
      channels: channels.map((c) => ({ method: c.method, passed: Number(c.passed), failed: Number(c.failed) })),
    },
    payments: payments.map((p) => ({
      month: p.month,
      lines: Number(p.lines),
      paidFen: Number(p.paid_fen ?? 0),
      failedLines: Number(p.failed_lines),
      failedFen: Number(p.failed_fen ?? 0),
    })),
    overpayments: {
      flagged: over.n,
      flaggedFen: over.amount,
      recoveredFen: over.repaid,
      outstandingFen: over.amount - over.repaid,
    },
  };
}

const METHOD_ZH: Record<string, string> = {
  in_person: '上门/到场',
  video: '视频',
  face: '人脸远程',
  face_remote: '人脸远程',
  kiosk: '社区终端',
};
const y = (fen: number) => (fen / 100).toFixed(2);

/** The same report as an xlsx workbook (one sheet per table); audited as an export. */
export async function exportReport(ctx: AppContext, actor: Actor, q: { regionCode?: string; from: string; to: string }) {
  const r = await report(ctx, actor, q);
  const data = await writeXlsx(
    '社区统计',
    ['社区代码', '社区', '符合年龄', '发放中', '暂停', '终止'],
    r.communities.map((c) => [c.regionCode, c.regionName, c.eligible, c.paying, c.suspended, c.stopped]),
    [
      {
        name: '生存认证',
        headers: ['方式', '通过', '未通过'],
        rows: r.verification.channels.map((c) => [METHOD_ZH[c.method] ?? c.method, c.passed, c.failed]),
      },
      {
        name: '月度发放',
        headers: ['名册月份', '笔数', '金额（元）', '退回笔数', '退回金额（元）'],
        rows: r.payments.map((p) => [p.month, p.lines, y(p.paidFen), p.failedLines, y(p.failedFen)]),
      },
      {
        name: '多发追回',
        headers: ['多发人数', '多发金额（元）', '已追回（元）', '待追回（元）'],
        rows: [
          [
            r.overpayments.flagged,
            y(r.overpayments.flaggedFen),
            y(r.overpayments.recoveredFen),
            y(r.overpayments.outstandingFen),
          ],
        ],
      },
    ],
  );
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.report.export',
    targetType: 'allowance_report',
    targetId: r.regionCode,
    regionCode: r.regionCode,
    detail: { from: r.from, to: r.to },
  });
  return { filename: `高龄津贴报表-${r.regionCode}-${r.from}至${r.to}.xlsx`, data };
}
