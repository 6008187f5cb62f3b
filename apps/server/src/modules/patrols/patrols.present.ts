import type { CheckpointKind, PatrolHazard, PatrolRoute, PatrolRun, PatrolRunDetail } from '@zhiyang/shared';
import type { CheckpointRow, HazardRow, RouteRow, RunRow, ScanRow } from './patrols.repo.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentCheckpoint = (c: CheckpointRow) => ({
  id: c.id,
  seq: c.seq,
  name: c.name,
  area: c.area,
  kind: c.kind as CheckpointKind,
  code: c.code,
});

export function presentRoute(r: RouteRow & { checkpoints: CheckpointRow[] }): PatrolRoute {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    shifts: r.shifts,
    graceMinutes: r.grace_minutes,
    active: r.active,
    checkpoints: r.checkpoints.map(presentCheckpoint),
  };
}

export function presentRun(r: RunRow): PatrolRun {
  return {
    id: r.id,
    routeId: r.route_id,
    routeName: r.route_name,
    shift: r.shift,
    startsAt: iso(r.starts_at) as string,
    dueAt: iso(r.due_at) as string,
    closesAt: iso(r.closes_at) as string,
    status: r.status,
    checkpoints: r.checkpoints,
    scanned: r.scanned,
    missed: r.missed,
    late: r.late,
    hazards: r.hazards,
  };
}

/** A run with its checkpoints in order; the tag codes stay off (the phone must read the tag). */
export function presentRunDetail(r: RunRow, points: CheckpointRow[], scans: ScanRow[]): PatrolRunDetail {
  return {
    ...presentRun(r),
    points: points.map((c) => {
      const { code: _code, ...p } = presentCheckpoint(c);
      const s = scans.find((x) => x.checkpoint_id === c.id);
      return {
        ...p,
        scan: s
          ? {
              checkpointId: c.id,
              result: s.result,
              method: s.method,
              note: s.note,
              late: s.late,
              scannedAt: iso(s.scanned_at) as string,
              hazardId: s.hazard_id,
            }
          : null,
      };
    }),
  };
}

export function presentHazard(
  h: HazardRow,
  photos: Array<{ id: string; stage: 'found' | 'rectified'; mime: string; data: string }>,
): PatrolHazard {
  return {
    id: h.id,
    orgId: h.org_id,
    runId: h.run_id,
    checkpointId: h.checkpoint_id,
    checkpointName: h.checkpoint_name,
    area: h.area,
    description: h.description,
    status: h.status,
    deadlineOn: h.deadline_on,
    overdue: h.overdue,
    ownerId: h.owner_id,
    ownerName: h.owner_name,
    rectifyNote: h.rectify_note,
    rectifiedAt: iso(h.rectified_at),
    checkNote: h.check_note,
    checkedAt: iso(h.checked_at),
    reopened: h.reopened,
    foundAt: iso(h.found_at) as string,
    closedAt: iso(h.closed_at),
    photos: photos.map((p) => ({ id: p.id, stage: p.stage, dataUrl: `data:${p.mime};base64,${p.data}` })),
  };
}
