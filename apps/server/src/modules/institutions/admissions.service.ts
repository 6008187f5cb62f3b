import { type NursingLevel, normaliseIdNumber, type RiskLevel } from '@zhiyang/shared';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { assessments } from '../assessments/assessments.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findElder, updateElder } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';
import { changeStatus } from '../elders/elders.service.ts';
import { presentAdmission } from './institutions.present.ts';
import * as repo from './institutions.repo.ts';
import { carePlanFor, overallRisk } from './institutions.rules.ts';
import { institutionFor, publishBoard } from './institutions.service.ts';

/** The admission if the actor may `action` its institution, else a 404. */
export async function admissionFor(ctx: AppContext, actor: Actor, id: string, action: 'institution:read' | 'institution:write') {
  const row = await repo.findAdmission(ctx.db, id);
  if (!row) throw notFound('Admission');
  const inst = await institutionFor(ctx, actor, row.a.orgId, action).catch(() => {
    throw notFound('Admission');
  });
  return { row, inst };
}

async function present(ctx: AppContext, db: AppContext['db'] | Parameters<typeof repo.findAdmission>[0], id: string) {
  const row = await repo.findAdmission(db, id);
  if (!row) throw notFound('Admission');
  const reserved = (await repo.reservationsOf(db, { admissionId: id })).get(id);
  const bedIds = [row.a.bedId, reserved?.bedId].filter((b): b is string => !!b);
  const places = await repo.bedPlaces(db, { bedIds });
  const latest = await repo.latestSignedAssessments(db, [row.a.elderId]);
  return presentAdmission(
    ctx.cipher,
    row,
    row.a.bedId ? places.get(row.a.bedId) : undefined,
    latest.get(row.a.elderId),
    reserved && { place: places.get(reserved.bedId), reservedUntil: reserved.reservedUntil },
  );
}

export async function listAdmissions(ctx: AppContext, actor: Actor, orgId: string, status?: string) {
  await institutionFor(ctx, actor, orgId);
  const rows = await repo.listAdmissions(ctx.db, orgId, status);
  const places = await repo.bedPlaces(ctx.db, { orgId });
  const live = rows.filter((r) => r.a.status === 'applied' || r.a.status === 'admitted').map((r) => r.a.elderId);
  const latest = await repo.latestSignedAssessments(ctx.db, live);
  const reserved = await repo.reservationsOf(ctx.db, { orgId });
  const items = rows.map((r) => {
    const res = reserved.get(r.a.id);
    return presentAdmission(
      ctx.cipher,
      r,
      r.a.bedId ? places.get(r.a.bedId) : undefined,
      latest.get(r.a.elderId),
      res && { place: places.get(res.bedId), reservedUntil: res.reservedUntil },
    );
  });
  return { items, total: items.length };
}

/** One application or stay; reading a resident's record is audited. */
export async function getAdmission(ctx: AppContext, actor: Actor, id: string) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:read');
  await recordAudit(ctx.db, {
    actor,
    action: 'institution.admission.read',
    targetType: 'admission',
    targetId: id,
    regionCode: inst.org.regionCode,
    detail: { elderId: row.a.elderId },
  });
  return present(ctx, ctx.db, id);
}

/**
 * An application: the elder is found in the archive by the full ID number, and the name must
 * match (the institution cannot browse the archive). One live application or stay per elder.
 */
export async function apply(ctx: AppContext, actor: Actor, orgId: string, b: { idNumber: string; name: string; note?: string }) {
  const inst = await institutionFor(ctx, actor, orgId, 'institution:write');
  const hash = ctx.cipher.blindIndex(normaliseIdNumber(b.idNumber), 'id_number');
  const [elder] = await ctx.db.select().from(elders).where(eq(elders.idNumberHash, hash)).limit(1);
  if (!elder || elder.name !== b.name.trim())
    throw unprocessable('No elder with this ID number and name in the archive.', [
      { path: 'body.idNumber', message: 'not in the archive: the community registers the elder first' },
    ]);
  if (elder.status !== 'active')
    throw unprocessable('The elder is not active in the archive.', [
      { path: 'body.idNumber', message: `elder is ${elder.status}` },
    ]);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAdmission(tx, {
      orgId,
      elderId: elder.id,
      appliedOn: cstDate(),
      note: b.note ?? null,
      createdBy: actor.id,
    });
    if (!row) throw conflict('The elder has an application or a stay under way already.', undefined, 'duplicate');
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.apply',
      targetType: 'admission',
      targetId: row.id,
      regionCode: inst.org.regionCode,
      detail: { elderId: elder.id },
    });
    return present(ctx, tx, row.id);
  });
}

/** The GB 38600 risk assessment: each risk's level (unnamed risks are none) and the overall level. */
export async function assessRisk(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { items: Partial<Record<string, RiskLevel>>; assessedOn: string },
) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  if (!['applied', 'admitted'].includes(row.a.status))
    throw conflict('The stay has ended; its assessments cannot change.', undefined, 'already-handled');
  const items = Object.fromEntries(Object.entries(b.items).filter(([, l]) => l !== undefined)) as Record<string, RiskLevel>;
  const level = overallRisk(items);
  return ctx.db.transaction(async (tx) => {
    await repo.updateAdmission(tx, id, {
      riskItems: items,
      riskLevel: level,
      riskAssessedOn: b.assessedOn,
      riskAssessedBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.risk',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: { level, items },
    });
    return present(ctx, tx, id);
  });
}

/**
 * Admit: needs the GB 38600 risk assessment and a signed GB/T 42195 ability assessment of this
 * elder; the nursing level gives the care plan; the bed is taken by a conditional update (of two
 * admissions racing for one bed exactly one wins, the other is a 409); the deposit is recorded;
 * the elder's living situation becomes 入住机构 (the previous one is kept to put back), and the
 * bed's devices follow the resident.
 */
export async function admit(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: {
    abilityAssessmentId: string;
    nursingLevel: NursingLevel;
    bedId: string;
    contractNo: string;
    bedFeeFen: number;
    nursingFeeFen: number;
    mealFeeFen: number;
    depositFen: number;
    admittedOn: string;
  },
) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  if (row.a.status !== 'applied') throw conflict('The application is not waiting for admission.', undefined, 'already-handled');
  if (!row.a.riskLevel)
    throw unprocessable('The GB 38600 risk assessment is missing.', [
      { path: 'riskAssessment', message: 'assess the risks first' },
    ]);
  const [ability] = await ctx.db
    .select()
    .from(assessments)
    .where(and(eq(assessments.id, b.abilityAssessmentId), eq(assessments.elderId, row.a.elderId)))
    .limit(1);
  if (!ability) throw validationError('body.abilityAssessmentId', 'no ability assessment of this elder with that id');
  if (ability.status !== 'signed')
    throw unprocessable('The ability assessment is not signed by two assessors.', [
      { path: 'body.abilityAssessmentId', message: 'not signed' },
    ]);
  const bed = await repo.findBed(ctx.db, b.bedId);
  if (!bed || bed.orgId !== row.a.orgId) throw validationError('body.bedId', 'no such bed in this institution');
  return ctx.db.transaction(async (tx) => {
    const taken = await repo.takeFreeBed(tx, b.bedId, row.a.orgId, id);
    if (!taken) throw conflict('The bed is not free (taken, reserved or out of service).', undefined, 'bed-taken');
    // Admission consumes the application's reservation; one on another bed is given back.
    await repo.releaseReservations(tx, id);
    const elder = await findElder(tx, row.a.elderId);
    const moved = await repo.updateAdmission(tx, id, {
      status: 'admitted',
      abilityAssessmentId: ability.id,
      abilityLevel: ability.level,
      nursingLevel: b.nursingLevel,
      carePlan: carePlanFor(b.nursingLevel),
      bedId: b.bedId,
      contractNo: b.contractNo,
      bedFeeFen: b.bedFeeFen,
      nursingFeeFen: b.nursingFeeFen,
      mealFeeFen: b.mealFeeFen,
      depositFen: b.depositFen,
      depositPaidAt: new Date(),
      admittedOn: b.admittedOn,
      previousLiving: elder?.livingSituation ?? null,
    });
    await updateElder(tx, row.a.elderId, { livingSituation: 'institution' });
    await repo.setBedDevicesElder(tx, b.bedId, row.a.elderId);
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.admit',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: {
        elderId: row.a.elderId,
        bedId: b.bedId,
        nursingLevel: b.nursingLevel,
        abilityLevel: ability.level,
        riskLevel: moved.riskLevel,
        depositFen: b.depositFen,
        livingFrom: elder?.livingSituation ?? null,
      },
    });
    await publishBoard(ctx, tx, row.a.orgId);
    return present(ctx, tx, id);
  });
}

/** A reservation may run at most this long. */
const MAX_RESERVATION_DAYS = 30;

/**
 * Reserve a free bed (预留) for an application until a time. Of two reservations racing for one
 * bed exactly one wins (a conditional update); the application's earlier reservation of another
 * bed is given back; reserving its own bed again moves the time.
 */
export async function reserveBed(ctx: AppContext, actor: Actor, id: string, b: { bedId: string; reservedUntil: string }) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  if (row.a.status !== 'applied')
    throw conflict('Only an application waiting for admission can reserve a bed.', undefined, 'already-handled');
  const until = new Date(b.reservedUntil);
  if (until.getTime() <= Date.now()) throw validationError('body.reservedUntil', 'must be in the future');
  if (until.getTime() > Date.now() + MAX_RESERVATION_DAYS * 86400_000)
    throw validationError('body.reservedUntil', `at most ${MAX_RESERVATION_DAYS} days ahead`);
  const bed = await repo.findBed(ctx.db, b.bedId);
  if (!bed || bed.orgId !== row.a.orgId) throw validationError('body.bedId', 'no such bed in this institution');
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.reserveBed(tx, b.bedId, row.a.orgId, id, until)))
      throw conflict('The bed is not free (taken, reserved or out of service).', undefined, 'bed-taken');
    await repo.releaseReservations(tx, id, b.bedId);
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.reserve',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: { bedId: b.bedId, reservedUntil: until.toISOString() },
    });
    await publishBoard(ctx, tx, row.a.orgId);
    return present(ctx, tx, id);
  });
}

/** Give the application's reserved bed back. */
export async function cancelReservation(ctx: AppContext, actor: Actor, id: string) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.releaseReservations(tx, id)))
      throw conflict('The application has no reserved bed.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.unreserve',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: {},
    });
    await publishBoard(ctx, tx, row.a.orgId);
    return present(ctx, tx, id);
  });
}

/** The sweep: reservations past their time go back to free, and the bed boards refresh. */
export async function expireReservations(ctx: AppContext) {
  return ctx.db.transaction(async (tx) => {
    const orgs = await repo.expireReservations(tx);
    for (const orgId of orgs) await publishBoard(ctx, tx, orgId);
    return orgs.length;
  });
}

/** Move a resident to another free bed of the institution; the devices follow. */
export async function moveBed(ctx: AppContext, actor: Actor, id: string, bedId: string) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  if (row.a.status !== 'admitted' || !row.a.bedId) throw conflict('The elder is not a resident.', undefined, 'already-handled');
  if (row.a.bedId === bedId) throw validationError('body.bedId', 'the resident is in this bed already');
  const bed = await repo.findBed(ctx.db, bedId);
  if (!bed || bed.orgId !== row.a.orgId) throw validationError('body.bedId', 'no such bed in this institution');
  const from = row.a.bedId;
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.takeFreeBed(tx, bedId, row.a.orgId, id)))
      throw conflict('The bed is not free (taken, reserved or out of service).', undefined, 'bed-taken');
    await repo.setBedDevicesElder(tx, from, null);
    await repo.releaseBed(tx, from, id);
    await repo.updateAdmission(tx, id, { bedId });
    await repo.setBedDevicesElder(tx, bedId, row.a.elderId);
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.move',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: { from, to: bedId },
    });
    await publishBoard(ctx, tx, row.a.orgId);
    return present(ctx, tx, id);
  });
}

/**
 * End a stay (退住, 转出, 离世) or withdraw an application: the bed is released and its devices
 * unbound from the elder; the archive gets the elder's living situation back, or on a death the
 * elder's status (which stops allowances and wallets through `elder.status-changed`).
 */
export async function endStay(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { ending: 'discharged' | 'transferred' | 'deceased'; endedOn: string; note?: string; transferDestination?: string },
) {
  const { row, inst } = await admissionFor(ctx, actor, id, 'institution:write');
  if (row.a.status === 'applied' && b.ending !== 'deceased') {
    // An application that never became a stay is withdrawn.
    return ctx.db.transaction(async (tx) => {
      await repo.updateAdmission(tx, id, { status: 'withdrawn', endedOn: b.endedOn, endNote: b.note ?? null });
      if (await repo.releaseReservations(tx, id)) await publishBoard(ctx, tx, row.a.orgId);
      await recordAudit(tx, {
        actor,
        action: 'institution.admission.end',
        targetType: 'admission',
        targetId: id,
        regionCode: inst.org.regionCode,
        detail: { ending: 'withdrawn' },
      });
      return present(ctx, tx, id);
    });
  }
  if (row.a.status !== 'admitted') throw conflict('The stay has ended already.', undefined, 'already-handled');
  if (b.ending === 'transferred' && !b.transferDestination)
    throw validationError('body.transferDestination', 'say where the resident is transferred to');
  if (row.a.admittedOn && b.endedOn < row.a.admittedOn)
    throw validationError('body.endedOn', `cannot be before the admission (${row.a.admittedOn})`);
  return ctx.db.transaction(async (tx) => {
    // The death first: the archive's rule (visible only while a resident) still finds the elder.
    if (b.ending === 'deceased')
      await changeStatus({ ...ctx, db: tx as unknown as Db }, actor, row.a.elderId, {
        status: 'deceased',
        date: b.endedOn,
        reason: `在${inst.org.name}离世`,
      });
    await repo.updateAdmission(tx, id, {
      status: b.ending,
      endedOn: b.endedOn,
      endNote: b.note ?? null,
      transferDestination: b.ending === 'transferred' ? (b.transferDestination ?? null) : null,
    });
    if (row.a.bedId) {
      await repo.setBedDevicesElder(tx, row.a.bedId, null);
      await repo.releaseBed(tx, row.a.bedId, id);
    }
    if (b.ending !== 'deceased') {
      const back = b.ending === 'transferred' ? 'institution' : (row.a.previousLiving ?? 'with_family');
      await updateElder(tx, row.a.elderId, { livingSituation: back as 'institution' });
    }
    await recordAudit(tx, {
      actor,
      action: 'institution.admission.end',
      targetType: 'admission',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: { ending: b.ending, elderId: row.a.elderId, bedId: row.a.bedId, endedOn: b.endedOn },
    });
    await publishBoard(ctx, tx, row.a.orgId);
    return present(ctx, tx, id);
  });
}
