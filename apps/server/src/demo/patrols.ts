import type { CheckpointKind } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { generateRuns, insertCheckpoint, insertRoute } from '../modules/patrols/patrols.repo.ts';
import { hazardDeadline } from '../modules/patrols/patrols.rules.ts';
import { patrolHazards, patrolRuns, patrolScans } from '../modules/patrols/patrols.schema.ts';
import { newTagCode } from '../modules/patrols/patrols.service.ts';
import { DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';

type Point = { name: string; area: string; kind: CheckpointKind };
const ROUTES: Array<{ name: string; shifts: Array<{ name: string; start: string; windowMinutes: number }>; points: Point[] }> = [
  {
    name: '夜间安全巡查',
    shifts: [
      { name: '夜班', start: '22:00', windowMinutes: 60 },
      { name: '凌晨班', start: '02:00', windowMinutes: 60 },
    ],
    points: [
      { name: '东侧消防通道', area: '1号楼一层', kind: 'fire_exit' },
      { name: '西侧消防通道', area: '1号楼二层', kind: 'fire_exit' },
      { name: '302 特护房', area: '1号楼三层', kind: 'high_risk_room' },
      { name: '厨房燃气总阀', area: '厨房', kind: 'gas' },
      { name: '配电室', area: '配电室', kind: 'electrical' },
      { name: '205 认知症照护房', area: '2号楼二层', kind: 'high_risk_room' },
    ],
  },
  {
    name: '日间安全巡查',
    shifts: [
      { name: '白班', start: '08:00', windowMinutes: 90 },
      { name: '午班', start: '14:00', windowMinutes: 90 },
    ],
    points: [
      { name: '大门及监控室', area: '门岗', kind: 'other' },
      { name: '厨房燃气灶', area: '厨房', kind: 'gas' },
      { name: '洗衣房配电箱', area: '洗衣房', kind: 'electrical' },
      { name: '一层消防通道', area: '2号楼一层', kind: 'fire_exit' },
      { name: '活动室', area: '2号楼一层', kind: 'other' },
    ],
  },
];

/** Days before today with a hazard found (even: the night route, odd: the day route). */
const HAZARD_DAYS = [27, 22, 18, 13, 9, 6, 5, 4, 2, 1];

const HAZARDS: Record<CheckpointKind, string[]> = {
  fire_exit: ['消防通道堆放杂物', '安全出口指示灯不亮', '防火门闭门器损坏'],
  gas: ['燃气软管老化', '燃气报警器未通电'],
  electrical: ['配电箱门未关闭', '线路私拉乱接'],
  high_risk_room: ['床栏未拉起', '呼叫器线缆脱落'],
  other: ['监控画面中断', '地面湿滑未设警示'],
};

/**
 * Demo step `patrols`: 福寿养老院 gets two patrol routes (night and day, eleven checkpoints) and the
 * month before today of runs — mostly complete, some late, a few with misses, a few hazards of
 * which most are rectified and closed, one waiting for its re-check and one overdue — and today's
 * and tomorrow's runs for the phone page. A re-run adds none.
 */
export async function seedPatrols(ctx: AppContext) {
  const rnd = seededRandom(2019);
  const now = new Date();
  const today = cstDate(now);
  await ctx.db.transaction(async (tx) => {
    const [org] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM organizations WHERE type = 'institution' AND name = '福寿养老院'
        AND region_code LIKE ${`${DEMO_DISTRICT.code}%`} ORDER BY created_at LIMIT 1`,
    );
    if (!org) return;
    const [had] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM patrol_routes WHERE org_id = ${org.id}`);
    if (had.n > 0) return;
    const [staff] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM users WHERE org_id = ${org.id} ORDER BY created_at LIMIT 1`,
    );
    const by = staff?.id ?? null;
    for (const [routeNo, r] of ROUTES.entries()) {
      const routeId = await insertRoute(tx, { orgId: org.id, name: r.name, shifts: r.shifts, graceMinutes: 30 });
      for (const [i, p] of r.points.entries())
        await insertCheckpoint(tx, { routeId, orgId: org.id, seq: i + 1, ...p, code: newTagCode() });
      const points = await queryRows<{ id: string; area: string; kind: CheckpointKind }>(
        tx,
        sql`SELECT id, area, kind FROM patrol_checkpoints WHERE route_id = ${routeId} ORDER BY seq`,
      );
      for (let d = 30; d >= 1; d--) {
        const day = addDays(today, -d);
        for (const s of r.shifts) {
          const startsAt = new Date(`${day}T${s.start}:00+08:00`);
          const dueAt = new Date(startsAt.getTime() + s.windowMinutes * 60_000);
          const closesAt = new Date(dueAt.getTime() + 30 * 60_000);
          if (closesAt >= now) continue;
          // One run in twelve misses a checkpoint or two, one in eight has a late scan.
          const missing = rnd.chance(1 / 12)
            ? new Set([rnd.int(0, points.length - 1), rnd.int(0, points.length - 1)])
            : new Set<number>();
          const lateAt = rnd.chance(1 / 8) ? rnd.int(0, points.length - 1) : -1;
          const scans: Array<typeof patrolScans.$inferInsert> = [];
          const found: Array<{ point: (typeof points)[number]; at: Date; description: string }> = [];
          let late = 0;
          points.forEach((p, i) => {
            if (missing.has(i)) {
              scans.push({ runId: '', checkpointId: p.id, orgId: org.id, result: 'missed', scannedAt: closesAt });
              return;
            }
            const isLate = i === lateAt;
            if (isLate) late++;
            const at = new Date(
              isLate ? dueAt.getTime() + rnd.int(2, 25) * 60_000 : startsAt.getTime() + (i + 1) * rnd.int(4, 9) * 60_000,
            );
            const hazard = s === r.shifts[0] && HAZARD_DAYS.includes(d) && d % 2 === routeNo && i === d % points.length;
            const description = rnd.pick(HAZARDS[p.kind]);
            if (hazard) found.push({ point: p, at, description });
            scans.push({
              runId: '',
              checkpointId: p.id,
              orgId: org.id,
              result: hazard ? 'hazard' : 'pass',
              method: rnd.chance(0.7) ? 'qr' : rnd.chance(0.5) ? 'nfc' : 'typed',
              late: isLate,
              scannedAt: at,
              scannedBy: by,
              note: hazard ? description : null,
            });
          });
          const [run] = await tx
            .insert(patrolRuns)
            .values({
              routeId,
              orgId: org.id,
              shift: s.name,
              startsAt,
              dueAt,
              closesAt,
              status: missing.size ? 'missed' : late ? 'late' : 'complete',
              checkpoints: points.length,
              missed: missing.size,
              late,
              closedAt: closesAt,
              isDemo: true,
            })
            .returning({ id: patrolRuns.id });
          await tx.insert(patrolScans).values(scans.map((x) => ({ ...x, runId: run.id })));
          for (const f of found) {
            const foundDay = cstDate(f.at);
            // The one found two days ago had a day to be put right: it is overdue.
            const deadline = d === 2 ? addDays(foundDay, 1) : hazardDeadline(f.point.kind, foundDay);
            // Older hazards are rectified and closed; the newest wait for their re-check or are still open
            // (one of them past its deadline).
            const status = d > 6 ? 'closed' : d > 3 ? 'rectified' : 'open';
            await tx.insert(patrolHazards).values({
              orgId: org.id,
              runId: run.id,
              checkpointId: f.point.id,
              area: f.point.area,
              description: f.description,
              status,
              deadlineOn: deadline,
              rectifyNote: status === 'open' ? null : '已整改完毕',
              rectifiedAt: status === 'open' ? null : new Date(f.at.getTime() + 20 * 3600_000),
              rectifiedBy: status === 'open' ? null : by,
              checkNote: status === 'closed' ? '复查合格' : null,
              checkedAt: status === 'closed' ? new Date(f.at.getTime() + 44 * 3600_000) : null,
              checkedBy: status === 'closed' ? by : null,
              foundAt: f.at,
              foundBy: by,
              closedAt: status === 'closed' ? new Date(f.at.getTime() + 44 * 3600_000) : null,
              isDemo: true,
            });
          }
        }
      }
    }
    await generateRuns(tx, [today, addDays(today, 1)], now);
  });
}
