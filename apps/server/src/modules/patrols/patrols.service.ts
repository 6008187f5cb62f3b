import { randomBytes } from 'node:crypto';
import type { Action, CheckpointKind } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, isUniqueViolation, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { institutionFor } from '../institutions/institutions.service.ts';
import { sealedPhoto } from './hazards.service.ts';
import { presentRoute, presentRun, presentRunDetail } from './patrols.present.ts';
import * as repo from './patrols.repo.ts';
import { decodePatrolPhoto, hazardDeadline } from './patrols.rules.ts';

/** Tag codes: `ZYP-` and 16 base32 characters (80 random bits), printed as QR and written on NFC tags. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newTagCode(): string {
  const bytes = randomBytes(16);
  return `ZYP-${[...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export async function listRoutes(ctx: AppContext, actor: Actor, orgId: string) {
  await institutionFor(ctx, actor, orgId);
  const items = (await repo.listRoutes(ctx.db, orgId)).map(presentRoute);
  return { items, total: items.length };
}

export async function createRoute(
  ctx: AppContext,
  actor: Actor,
  orgId: string,
  b: {
    name: string;
    shifts: Array<{ name: string; start: string; windowMinutes: number }>;
    graceMinutes: number;
    checkpoints: Array<{ name: string; area: string; kind: CheckpointKind }>;
  },
) {
  const inst = await institutionFor(ctx, actor, orgId, 'institution:write');
  if (new Set(b.shifts.map((s) => s.name)).size !== b.shifts.length)
    throw unprocessable('Two shifts have the same name.', [{ path: 'body.shifts', message: 'shift names must differ' }]);
  if (new Set(b.shifts.map((s) => s.start)).size !== b.shifts.length)
    throw unprocessable('Two shifts start at the same time.', [{ path: 'body.shifts', message: 'start times must differ' }]);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const id = await repo.insertRoute(tx, { orgId, name: b.name, shifts: b.shifts, graceMinutes: b.graceMinutes });
      for (const [i, c] of b.checkpoints.entries())
        await repo.insertCheckpoint(tx, { routeId: id, orgId, seq: i + 1, ...c, code: newTagCode() });
      // Today's and tomorrow's runs at once: a route made at 07:50 has its 08:00 run.
      const now = new Date();
      await repo.generateRuns(tx, [cstDate(now), addDays(cstDate(now), 1)], now, id);
      await recordAudit(tx, {
        actor,
        action: 'patrol.route.create',
        targetType: 'patrol_route',
        targetId: id,
        regionCode: inst.org.regionCode,
        detail: { orgId, name: b.name, checkpoints: b.checkpoints.length, shifts: b.shifts.map((s) => s.start) },
      });
      return id;
    });
    return presentRoute((await repo.listRoutes(ctx.db, orgId, id))[0]);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('The institution has a route of that name already.', undefined, 'duplicate');
    throw err;
  }
}

/** Job: the runs of today and tomorrow (China time) of every active route; idempotent. */
export async function generateAll(ctx: AppContext, now = new Date()) {
  const today = cstDate(now);
  return { created: await repo.generateRuns(ctx.db, [addDays(today, -1), today, addDays(today, 1)], now) };
}

/** A run of an institution the actor may `action`, else a 404. */
async function runFor(ctx: AppContext, actor: Actor, id: string, action: Action) {
  const run = await repo.findRun(ctx.db, id);
  if (!run || !can(actor, action, { orgId: run.org_id, regionCode: run.region_code })) throw notFound('Patrol run');
  return run;
}

async function detail(ctx: AppContext, run: repo.RunRow) {
  const [points, scans] = await Promise.all([repo.checkpointsOfRoute(ctx.db, run.route_id), repo.scansOf(ctx.db, run.id)]);
  return presentRunDetail(run, points, scans);
}

export async function listRuns(ctx: AppContext, actor: Actor, orgId: string, q: { from?: string; to?: string; status?: string }) {
  await institutionFor(ctx, actor, orgId);
  const today = cstDate();
  const from = new Date(`${q.from ?? addDays(today, -7)}T00:00:00+08:00`);
  const to = new Date(`${addDays(q.to ?? addDays(today, 1), 1)}T00:00:00+08:00`);
  const items = (await repo.listRuns(ctx.db, orgId, { from, to, status: q.status })).map(presentRun);
  return { items, total: items.length };
}

/** The phone page's list: the caller's institution's runs open now or starting within 12 hours. */
export async function myRuns(ctx: AppContext, actor: Actor) {
  if (!actor.orgId) return { items: [], total: 0 };
  const now = Date.now();
  const rows = await repo.listRuns(ctx.db, actor.orgId, {
    from: new Date(now - 24 * 3600_000),
    to: new Date(now + 12 * 3600_000),
  });
  const items = rows
    .filter((r) => r.status === 'open' && new Date(r.closes_at).getTime() > now)
    .sort((a, b) => new Date(a.starts_at).getTime() - new Date(b.starts_at).getTime())
    .map(presentRun);
  return { items, total: items.length };
}

export async function getRun(ctx: AppContext, actor: Actor, id: string) {
  return detail(ctx, await runFor(ctx, actor, id, 'institution:read'));
}

/**
 * A scan on the phone: the code must be one of the route's checkpoints (else 422), the run open
 * (from its start until it closes: 409 otherwise); the server's clock decides lateness (after the
 * window, before the close). A hazard needs a note and becomes a rectification task.
 */
export async function scan(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  b: { code: string; method: 'qr' | 'nfc' | 'typed'; result: 'pass' | 'hazard'; note?: string; photos?: string[] },
) {
  const run = await runFor(ctx, actor, runId, 'institution:care');
  const now = new Date();
  if (now < new Date(run.starts_at)) throw conflict('This patrol has not started yet.', undefined, 'run-not-open');
  if (run.status !== 'open' || now >= new Date(run.closes_at)) throw conflict('This patrol has closed.', undefined, 'run-closed');
  const points = await repo.checkpointsOfRoute(ctx.db, run.route_id);
  const point = points.find((p) => p.code === b.code.toUpperCase());
  if (!point)
    throw unprocessable(
      'The code is not a checkpoint of this route.',
      [{ path: 'body.code', message: 'not a checkpoint of this route' }],
      'wrong-checkpoint',
    );
  if (b.result === 'hazard' && !b.note) throw validationError('body.note', 'say what the hazard is');
  const photos = (b.photos ?? []).map((p, i) => {
    const d = decodePatrolPhoto(p);
    if (!d) throw validationError(`body.photos.${i}`, 'not a JPEG, PNG or WebP picture');
    return sealedPhoto(ctx, d);
  });
  const late = now > new Date(run.due_at);
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.insertScan(tx, {
      runId,
      checkpointId: point.id,
      orgId: run.org_id,
      result: b.result,
      method: b.method,
      note: b.note ?? null,
      late,
      at: now,
      by: actor.id,
    });
    if (!ok) throw conflict('This checkpoint has already been scanned in this patrol.', undefined, 'duplicate');
    let hazardId: string | null = null;
    if (b.result === 'hazard') {
      hazardId = await repo.insertHazard(tx, {
        orgId: run.org_id,
        runId,
        checkpointId: point.id,
        area: point.area,
        description: b.note as string,
        deadlineOn: hazardDeadline(point.kind as CheckpointKind, cstDate(now)),
        at: now,
        by: actor.id,
      });
      for (const p of photos) await repo.insertPhoto(tx, { hazardId, stage: 'found', ...p });
    }
    await recordAudit(tx, {
      actor,
      action: 'patrol.scan',
      targetType: 'patrol_run',
      targetId: runId,
      regionCode: run.region_code,
      detail: { checkpoint: point.name, method: b.method, result: b.result, late, hazardId, photos: photos.length },
    });
  });
  return detail(ctx, (await repo.findRun(ctx.db, runId)) as repo.RunRow);
}

/**
 * Job: close every run whose window has closed. Checkpoints nobody scanned become `missed`; a run
 * with misses or late scans raises an alarm to the institution's duty staff (type patrol_missed,
 * P3: their alarm centre first, the district centre if nobody takes it). Safe to run twice.
 */
export async function closeDue(ctx: AppContext, now = new Date()) {
  let closed = 0;
  let alarms = 0;
  for (const { id } of await repo.runsToClose(ctx.db, now)) {
    await ctx.db.transaction(async (tx) => {
      const r = await repo.closeRun(tx, id, now);
      if (!r) return;
      closed++;
      if (r.missed === 0 && r.late === 0) return;
      const run = (await repo.findRun(tx, id)) as repo.RunRow;
      const alarm = await raiseAlarm(ctx, tx, {
        type: 'patrol_missed',
        priority: 'P3',
        mergeKey: `patrol:${id}`,
        elderId: null,
        deviceId: null,
        regionCode: run.region_code,
        orgId: run.org_id,
        at: now,
        data: {
          patrolRunId: id,
          route: run.route_name,
          shift: run.shift,
          missed: r.missed,
          late: r.late,
          missedPoints: r.missedPoints.map((p) => `${p.area} ${p.name}`),
        },
      });
      await repo.setRunAlarm(tx, id, alarm.id);
      alarms++;
    });
  }
  return { closed, alarms };
}
