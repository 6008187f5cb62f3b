import type { HealthSummary, Medication, medicationInput, Physical, VitalTrends } from '@zhiyang/shared';
import type { z } from 'zod';
import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { withElderPrivate } from '../elders/elders.private.ts';
import * as repo from './health-records.repo.ts';
import {
  type MedicationRow,
  medicationsOf,
  openMedication,
  type PhysicalRow,
  physicalsOf,
  sealValues,
} from './records.sealed.ts';

/**
 * Health data is sensitive personal data (个人敏感信息). Who reads it: the elder's doctors (their
 * family-doctor contract or open medical work, in `elderVisibleTo`), care staff in reach with a
 * reason, and the elder and family. Every read writes an audit entry with its reason.
 */
export function readsWithoutReason(actor: Actor): boolean {
  return isPersonAccount(actor) || String(actor.role) === 'doctor';
}

/** The elder if in the actor's reach (else 404); staff must say why they read. */
export async function elderForHealth(ctx: AppContext, actor: Actor, elderId: string, reason: string | undefined) {
  const sealed = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!sealed) throw notFound('Elder');
  const elder = withElderPrivate(ctx.cipher, sealed);
  if (!reason && !readsWithoutReason(actor))
    throw validationError('query.reason', 'say why you read this health record (至少2个字)');
  return elder;
}

export async function auditHealthRead(
  ctx: AppContext,
  actor: Actor,
  elder: { id: string; region_code: string },
  part: string,
  reason: string | undefined,
  extra: Record<string, unknown> = {},
) {
  await recordReadAudit(ctx.db, {
    actor,
    action: 'health.read',
    targetType: 'elder',
    targetId: elder.id,
    regionCode: elder.region_code,
    detail: { part, ...(reason ? { reason } : {}), ...extra },
  });
}

export const presentMedication = (m: MedicationRow): Medication => ({
  id: m.id,
  name: m.name,
  dose: m.dose,
  frequency: m.frequency,
  startedOn: m.started_on,
  endedOn: m.ended_on,
});

export function presentPhysical(p: PhysicalRow): Physical {
  const bmi = p.height_cm && p.weight_kg ? Math.round((p.weight_kg / (p.height_cm / 100) ** 2) * 10) / 10 : null;
  return {
    id: p.id,
    examYear: p.exam_year,
    examDate: p.exam_date,
    institution: p.institution,
    heightCm: p.height_cm,
    weightKg: p.weight_kg,
    bmi,
    systolic: p.systolic,
    diastolic: p.diastolic,
    heartRate: p.heart_rate,
    fastingGlucose: p.fasting_glucose,
    totalCholesterol: p.total_cholesterol,
    triglycerides: p.triglycerides,
    ecg: p.ecg,
    conclusion: p.conclusion,
  };
}

export async function getHealth(ctx: AppContext, actor: Actor, elderId: string, reason?: string): Promise<HealthSummary> {
  const elder = await elderForHealth(ctx, actor, elderId, reason);
  const [medications, latest, physicals, doctor] = await Promise.all([
    medicationsOf(ctx, elder.id),
    repo.latestObservations(ctx.db, elder.id),
    physicalsOf(ctx, elder.id),
    repo.familyDoctorOf(ctx.db, elder.id),
  ]);
  await auditHealthRead(ctx, actor, elder, 'summary', reason);
  return {
    elderId: elder.id,
    name: elder.name,
    chronicConditions: elder.chronic_conditions,
    allergies: elder.allergies,
    medications: medications.map(presentMedication),
    latest: latest.map((l) => ({ code: l.code, value: l.value, observedAt: new Date(l.observed_at).toISOString() })),
    physicals: physicals.map(presentPhysical),
    familyDoctor: doctor
      ? {
          teamName: doctor.team_name,
          orgName: doctor.org_name,
          orgPhone: doctor.org_phone,
          leaderName: doctor.leader_name,
          package: doctor.package,
          endsOn: doctor.ends_on,
        }
      : null,
  };
}

export async function getVitals(
  ctx: AppContext,
  actor: Actor,
  elderId: string,
  days: number,
  reason?: string,
): Promise<VitalTrends> {
  const elder = await elderForHealth(ctx, actor, elderId, reason);
  const from = new Date(Date.now() - days * 86_400_000);
  const rows = await repo.dailyTrends(ctx.db, elder.id, from);
  await auditHealthRead(ctx, actor, elder, 'vitals', reason, { days });
  const series = new Map<string, VitalTrends['series'][number]>();
  for (const r of rows) {
    const s = series.get(r.code) ?? { code: r.code, points: [] };
    s.points.push({ day: r.day, avg: Number(r.avg), min: Number(r.min), max: Number(r.max), n: r.n });
    series.set(r.code, s);
  }
  return { days, series: [...series.values()] };
}

export async function addMedication(ctx: AppContext, actor: Actor, elderId: string, input: z.output<typeof medicationInput>) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  if (input.startedOn && input.endedOn && input.endedOn < input.startedOn)
    throw validationError('body.endedOn', 'must not be before the start');
  return ctx.db.transaction(async (tx) => {
    const { name, dose, frequency, ...dates } = input;
    const sealed = await repo.insertMedication(tx, {
      elderId,
      ...dates,
      privateEnc: sealValues(ctx.cipher, { name, dose: dose ?? null, frequency: frequency ?? null }),
      createdBy: actor.id,
    });
    const row = openMedication(ctx.cipher, sealed);
    await recordAudit(tx, {
      actor,
      action: 'health.medication.create',
      targetType: 'elder',
      targetId: elderId,
      regionCode: elder.region_code,
      // The medicine's name is health data: the audit log names the row, not what it holds.
      detail: { medicationId: row.id },
    });
    return presentMedication(row);
  });
}
