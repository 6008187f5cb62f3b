import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { ackTimes } from '../alarms/stats.repo.ts';
import { inboundTotals } from '../calls/reports.repo.ts';
import * as care from '../supervision/supervision.care.repo.ts';
import * as sup from '../supervision/supervision.repo.ts';
import { closedMonthSnapshots } from '../supervision/supervision.snapshots.ts';
import { holdsNow, type PeriodWindow } from './periods.ts';
import * as repo from './statistics.repo.ts';

/**
 * How each indicator of the catalogue is computed for one region over a list of periods. The
 * figures the supervision dashboard shows come from the very same queries (supervision.repo.ts,
 * the alarm centre's `ackTimes`, the call reports' `inboundTotals`), so the dashboard, the
 * monthly report and the ad-hoc statistics cannot disagree. A source query is run once per
 * region and request however many indicators read it.
 */

type Values = Array<number | null>;
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/**
 * Indicators that are dashboard figures under the same key and definition: a closed calendar
 * month of these is read from the dashboard's closed-month snapshot (supervision.snapshots.ts,
 * filled on first use), so the report and the dashboard share one stored value per month.
 */
const SNAPSHOT_IDS =
  /^(elders\.total|elders\.age\..+|elders\.ability\..+|orders\.(created|completed|points)|meals\.(served|subsidy)|alarms\.(raised|sla)|calls\.(offered|sla)|allowance\.paid|beds\.occupied|health\.physicals|inspections\.finished)$/;

export class IndicatorCalc {
  private cache = new Map<string, Promise<unknown>>();
  constructor(
    private ctx: AppContext,
    private actor: Actor,
    readonly windows: PeriodWindow[],
    private now = new Date(),
    private useSnapshots = true,
  ) {}

  private liveRest?: IndicatorCalc;

  /** The values of one indicator for a region over the windows: closed months of a dashboard figure from the snapshots, the rest live. */
  async values(id: string, code: string): Promise<Values> {
    const closed = this.useSnapshots
      ? this.windows.filter((w) => w.months.length === 1 && w.month === w.months[0] && Date.parse(w.endAt) <= this.now.getTime())
      : [];
    if (!closed.length || !SNAPSHOT_IDS.test(id)) return this.liveValues(id, code);
    const snaps = await this.once(`snapshots:${code}`, () => closedMonthSnapshots(this.ctx, code, closed));
    const rest = this.windows.filter((w) => !closed.includes(w));
    if (rest.length && !this.liveRest) this.liveRest = new IndicatorCalc(this.ctx, this.actor, rest, this.now, false);
    const live = rest.length && this.liveRest ? await this.liveRest.values(id, code) : [];
    return this.windows.map((w) => {
      if (!closed.includes(w)) return live[rest.indexOf(w)] ?? null;
      const figures = snaps.get(w.month)?.figures ?? {};
      return id in figures ? (figures[id] ?? null) : null;
    });
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      this.cache.set(key, p);
    }
    return p;
  }

  /** Rows keyed by window index → one value per window (0 where the query has no row). */
  private byWindow<R extends { i: number }>(rows: R[], pick: (r: R) => number): Values {
    return this.windows.map((w) => {
      const r = rows.find((x) => x.i === w.i);
      return r ? pick(r) : 0;
    });
  }

  /** A today-only value: in the period that holds today, null in every other. */
  private nowOnly(value: number | null): Values {
    return this.windows.map((w) => (holdsNow(w, this.now) ? value : null));
  }

  /** The alarm and call statistics of their own modules, asked as if by someone whose region is this one. */
  private scoped(code: string): Actor {
    return { ...this.actor, regionCode: code };
  }

  private perWindow<T>(key: string, code: string, run: (w: PeriodWindow) => Promise<T>) {
    return this.once(`${key}:${code}`, () => Promise.all(this.windows.map(run)));
  }

  private sources(code: string) {
    const db = this.ctx.db;
    const ws = this.windows;
    return {
      elders: () => this.once(`elders:${code}`, () => sup.eldersByMonth(db, code, ws)),
      eldersNew: () => this.once(`eldersNew:${code}`, () => repo.eldersNew(db, code, ws)),
      ability: () => this.once(`ability:${code}`, () => sup.abilityByMonth(db, code, ws)),
      orders: () => this.once(`orders:${code}`, () => sup.ordersByMonth(db, code, ws)),
      meals: () => this.once(`meals:${code}`, () => sup.mealsByMonth(db, code, ws)),
      volunteers: () => this.once(`volunteers:${code}`, () => repo.volunteerWork(db, code, ws)),
      familyBeds: () => this.once(`familyBeds:${code}`, () => repo.familyBedsActive(db, code, ws)),
      visits: () => this.once(`visits:${code}`, () => repo.visitsDone(db, code, ws)),
      coverage: () => this.once(`coverage:${code}`, () => sup.visitCoverage(db, code)),
      calls: () =>
        this.perWindow('calls', code, (w) => inboundTotals(db, this.scoped(code), new Date(w.startAt), new Date(w.endAt))),
      callCounts: () => this.once(`callCounts:${code}`, () => repo.callCounts(db, code, ws)),
      alarms: () =>
        this.perWindow('alarms', code, (w) =>
          ackTimes(db, this.scoped(code), new Date(w.startAt), new Date(w.endAt), undefined, 'life'),
        ),
      resolved: () => this.once(`resolved:${code}`, () => repo.alarmsResolved(db, code, ws)),
      allowance: () =>
        this.once(`allowance:${code}`, () =>
          sup.allowancePaidByMonth(
            db,
            code,
            ws.flatMap((w) => w.months.map((month) => ({ ...w, month }))),
          ),
        ),
      survival: () =>
        this.once(`survival:${code}`, async () => {
          // The district's current verification period, as the dashboard reads it.
          const month = cnMonth(this.now);
          const period =
            (await sup.verificationPeriodOf(db, code.slice(0, 6))) === 'quarter'
              ? `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5)) / 3)}`
              : month;
          return sup.survivalVerification(db, code, period);
        }),
      beds: () => this.once(`beds:${code}`, () => sup.bedsNow(db, code)),
      occupied: () => this.once(`occupied:${code}`, () => sup.occupiedByMonth(db, code, ws)),
      contracts: () => this.once(`contracts:${code}`, () => repo.doctorContracts(db, code, ws)),
      physicals: () => this.once(`physicals:${code}`, () => care.physicalsByMonth(db, code, ws)),
      inspections: () => this.once(`inspections:${code}`, () => care.inspectionsByMonth(db, code, ws)),
      open: () => this.once(`open:${code}`, () => care.openHazards(db, code)),
    };
  }

  /** The values of one indicator for a region over the windows, computed from the rows. */
  async liveValues(id: string, code: string): Promise<Values> {
    const s = this.sources(code);
    const band = { '60-69': 'b60', '70-79': 'b70', '80-89': 'b80', '90+': 'b90' } as const;
    if (id.startsWith('elders.age.')) {
      const k = band[id.slice('elders.age.'.length) as keyof typeof band];
      return this.byWindow(await s.elders(), (r) => r[k]);
    }
    if (id.startsWith('elders.ability.')) {
      const level = id.slice('elders.ability.'.length);
      const rows = await s.ability();
      return this.windows.map((w) => rows.find((r) => r.i === w.i && r.level === level)?.n ?? 0);
    }
    switch (id) {
      case 'elders.total':
        return this.byWindow(await s.elders(), (r) => r.total);
      case 'elders.new':
        return this.byWindow(await s.eldersNew(), (r) => r.n);
      case 'orders.created':
        return this.byWindow(await s.orders(), (r) => r.created);
      case 'orders.completed':
        return this.byWindow(await s.orders(), (r) => r.completed);
      case 'orders.points':
        return this.byWindow(await s.orders(), (r) => r.points);
      case 'meals.served':
        return this.byWindow(await s.meals(), (r) => r.served);
      case 'meals.subsidy':
        return this.byWindow(await s.meals(), (r) => r.subsidy);
      case 'volunteers.tasks':
        return this.byWindow(await s.volunteers(), (r) => r.tasks);
      case 'volunteers.hours':
        return this.byWindow(await s.volunteers(), (r) => Math.round(r.minutes / 6) / 10);
      case 'familyBeds.active':
        return this.byWindow(await s.familyBeds(), (r) => r.n);
      case 'visits.done':
        return this.byWindow(await s.visits(), (r) => r.n);
      case 'visits.coverage': {
        const c = await s.coverage();
        return this.nowOnly(rate(c?.covered ?? 0, c?.plans ?? 0));
      }
      case 'calls.offered':
        return (await s.calls()).map((r) => r?.offered ?? 0);
      case 'calls.answered':
        return this.byWindow(await s.callCounts(), (r) => r.answered);
      case 'calls.sla':
        return (await s.calls()).map((r) => rate(r?.within15 ?? 0, r?.offered ?? 0));
      case 'calls.care':
        return this.byWindow(await s.callCounts(), (r) => r.care);
      case 'alarms.raised':
        return (await s.alarms()).map((r) => r?.total ?? 0);
      case 'alarms.resolved':
        return this.byWindow(await s.resolved(), (r) => r.n);
      case 'alarms.sla':
        return (await s.alarms()).map((r) => rate(r?.within60 ?? 0, r?.total ?? 0));
      case 'allowance.paid': {
        const rows = await s.allowance();
        return this.windows.map((w) => w.months.reduce((sum, m) => sum + (rows.find((r) => r.month === m)?.fen ?? 0), 0));
      }
      case 'allowance.verified': {
        const v = await s.survival();
        return this.nowOnly(rate(v?.verified ?? 0, v?.recipients ?? 0));
      }
      case 'beds.total':
        return this.nowOnly((await s.beds())?.beds ?? 0);
      case 'beds.occupied':
        return this.byWindow(await s.occupied(), (r) => r.n);
      case 'beds.occupancy': {
        const b = await s.beds();
        return this.nowOnly(rate(b?.occupied ?? 0, b?.beds ?? 0));
      }
      case 'medical.contracts':
        return this.byWindow(await s.contracts(), (r) => r.contracts);
      case 'health.physicals':
        return this.byWindow(await s.physicals(), (r) => r.n);
      case 'inspections.finished':
        return this.byWindow(await s.inspections(), (r) => r.finished);
      case 'patrols.hazardsOpen':
        return this.nowOnly((await s.open())?.hazards ?? 0);
      case 'inspections.findingsOpen':
        return this.nowOnly((await s.open())?.findings ?? 0);
      case 'medical.managementRate': {
        const rows = await s.contracts();
        return this.windows.map((w) => {
          const r = rows.find((x) => x.i === w.i);
          return rate(r?.contracted65 ?? 0, r?.elders65 ?? 0);
        });
      }
    }
    throw new Error(`indicator ${id} has no computation`);
  }
}

const CN_OFFSET_MS = 8 * 3600 * 1000;
const cnMonth = (now: Date) => new Date(now.getTime() + CN_OFFSET_MS).toISOString().slice(0, 7);
