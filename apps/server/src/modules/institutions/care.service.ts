import { CARE_ITEMS, INCIDENT_KIND_LABELS_ZH, INCIDENT_SEVERITY_LABELS_ZH } from '@zhiyang/shared';
import { can, isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstDayStart } from '../../lib/dates.ts';
import { badRequest, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { boundElderId, familyAccountIds } from '../elders/service-elders.repo.ts';
import { admissionFor } from './admissions.service.ts';
import { presentCareRecord, presentIncident } from './institutions.present.ts';
import * as repo from './institutions.repo.ts';
import { institutionFor } from './institutions.service.ts';

const KEY_RE = /^[A-Za-z0-9_\-:.]{8,100}$/;
/** A record kept offline may arrive late, but not from the future nor from last week. */
const MAX_AGE_MS = 7 * 86_400_000;
const CLOCK_SKEW_MS = 5 * 60_000;

/** A resident's admitted stay the actor may record care for (its institution's staff), else a 404. */
async function residentFor(ctx: AppContext, actor: Actor, admissionId: string) {
  const row = await repo.findAdmission(ctx.db, admissionId);
  if (!row) throw notFound('Admission');
  const inst = await repo.findInstitution(ctx.db, row.a.orgId);
  if (!inst || !can(actor, 'institution:care', { orgId: inst.org.id, regionCode: inst.org.regionCode }))
    throw notFound('Admission');
  if (row.a.status !== 'admitted')
    throw unprocessable('The elder is not a resident now.', [{ path: 'body.admissionId', message: 'not admitted' }]);
  return { row, inst };
}

function dayPlan(plan: Array<{ code: string; zh: string; perDay: number }>, records: Array<{ kind: string; item: string }>) {
  return plan.map((p) => ({
    ...p,
    done: records.filter((r) => r.item === p.code || (p.code === 'vitals' && r.kind === 'vitals')).length,
  }));
}

/** A resident's day: the plan with the count done of each item, and the records. Audited (a resident's record). */
export async function careDay(ctx: AppContext, actor: Actor, id: string, day = cstDate()) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:read');
  const records = await repo.careRecordsOf(ctx.db, id, day);
  await recordAudit(ctx.db, {
    actor,
    action: 'institution.care.read',
    targetType: 'admission',
    targetId: id,
    regionCode: inst.org.regionCode,
    detail: { day },
  });
  return { admissionId: id, day, plan: dayPlan(row.a.carePlan, records), records: records.map(presentCareRecord) };
}

/**
 * Record a care item, a medication or vital signs, once per Idempotency-Key: the phone page keeps
 * a tap offline with its key and time and sends it when it can; a replay answers the first record.
 */
export async function recordCare(
  ctx: AppContext,
  actor: Actor,
  key: string | undefined,
  b: {
    admissionId: string;
    kind: 'care' | 'medication' | 'vitals';
    item: string;
    doneAt: string;
    dose?: string;
    vitals?: Record<string, number | undefined>;
    note?: string;
  },
) {
  if (!key || !KEY_RE.test(key)) throw badRequest('Send an Idempotency-Key header (8–100 letters, digits or - _ : .).');
  const { row, inst } = await residentFor(ctx, actor, b.admissionId);
  const prior = await repo.careRecordByKey(ctx.db, inst.org.id, key);
  if (prior) {
    if (prior.admissionId !== b.admissionId || prior.item !== b.item)
      throw unprocessable('This Idempotency-Key was used for another record.', undefined, 'idempotency-key-reused');
    markUnchanged();
    return presentCareRecord(prior);
  }
  const doneAt = new Date(b.doneAt);
  const now = Date.now();
  if (doneAt.getTime() > now + CLOCK_SKEW_MS) throw validationError('body.doneAt', 'cannot be in the future');
  if (doneAt.getTime() < now - MAX_AGE_MS) throw validationError('body.doneAt', 'older than 7 days');
  if (b.kind === 'care' && !CARE_ITEMS.some((i) => i.code === b.item))
    throw validationError('body.item', `not a care item (${CARE_ITEMS.map((i) => i.code).join(', ')})`);
  if (b.kind === 'vitals' && !Object.values(b.vitals ?? {}).some((v) => v !== undefined))
    throw validationError('body.vitals', 'give at least one reading');
  const data = {
    ...(b.dose ? { dose: b.dose } : {}),
    ...(b.vitals ? { vitals: b.vitals } : {}),
    ...(b.note ? { note: b.note } : {}),
  };
  return ctx.db.transaction(async (tx) => {
    const rec = await repo.insertCareRecord(tx, {
      admissionId: b.admissionId,
      orgId: inst.org.id,
      kind: b.kind,
      item: b.kind === 'vitals' ? 'vitals' : b.item,
      data,
      doneAt,
      day: cstDate(doneAt),
      byUser: actor.id,
      byName: actor.displayName,
      idempotencyKey: key,
    });
    // Two sends of one key at once: the second finds the first's row.
    if (!rec) {
      const first = await repo.careRecordByKey(tx, inst.org.id, key);
      if (!first) throw notFound('Care record');
      markUnchanged();
      return presentCareRecord(first);
    }
    await recordAudit(tx, {
      actor,
      action: 'institution.care.record',
      targetType: 'care_record',
      targetId: rec.id,
      regionCode: inst.org.regionCode,
      detail: { admissionId: b.admissionId, kind: b.kind, item: rec.item },
    });
    const family = await familyAccountIds(tx, row.a.elderId);
    await ctx.events.publish(tx, {
      type: 'institution.care-recorded',
      data: { id: rec.id, admissionId: b.admissionId, orgId: inst.org.id },
      audience: { orgIds: [inst.org.id], userIds: family },
    });
    return presentCareRecord(rec);
  });
}

export async function recordIncident(
  ctx: AppContext,
  actor: Actor,
  b: {
    admissionId: string;
    kind: string;
    severity: string;
    occurredAt: string;
    description: string;
    actionTaken?: string;
    familyTold: boolean;
  },
) {
  const { row, inst } = await residentFor(ctx, actor, b.admissionId);
  const at = new Date(b.occurredAt);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw validationError('body.occurredAt', 'cannot be in the future');
  return ctx.db.transaction(async (tx) => {
    const i = await repo.insertIncident(tx, {
      orgId: inst.org.id,
      admissionId: b.admissionId,
      kind: b.kind,
      severity: b.severity,
      occurredAt: at,
      description: b.description,
      actionTaken: b.actionTaken ?? null,
      familyTold: b.familyTold,
      reportedBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'institution.incident.create',
      targetType: 'institution_incident',
      targetId: i.id,
      regionCode: inst.org.regionCode,
      detail: { admissionId: b.admissionId, kind: b.kind, severity: b.severity },
    });
    return presentIncident({ i, elderName: row.elderName });
  });
}

function periodOf(from: string, to: string) {
  if (to < from) throw validationError('query.to', 'must not be before from');
  return { from: cstDayStart(from), to: new Date(cstDayStart(to).getTime() + 86_400_000) };
}

export async function listIncidents(ctx: AppContext, actor: Actor, orgId: string, q: { from: string; to: string }) {
  await institutionFor(ctx, actor, orgId);
  const rows = await repo.listIncidents(ctx.db, { orgId, ...periodOf(q.from, q.to) });
  return { items: rows.map(presentIncident), total: rows.length };
}

/** The incident report for the regulator (民政 安全事件报告) as .xlsx: one row per incident of the period. */
export async function incidentReportXlsx(ctx: AppContext, actor: Actor, orgId: string, q: { from: string; to: string }) {
  const inst = await institutionFor(ctx, actor, orgId);
  const rows = await repo.listIncidents(ctx.db, { orgId, ...periodOf(q.from, q.to) });
  const places = await repo.bedPlaces(ctx.db, { orgId });
  const admissions = new Map(
    await Promise.all(
      [...new Set(rows.map((r) => r.i.admissionId))].map(async (id) => [id, (await repo.findAdmission(ctx.db, id))?.a] as const),
    ),
  );
  const when = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  const buffer = await writeXlsx(
    '安全事件',
    ['机构', '发生时间', '老人', '床位', '事件类型', '严重程度', '经过', '处置措施', '已告知家属'],
    rows.map((r) => {
      const bedId = admissions.get(r.i.admissionId)?.bedId;
      const p = bedId ? places.get(bedId) : undefined;
      return [
        inst.org.name,
        when(r.i.occurredAt),
        r.elderName,
        p ? `${p.building} ${p.floor} ${p.room} ${p.label}床` : '',
        INCIDENT_KIND_LABELS_ZH[r.i.kind as keyof typeof INCIDENT_KIND_LABELS_ZH] ?? r.i.kind,
        INCIDENT_SEVERITY_LABELS_ZH[r.i.severity as keyof typeof INCIDENT_SEVERITY_LABELS_ZH] ?? r.i.severity,
        r.i.description,
        r.i.actionTaken ?? '',
        r.i.familyTold ? '是' : '否',
      ];
    }),
  );
  return { buffer, filename: `incidents-${q.from}-${q.to}.xlsx` };
}

/** The family page: the bound elder's stay (bed, nursing level, today's care, recent incidents), or null. */
export async function familyStay(ctx: AppContext, actor: Actor) {
  const elderId = isPersonAccount(actor) ? await boundElderId(ctx.db, actor) : null;
  if (!elderId) return { stay: null };
  const s = await repo.stayOfElder(ctx.db, elderId);
  if (!s) return { stay: null };
  const day = cstDate();
  const records = await repo.careRecordsOf(ctx.db, s.a.id, day);
  const place = s.a.bedId ? (await repo.bedPlaces(ctx.db, { bedIds: [s.a.bedId] })).get(s.a.bedId) : undefined;
  const incidents = await repo.listIncidents(ctx.db, { admissionId: s.a.id, limit: 10 });
  return {
    stay: {
      institution: s.institution,
      bed: place ? `${place.building} ${place.floor} ${place.room} ${place.label}床` : '',
      nursingLevel: s.a.nursingLevel,
      admittedOn: s.a.admittedOn,
      today: { admissionId: s.a.id, day, plan: dayPlan(s.a.carePlan, records), records: records.map(presentCareRecord) },
      incidents: incidents.map(presentIncident),
    },
  };
}
