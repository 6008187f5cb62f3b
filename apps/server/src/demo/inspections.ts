import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { gradeFor, maxScore, round1 } from '../modules/inspections/inspections.rules.ts';
import {
  type ChecklistItem,
  inspectionFindings,
  inspectionRounds,
  inspectionScores,
  inspections,
  inspectionTemplates,
  orgGrades,
} from '../modules/inspections/inspections.schema.ts';
import { DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';

/** The district's own checklist for its community 养老服务站 (100 points, graded 一级 … 五级). */
const CENTRE_ITEMS: ChecklistItem[] = [
  { code: 'licence', section: '基本条件', text: '证照、服务项目与收费标准公示', max: 10 },
  { code: 'staffing', section: '基本条件', text: '站长及服务人员配备、持证上岗', max: 10 },
  { code: 'fire', section: '安全管理', text: '消防设施完好，安全通道畅通，每季度演练', max: 15 },
  { code: 'food', section: '安全管理', text: '助餐食品安全：留样、消毒、从业人员健康证', max: 15 },
  { code: 'daycare', section: '服务开展', text: '日间照料：午休、生活照料服务台账完整', max: 15 },
  { code: 'activities', section: '服务开展', text: '文体活动、健康讲座每月开展', max: 10 },
  { code: 'home_service', section: '服务开展', text: '上门服务（助洁、助浴、探访）记录完整', max: 10 },
  { code: 'records', section: '运营管理', text: '老人档案、服务记录录入平台及时', max: 5 },
  { code: 'satisfaction', section: '运营管理', text: '老人满意度测评不低于 90%', max: 10 },
];
const CENTRE_GRADES = [
  { grade: 1, min: 60 },
  { grade: 2, min: 70 },
  { grade: 3, min: 80 },
  { grade: 4, min: 88 },
  { grade: 5, min: 95 },
];

const FINDINGS = [
  { item: 'fire', text: '二楼安全出口处堆放轮椅和杂物，影响疏散' },
  { item: 'food', text: '助餐留样记录缺 3 天，留样量不足 125 克' },
  { item: 'daycare', text: '午休室床单更换记录不全' },
  { item: 'records', text: '本季度服务记录有 2 周未录入平台' },
  { item: 'fac_safety', text: '3 号楼部分房间紧急呼叫按钮失灵' },
  { item: 'svc_medical', text: '部分老人用药记录缺少双人核对签字' },
];

/** The quarter before today's (China time): its code and the days around it. */
function lastQuarter(now = new Date()) {
  const cst = new Date(now.getTime() + 8 * 3600_000);
  let y = cst.getUTCFullYear();
  let q = Math.floor(cst.getUTCMonth() / 3); // 0-based current quarter index = previous quarter number
  if (q === 0) {
    q = 4;
    y -= 1;
  }
  const endMonth = q * 3; // 1-based last month of that quarter
  const end = new Date(Date.UTC(y, endMonth, 0));
  return { code: `${y}Q${q}`, y, q, end };
}

/**
 * Demo step `inspections`: a quarter's round (the quarter before today) of the demo district —
 * 福寿养老院 graded by GB/T 37276 and every community 养老服务站 by the district's own checklist
 * — with the self-assessment and the assessor's score of every item, grades with their history,
 * two centres still being assessed, and findings: most rectified and re-checked, some waiting.
 * A re-run adds none.
 */
export async function seedInspections(ctx: AppContext) {
  const rnd = seededRandom(3727);
  const quarter = lastQuarter();
  await ctx.db.transaction(async (tx) => {
    const [had] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM inspection_rounds WHERE region_code = ${DEMO_DISTRICT.code}`,
    );
    if (had.n > 0) return;
    const orgs = await queryRows<{ id: string; type: 'institution' | 'community_centre'; region_code: string }>(
      tx,
      sql`SELECT id, type, region_code FROM organizations WHERE type IN ('institution', 'community_centre')
        AND region_code LIKE ${`${DEMO_DISTRICT.code}%`} ORDER BY type DESC, name`,
    );
    if (!orgs.length) return;
    const [gbt] = await tx.select().from(inspectionTemplates).where(sql`code = 'gbt37276' AND active`).limit(1);
    const [centre] = await tx
      .insert(inspectionTemplates)
      .values({
        code: 'demo-centre-quarterly',
        version: 1,
        name: '社区养老服务站季度检查',
        orgType: 'community_centre',
        regionCode: DEMO_DISTRICT.code,
        items: CENTRE_ITEMS,
        maxScore: maxScore(CENTRE_ITEMS),
        gradeThresholds: CENTRE_GRADES,
      })
      .onConflictDoNothing()
      .returning();
    if (!gbt || !centre) return;
    const endDay = quarter.end.toISOString().slice(0, 10);
    const [round] = await tx
      .insert(inspectionRounds)
      .values({
        regionCode: DEMO_DISTRICT.code,
        kind: 'quarterly',
        period: quarter.code,
        name: `${quarter.y}年第${'一二三四'[quarter.q - 1]}季度检查`,
        dueOn: endDay,
      })
      .returning();
    const [assessor] = await queryRows<{ id: string; display_name: string }>(
      tx,
      sql`SELECT id, display_name FROM users WHERE username = 'demo-district'`,
    );
    // A time relative to the quarter's last day (China time), never after now.
    const at = (daysBeforeEnd: number, hour = 10) =>
      new Date(Math.min(Date.now() - 3600_000, quarter.end.getTime() - daysBeforeEnd * 86400_000 + (hour - 8) * 3600_000));
    let findingNo = 0;
    for (const [n, org] of orgs.entries()) {
      const template = org.type === 'institution' ? gbt : centre;
      // Two centres are still being assessed (self-assessment handed in, not finished).
      const finished = n < orgs.length - 2;
      const quality = org.type === 'institution' ? 0.8 : 0.62 + rnd.next() * 0.36;
      const lines = template.items.map((it) => {
        const score = Math.min(it.max, Math.round(it.max * Math.min(1, quality + (rnd.next() - 0.5) * 0.2) * 2) / 2);
        const self = Math.min(it.max, Math.round((score + it.max * rnd.next() * 0.1) * 2) / 2);
        return { itemCode: it.code, selfScore: self, score: finished ? score : null };
      });
      const total = round1(lines.reduce((s, l) => s + (l.score ?? 0), 0));
      const grade = finished ? gradeFor(total, template.gradeThresholds) : null;
      const finishedAt = finished ? at(rnd.int(3, 20), 16) : null;
      const [insp] = await tx
        .insert(inspections)
        .values({
          roundId: round.id,
          orgId: org.id,
          orgType: org.type,
          regionCode: org.region_code,
          templateId: template.id,
          period: quarter.code,
          status: finished ? 'finished' : 'assessing',
          selfScore: round1(lines.reduce((s, l) => s + l.selfScore, 0)),
          selfSubmittedAt: at(30),
          totalScore: finished ? total : null,
          grade,
          assessorId: assessor?.id ?? null,
          assessorName: assessor?.display_name ?? null,
          finishedAt,
        })
        .returning();
      await tx.insert(inspectionScores).values(lines.map((l) => ({ inspectionId: insp.id, ...l })));
      if (finished && grade !== null && finishedAt)
        await tx.insert(orgGrades).values({
          orgId: org.id,
          inspectionId: insp.id,
          grade,
          score: total,
          templateCode: template.code,
          awardedOn: new Date(finishedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
        });
      // Findings on the items scored lowest: the institution and every fourth centre.
      if (!finished || (org.type !== 'institution' && n % 4 !== 1)) continue;
      const weak = FINDINGS.filter((f) => template.items.some((i) => i.code === f.item)).slice(0, 2);
      for (const f of weak) {
        findingNo++;
        // Most are rectified and re-checked; every third waits for the re-check; every fifth is still open.
        const status = findingNo % 5 === 0 ? 'open' : findingNo % 3 === 0 ? 'rectified' : 'closed';
        await tx.insert(inspectionFindings).values({
          inspectionId: insp.id,
          orgId: org.id,
          itemCode: f.item,
          description: f.text,
          severity: f.item === 'fire' || f.item === 'fac_safety' ? 'serious' : 'general',
          deadline: new Date(quarter.end.getTime() + 30 * 86400_000).toISOString().slice(0, 10),
          status,
          rectification: status === 'open' ? null : '已按要求整改，附整改前后照片和台账',
          rectifiedAt: status === 'open' ? null : at(-10),
          recheckNote: status === 'closed' ? '现场复查，整改到位' : null,
          recheckedAt: status === 'closed' ? at(-20) : null,
          recheckedBy: status === 'closed' ? (assessor?.id ?? null) : null,
          createdBy: assessor?.id ?? null,
        });
      }
    }
  });
}
