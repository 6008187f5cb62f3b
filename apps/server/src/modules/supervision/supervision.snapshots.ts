import type { SupervisionDashboard } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { MonthWindow } from './supervision.repo.ts';
import * as repo from './supervision.repo.ts';
import { computeDashboard, lastSixMonths } from './supervision.service.ts';
import * as snaps from './supervision.snapshots.repo.ts';

/**
 * Closed-month snapshots of the supervision dashboard (docs/supervision.md, "How it stays
 * correct"). A closed month's trend points are the live computation run once for that month
 * and stored; the current month is always live.
 *
 * - Filled lazily: the first dashboard read that misses a closed month computes and stores it;
 *   concurrent reads of the same region and month in this server share that one computation.
 * - Filled and refreshed nightly (`supervision.snapshots`, 23:50 China time): any missing closed
 *   month of the last five, and the last closed month **recomputed every night for the first
 *   LATE_CORRECTION_DAYS days of the next month**, so a late correction (a voided order, a
 *   corrected assessment, a late meal refund) made in that window reaches the snapshot.
 * - The same job stores the today-only figures of the current month each night (`state`), so
 *   after the month's last evening they are its month-end values: those figures get a history
 *   from the day the table exists.
 * - FIGURES_VERSION is raised when the set or definition of figures changes: every row of an
 *   older version is computed again on its next read.
 */
export const FIGURES_VERSION = 1;
export const LATE_CORRECTION_DAYS = 7;

type Region = NonNullable<Awaited<ReturnType<typeof repo.regionByCode>>>;
type Values = Record<string, number | null>;

/** How many closed months this process has computed (tests check that concurrent reads compute once). */
export const snapshotCounters = { computed: 0 };

const inFlight = new Map<string, Promise<Values>>();

/** One closed month's trend points (key → value) of every monthly figure, computed from the rows. */
async function computeFigures(ctx: AppContext, region: Region, window: MonthWindow): Promise<Values> {
  snapshotCounters.computed++;
  const d = await computeDashboard(ctx, region, [window]);
  const out: Values = {};
  for (const f of d.groups.flatMap((g) => g.figures)) if (f.trend.length === 1) out[f.key] = f.trend[0].value;
  return out;
}

/** The today-only figures (no trend) of a region as they are now. */
async function computeState(ctx: AppContext, region: Region, window: MonthWindow): Promise<Values> {
  const d = await computeDashboard(ctx, region, [window]);
  const out: Values = {};
  for (const f of d.groups.flatMap((g) => g.figures)) if (f.trend.length === 0) out[f.key] = f.value;
  return out;
}

/**
 * Computes and stores a missing closed month once per process, however many reads ask at once.
 * A read saw the month missing some time before it gets here; another read may have computed
 * and stored it in between (its computation is no longer in flight), so the stored row is
 * looked at again first.
 */
export function fillOnce(ctx: AppContext, region: Region, window: MonthWindow): Promise<Values> {
  const key = `${region.code}|${window.month}|${FIGURES_VERSION}`;
  let p = inFlight.get(key);
  if (!p) {
    p = (async () => {
      const [stored] = await snaps.snapshotsOf(ctx.db, region.code, [window.month]);
      if (stored?.figures && stored.version === FIGURES_VERSION) return stored.figures;
      const figures = await computeFigures(ctx, region, window);
      await snaps.writeFigures(ctx.db, region.code, window.month, FIGURES_VERSION, figures, true);
      return figures;
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

/** The snapshot of each closed month (figures and, where the nightly job saw it, month-end state), computing missing ones. */
export async function closedMonthSnapshots(
  ctx: AppContext,
  code: string,
  closed: MonthWindow[],
): Promise<Map<string, { figures: Values; state: Values | null }>> {
  const rows = await snaps.snapshotsOf(
    ctx.db,
    code,
    closed.map((m) => m.month),
  );
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const missing = closed.filter((m) => {
    const r = byMonth.get(m.month);
    return !r?.figures || r.version !== FIGURES_VERSION;
  });
  const computed = new Map<string, Values>();
  if (missing.length) {
    const region = await repo.regionByCode(ctx.db, code);
    if (region) {
      for (const m of missing) computed.set(m.month, await fillOnce(ctx, region, m));
    }
  }
  return new Map(
    closed.map((m) => {
      const r = byMonth.get(m.month);
      const figures = computed.get(m.month) ?? r?.figures ?? {};
      return [m.month, { figures, state: r?.state ?? null }];
    }),
  );
}

/**
 * The live dashboard of the current month with the closed months' points put in front of each
 * monthly figure's trend. A today-only figure gets the month-end values the nightly job stored
 * (only months it saw); with none, its trend stays empty as before.
 */
export function withSnapshots(
  live: SupervisionDashboard,
  months: MonthWindow[],
  snapshots: Map<string, { figures: Values; state: Values | null }>,
): SupervisionDashboard {
  const closed = months.slice(0, -1);
  for (const f of live.groups.flatMap((g) => g.figures)) {
    if (f.trend.length === 1) {
      const before = closed.map((m) => {
        const figures = snapshots.get(m.month)?.figures ?? {};
        return { month: m.month, value: f.key in figures ? (figures[f.key] ?? null) : null };
      });
      f.trend = [...before, ...f.trend];
    } else if (f.trend.length === 0) {
      const before = closed.flatMap((m) => {
        const state = snapshots.get(m.month)?.state;
        return state && f.key in state ? [{ month: m.month, value: state[f.key] ?? null }] : [];
      });
      if (before.length) f.trend = [...before, { month: live.month, value: f.value }];
    }
  }
  return live;
}

/** Recomputes one closed month of one region from the rows, replacing its stored figures. */
export async function recomputeMonth(ctx: AppContext, region: Region, window: MonthWindow) {
  const figures = await computeFigures(ctx, region, window);
  await snaps.writeFigures(ctx.db, region.code, window.month, FIGURES_VERSION, figures, false);
}

/**
 * 重新计算: a region in the caller's reach has one closed month computed again from the rows and
 * its snapshot replaced (for a late correction after the 7-day window). Only the dashboard's
 * five closed months can be asked for; every supervision reader may do it (the figures are
 * derived from rows they already see), and it is audited.
 */
export async function recomputeSnapshot(ctx: AppContext, actor: Actor, month: string, regionCode?: string) {
  const code = regionCode ?? actor.regionCode;
  if (!code || !actorCoversRegion(actor, code)) throw notFound('Region');
  const region = await repo.regionByCode(ctx.db, code);
  if (!region) throw notFound('Region');
  const window = lastSixMonths(new Date())
    .slice(0, 5)
    .find((m) => m.month === month);
  if (!window) throw badRequest('month must be one of the five closed months the dashboard shows');
  const figures = await computeFigures(ctx, region, window);
  await snaps.writeFigures(ctx.db, code, month, FIGURES_VERSION, figures, false);
  await recordAudit(ctx.db, {
    actor,
    action: 'supervision.snapshot.recompute',
    targetType: 'region',
    targetId: code,
    regionCode: code,
    detail: { month },
  });
  return { regionCode: code, month, figures: Object.keys(figures).length };
}

/** Stores the current month's today-only figures of one region (the nightly job; the last night of a month is its month end). */
export async function captureState(ctx: AppContext, region: Region, window: MonthWindow) {
  await snaps.writeState(ctx.db, region.code, window.month, FIGURES_VERSION, await computeState(ctx, region, window));
}

/**
 * The nightly job: for every district, street and community, the current month's today-only
 * figures; the last closed month recomputed while within the late-correction window; any
 * missing closed month of the dashboard's five filled.
 */
export async function nightlySnapshots(ctx: AppContext, now = new Date()) {
  const months = lastSixMonths(now);
  const day = Number(cstDate(now).slice(8, 10));
  const regions = await snaps.dashboardRegions(ctx.db);
  for (const region of regions) {
    await captureState(ctx, region, months[5]);
    if (day <= LATE_CORRECTION_DAYS) await recomputeMonth(ctx, region, months[4]);
    await closedMonthSnapshots(ctx, region.code, months.slice(0, 5));
  }
  return regions.length;
}
