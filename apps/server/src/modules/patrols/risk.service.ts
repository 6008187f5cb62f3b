import { type InstitutionRisk, RISK_COLOURS, type RiskColour, riskOf } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstMonthRange } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { institutionFor } from '../institutions/institutions.service.ts';
import * as risk from './risk.repo.ts';

/** The colour risk map (红 / 橙 / 黄 / 蓝): the inputs counted in SQL, the score and colour by RISK_RULES. */

const DAY = 86400_000;
const window = () => ({ today: cstDate(), since: new Date(Date.now() - 30 * DAY) });

const countsOf = (r: risk.OrgRiskRow) => ({
  open_hazard: r.open_hazard,
  overdue_rectification: r.overdue_rectification,
  alarm_30d: r.alarm_30d,
  missed_checkpoint_30d: r.missed_checkpoint_30d,
  inspection_score: r.inspection_score,
});

/** One institution's colour and each area's (areas: hazards, overdue rectifications and misses there). */
export async function institutionRisk(ctx: AppContext, actor: Actor, orgId: string): Promise<InstitutionRisk> {
  await institutionFor(ctx, actor, orgId);
  const w = window();
  const [row] = await risk.orgRiskRows(ctx.db, actor, { ...w, orgId });
  if (!row) throw notFound('Institution');
  const areas = await risk.areaRiskRows(ctx.db, orgId, w);
  return {
    orgId,
    name: row.name,
    regionCode: row.region_code,
    ...riskOf(countsOf(row)),
    areas: areas.map((a) => ({ area: a.area, ...riskOf(a, 'area') })),
    computedAt: new Date().toISOString(),
  };
}

/** Every institution in reach, coloured, with its place for the district map. */
export async function districtRisk(ctx: AppContext, actor: Actor, q: { regionCode?: string }) {
  const rows = await risk.orgRiskRows(ctx.db, actor, { ...window(), regionCode: q.regionCode });
  const counts = Object.fromEntries(RISK_COLOURS.map((c) => [c, 0])) as Record<RiskColour, number>;
  const items = rows.map((r) => {
    const x = riskOf(countsOf(r));
    counts[x.colour]++;
    return { orgId: r.org_id, name: r.name, regionCode: r.region_code, lat: r.lat, lng: r.lng, ...x };
  });
  return { items, counts, total: items.length };
}

/** A month's patrols per institution in reach. */
export async function monthReport(ctx: AppContext, actor: Actor, month: string) {
  const [start, end] = cstMonthRange(month);
  const rows = await risk.monthRows(ctx.db, actor, { start, end, today: cstDate() });
  return {
    month,
    items: rows.map((r) => ({
      orgId: r.org_id,
      name: r.name,
      runs: r.runs,
      complete: r.complete,
      late: r.late,
      missedRuns: r.missed_runs,
      missedCheckpoints: r.missed_checkpoints,
      hazardsFound: r.hazards_found,
      hazardsClosed: r.hazards_closed,
      overdue: r.overdue,
      completionRate: r.runs ? Math.round((r.complete / r.runs) * 1000) / 1000 : 0,
    })),
  };
}

export async function monthReportXlsx(ctx: AppContext, actor: Actor, month: string) {
  const r = await monthReport(ctx, actor, month);
  const buffer = await writeXlsx(
    `${month} 安防巡查`,
    ['机构', '巡查次数', '按时完成', '有迟到', '有漏检', '漏检点位', '发现隐患', '隐患销号', '逾期未整改', '按时完成率'],
    r.items.map((i) => [
      i.name,
      i.runs,
      i.complete,
      i.late,
      i.missedRuns,
      i.missedCheckpoints,
      i.hazardsFound,
      i.hazardsClosed,
      i.overdue,
      `${(i.completionRate * 100).toFixed(1)}%`,
    ]),
  );
  return { buffer, filename: `patrols-${month}.xlsx` };
}
