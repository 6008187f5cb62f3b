import type { LivenessAction, SurvivalAttempt, SurvivalFailReason, SurvivalVisitTask } from '@zhiyang/shared';
import type { AttemptRow, VisitTaskRow } from './survival.repo.ts';

/** Rows → the contract's objects (the figures and any kept frames stay in the database). */

export const presentAttempt = (a: AttemptRow): SurvivalAttempt => ({
  id: a.id,
  applicationId: a.applicationId,
  period: a.period,
  channel: a.channel,
  actions: a.actions as LivenessAction[],
  result: a.result,
  reason: (a.reason as SurvivalFailReason | null) ?? null,
  frame: a.frame,
  actorName: a.actorName,
  at: a.at.toISOString(),
});

export const presentTask = (r: VisitTaskRow): SurvivalVisitTask => ({
  id: r.task.id,
  applicationId: r.task.applicationId,
  elderId: r.task.elderId,
  elderName: r.elderName,
  regionCode: r.task.regionCode,
  regionName: r.regionName ?? null,
  period: r.task.period,
  status: r.task.status,
  failures: Number(r.failures),
  createdAt: r.task.createdAt.toISOString(),
  doneAt: r.task.doneAt?.toISOString() ?? null,
  doneByName: r.task.doneByName,
  note: r.task.note,
});
