import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { institutionJobs } from './institutions.jobs.ts';
import { beds } from './institutions.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let staff: Api;
let otherStaff: Api;
let assessor1: Api;
let assessor2: Api;
let orgId: string;
let bedIds: string[];

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString();

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  orgId = (await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院')).id;
  const other = await createOrg(s.ctx, 'institution', TREE.communityA1, '康乐养老院');
  staff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId })).api;
  otherStaff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: other.id })).api;
  assessor1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  assessor2 = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  const bed = (label: string) => ({ label, nursing: true, priceFen: 200000 });
  await staff.post(`/api/v1/institutions/${orgId}/buildings`, {
    name: '1号楼',
    floors: [{ level: 1, name: '一层', rooms: [{ name: '101', beds: [bed('1'), bed('2'), bed('3'), bed('4')] }] }],
  });
  const board = (await staff.get(`/api/v1/institutions/${orgId}/bed-board`)).json();
  bedIds = board.buildings[0].floors[0].rooms[0].beds.map((x: { id: string }) => x.id);
});
afterAll(() => s.close());

async function applicant(name: string) {
  const e = await createElder(s.ctx, TREE.communityA1, { name, livingSituation: 'alone' });
  const app = await staff.post(`/api/v1/institutions/${orgId}/admissions`, { idNumber: e.idNumber, name });
  expect(app.statusCode, app.body).toBe(201);
  return { elderId: e.id, id: app.json().id as string };
}

async function readyToAdmit(a: { elderId: string; id: string }) {
  await staff.put(`/api/v1/admissions/${a.id}/risk-assessment`, { items: { fall: 'low' }, assessedOn: today });
  const x = await assessor1.post('/api/v1/assessments', {
    elderId: a.elderId,
    reason: 'first',
    assessedOn: today,
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, Math.floor(i.max / 2)])),
  });
  await assessor1.post(`/api/v1/assessments/${x.json().id}/sign`);
  await assessor2.post(`/api/v1/assessments/${x.json().id}/sign`);
  return x.json().id as string;
}

const admitBody = (assessmentId: string, bedId: string) => ({
  abilityAssessmentId: assessmentId,
  nursingLevel: 'level2',
  bedId,
  contractNo: `HT-${Math.random().toString(36).slice(2, 8)}`,
  bedFeeFen: 200000,
  nursingFeeFen: 100000,
  mealFeeFen: 90000,
  depositFen: 300000,
  admittedOn: today,
});

const bedStatus = async (id: string) => (await s.ctx.db.select().from(beds).where(eq(beds.id, id)))[0];

describe('bed reservation 预留', () => {
  it('two applications reserving one bed at once: exactly one wins; the other is told bed-taken', async () => {
    const a = await applicant('李秀英');
    const b = await applicant('赵德明');
    const [ra, rb] = await Promise.all([
      staff.post(`/api/v1/admissions/${a.id}/reservation`, { bedId: bedIds[0], reservedUntil: inDays(3) }),
      staff.post(`/api/v1/admissions/${b.id}/reservation`, { bedId: bedIds[0], reservedUntil: inDays(3) }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    const loser = ra.statusCode === 409 ? ra : rb;
    expect(loser.json().code).toBe('bed-taken');
    const winner = ra.statusCode === 200 ? a : b;
    const bed = await bedStatus(bedIds[0]);
    expect(bed).toMatchObject({ status: 'reserved', admissionId: winner.id });
    const shown = (await staff.get(`/api/v1/admissions/${winner.id}`)).json();
    expect(shown.reservation).toMatchObject({ bedId: bedIds[0], room: '101', label: '1' });
    // Another institution cannot reserve for it; a bed of another institution is not offered.
    expect(
      (await otherStaff.post(`/api/v1/admissions/${winner.id}/reservation`, { bedId: bedIds[1], reservedUntil: inDays(3) }))
        .statusCode,
    ).toBe(404);
    // Nor can the reserved bed be taken by another admission.
    const loserApp = winner === a ? b : a;
    const assessment = await readyToAdmit(loserApp);
    const take = await staff.post(`/api/v1/admissions/${loserApp.id}/admit`, admitBody(assessment, bedIds[0]));
    expect(take.statusCode).toBe(409);
    // Admission of the winner consumes the reservation.
    const winnerAssessment = await readyToAdmit(winner);
    const admitted = await staff.post(`/api/v1/admissions/${winner.id}/admit`, admitBody(winnerAssessment, bedIds[0]));
    expect(admitted.statusCode, admitted.body).toBe(200);
    expect(admitted.json()).toMatchObject({ status: 'admitted', bed: { label: '1' }, reservation: null });
    expect(await bedStatus(bedIds[0])).toMatchObject({ status: 'occupied', admissionId: winner.id, reservedUntil: null });
    const audit = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'institution.admission.reserve'));
    expect(audit).toHaveLength(1);
  });

  it('reserving another bed gives the first back; cancelling frees it; a withdrawn application frees its bed', async () => {
    const c = await applicant('孙桂芝');
    await staff.post(`/api/v1/admissions/${c.id}/reservation`, { bedId: bedIds[1], reservedUntil: inDays(2) });
    const moved = await staff.post(`/api/v1/admissions/${c.id}/reservation`, { bedId: bedIds[2], reservedUntil: inDays(2) });
    expect(moved.json().reservation).toMatchObject({ bedId: bedIds[2] });
    expect((await bedStatus(bedIds[1])).status).toBe('free');
    expect((await staff.delete(`/api/v1/admissions/${c.id}/reservation`)).json().reservation).toBeNull();
    expect((await bedStatus(bedIds[2])).status).toBe('free');
    expect((await staff.delete(`/api/v1/admissions/${c.id}/reservation`)).statusCode).toBe(409);
    await staff.post(`/api/v1/admissions/${c.id}/reservation`, { bedId: bedIds[2], reservedUntil: inDays(2) });
    await staff.post(`/api/v1/admissions/${c.id}/end`, { ending: 'discharged', endedOn: today });
    expect((await bedStatus(bedIds[2])).status).toBe('free');
    // Too far ahead, or in the past: 400 / 422, never a 500.
    const d = await applicant('周玉兰');
    expect(
      (await staff.post(`/api/v1/admissions/${d.id}/reservation`, { bedId: bedIds[2], reservedUntil: inDays(40) })).statusCode,
    ).toBe(400);
    expect(
      (await staff.post(`/api/v1/admissions/${d.id}/reservation`, { bedId: bedIds[2], reservedUntil: inDays(-1) })).statusCode,
    ).toBe(400);
  });

  it('an expired reservation can be taken by another application and is swept back to free', async () => {
    const e = await applicant('吴建国');
    const f = await applicant('郑美华');
    await staff.post(`/api/v1/admissions/${e.id}/reservation`, { bedId: bedIds[3], reservedUntil: inDays(1) });
    expect(
      (await staff.post(`/api/v1/admissions/${f.id}/reservation`, { bedId: bedIds[3], reservedUntil: inDays(1) })).statusCode,
    ).toBe(409);
    await s.ctx.db.execute(sql`UPDATE beds SET reserved_until = now() - interval '1 minute' WHERE id = ${bedIds[3]}`);
    const job = institutionJobs.find((j) => j.name === 'institutions.expire-reservations');
    if (!job) throw new Error('no sweep job');
    await runJob(s.ctx, job, {});
    expect(await bedStatus(bedIds[3])).toMatchObject({ status: 'free', admissionId: null });
    expect((await staff.get(`/api/v1/admissions/${e.id}`)).json().reservation).toBeNull();
    const taken = await staff.post(`/api/v1/admissions/${f.id}/reservation`, { bedId: bedIds[3], reservedUntil: inDays(1) });
    expect(taken.statusCode, taken.body).toBe(200);
  });
});
