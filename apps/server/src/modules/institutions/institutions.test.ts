import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { earlierTodayCst } from '../../testing/clock.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, type SafetyServer, startSafetyServer, waitFor } from '../../testing/safety.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { devices } from '../devices/devices.schema.ts';
import { elders } from '../elders/elders.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: SafetyServer;
let staff: Api;
let otherStaff: Api;
let operator: Api;
let assessor1: Api;
let assessor2: Api;
let orgId: string;
let bedIds: string[];

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  s = await startSafetyServer({ config: { alarmAckSeconds: 1, alarmContactsSeconds: 60 } });
  await seedTree(s.ctx);
  orgId = (await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院')).id;
  const other = await createOrg(s.ctx, 'institution', TREE.communityB1, '康乐养老院');
  staff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId })).api;
  otherStaff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: other.id })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  assessor1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  assessor2 = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  const b = await staff.post(`/api/v1/institutions/${orgId}/buildings`, {
    name: '1号楼',
    floors: [
      {
        level: 1,
        name: '一层',
        rooms: [
          {
            name: '101',
            beds: [
              { label: '1', nursing: true, priceFen: 200000 },
              { label: '2', nursing: true, priceFen: 200000 },
            ],
          },
          {
            name: '102',
            beds: [
              { label: '1', nursing: false, priceFen: 150000 },
              { label: '2', nursing: false, priceFen: 150000 },
            ],
          },
        ],
      },
    ],
  });
  expect(b.statusCode, b.body).toBe(201);
  const board = (await staff.get(`/api/v1/institutions/${orgId}/bed-board`)).json();
  bedIds = board.buildings[0].floors[0].rooms.flatMap((r: { beds: Array<{ id: string }> }) => r.beds.map((x) => x.id));
});
afterAll(() => s.close());

/** A signed GB/T 42195 ability assessment (two assessors) of the elder. */
async function signedAssessment(elderId: string) {
  const a = await assessor1.post('/api/v1/assessments', {
    elderId,
    reason: 'first',
    assessedOn: today,
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, Math.floor(i.max / 2)])),
  });
  expect(a.statusCode, a.body).toBe(201);
  expect((await assessor1.post(`/api/v1/assessments/${a.json().id}/sign`)).statusCode).toBe(200);
  expect((await assessor2.post(`/api/v1/assessments/${a.json().id}/sign`)).statusCode).toBe(200);
  return a.json().id as string;
}

/** An elder of the archive applied for and risk-assessed; returns the application and a signed assessment. */
async function applicant(name: string) {
  const e = await createElder(s.ctx, TREE.communityA1, { name, livingSituation: 'alone' });
  const app = await staff.post(`/api/v1/institutions/${orgId}/admissions`, { idNumber: e.idNumber, name });
  expect(app.statusCode, app.body).toBe(201);
  const risk = await staff.put(`/api/v1/admissions/${app.json().id}/risk-assessment`, {
    items: { fall: 'high', choking: 'low' },
    assessedOn: today,
  });
  expect(risk.statusCode, risk.body).toBe(200);
  return { elder: e, admissionId: app.json().id as string, assessmentId: await signedAssessment(e.id) };
}

const admitBody = (assessmentId: string, bedId: string) => ({
  abilityAssessmentId: assessmentId,
  nursingLevel: 'level1',
  bedId,
  contractNo: `HT-${Math.random().toString(36).slice(2, 8)}`,
  bedFeeFen: 200000,
  nursingFeeFen: 180000,
  mealFeeFen: 90000,
  depositFen: 500000,
  admittedOn: today,
});

describe('admission', () => {
  it('needs both assessments; admits into the bed with the care plan; the archive says 入住机构; audited', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { name: '王桂兰', livingSituation: 'alone' });
    // The name must match the ID number's elder: the institution cannot fish in the archive.
    const wrong = await staff.post(`/api/v1/institutions/${orgId}/admissions`, { idNumber: e.idNumber, name: '别人' });
    expect(wrong.statusCode).toBe(422);
    const app = await staff.post(`/api/v1/institutions/${orgId}/admissions`, { idNumber: e.idNumber, name: '王桂兰' });
    expect(app.statusCode, app.body).toBe(201);
    expect(app.json().idNumberMasked).toMatch(/\*/);
    const id = app.json().id;
    const dup = await staff.post(`/api/v1/institutions/${orgId}/admissions`, { idNumber: e.idNumber, name: '王桂兰' });
    expect(dup.statusCode).toBe(409);
    const assessmentId = await signedAssessment(e.id);

    const noRisk = await staff.post(`/api/v1/admissions/${id}/admit`, admitBody(assessmentId, bedIds[0]));
    expect(noRisk.statusCode).toBe(422);
    const risk = await staff.put(`/api/v1/admissions/${id}/risk-assessment`, {
      items: { fall: 'high', pressure_injury: 'medium', wandering: 'none' },
      assessedOn: today,
    });
    expect(risk.json()).toMatchObject({ riskLevel: 'high', riskItems: { fall: 'high', pressure_injury: 'medium' } });
    const badRisk = await staff.put(`/api/v1/admissions/${id}/risk-assessment`, { items: { flying: 'high' }, assessedOn: today });
    expect(badRisk.statusCode).toBe(400);

    const r = await staff.post(`/api/v1/admissions/${id}/admit`, admitBody(assessmentId, bedIds[0]));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'admitted',
      nursingLevel: 'level1',
      abilityAssessmentId: assessmentId,
      depositFen: 500000,
      bed: { building: '1号楼', floor: '一层', room: '101', label: '1' },
    });
    expect(r.json().latestAssessment?.id).toBe(assessmentId);
    expect(r.json().carePlan.find((i: { code: string }) => i.code === 'turning')).toMatchObject({ perDay: 6 });
    const [elder] = await s.ctx.db.select().from(elders).where(eq(elders.id, e.id));
    expect(elder.livingSituation).toBe('institution');
    const board = (await staff.get(`/api/v1/institutions/${orgId}/bed-board`)).json();
    expect(board.stats).toMatchObject({ beds: 4, occupied: 1, nursingBeds: 2, nursingRatio: 0.5, occupancy: 0.25 });
    expect(board.buildings[0].floors[0].rooms[0].beds[0]).toMatchObject({ residentName: '王桂兰', status: 'occupied' });
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id)));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['institution.admission.apply', 'institution.admission.risk', 'institution.admission.admit']),
    );
    // Another institution's staff and another region's staff do not see it.
    expect((await otherStaff.get(`/api/v1/admissions/${id}`)).statusCode).toBe(404);
    expect((await otherStaff.get(`/api/v1/institutions/${orgId}/bed-board`)).statusCode).toBe(404);
  });

  it('two admissions racing for one bed: exactly one wins, the other is a 409 bed-taken', async () => {
    const a = await applicant('李秀珍');
    const b = await applicant('赵玉梅');
    const [ra, rb] = await Promise.all([
      staff.post(`/api/v1/admissions/${a.admissionId}/admit`, admitBody(a.assessmentId, bedIds[1])),
      staff.post(`/api/v1/admissions/${b.admissionId}/admit`, admitBody(b.assessmentId, bedIds[1])),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    expect([ra, rb].find((r) => r.statusCode === 409)?.json().code).toBe('bed-taken');
    const [n] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM admissions WHERE bed_id = ${bedIds[1]} AND status = 'admitted'`,
    );
    expect(n.n).toBe(1);
    // The loser is still an application and can take another bed.
    const loser = ra.statusCode === 409 ? a : b;
    const again = await staff.post(`/api/v1/admissions/${loser.admissionId}/admit`, admitBody(loser.assessmentId, bedIds[2]));
    expect(again.statusCode, again.body).toBe(200);
  });
});

describe('care records', () => {
  it('a tap kept offline and replayed is recorded once; the day counts it against the plan', async () => {
    const list = (await staff.get(`/api/v1/institutions/${orgId}/admissions?status=admitted`)).json();
    const resident = list.items[0];
    const body = {
      admissionId: resident.id,
      kind: 'care',
      item: 'turning',
      doneAt: earlierTodayCst(3_600_000).toISOString(),
    };
    const key = { 'idempotency-key': `care-${resident.id.slice(0, 8)}-1` };
    const first = await staff.post('/api/v1/care-records', body, key);
    expect(first.statusCode, first.body).toBe(201);
    const replay = await staff.post('/api/v1/care-records', body, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect((await staff.post('/api/v1/care-records', body)).statusCode).toBe(400);
    const vitals = await staff.post(
      '/api/v1/care-records',
      {
        admissionId: resident.id,
        kind: 'vitals',
        item: 'vitals',
        doneAt: new Date().toISOString(),
        vitals: { systolic: 132, heartRate: 76 },
      },
      { 'idempotency-key': `care-${resident.id.slice(0, 8)}-2` },
    );
    expect(vitals.statusCode, vitals.body).toBe(201);
    const day = (await staff.get(`/api/v1/admissions/${resident.id}/care`)).json();
    expect(day.plan.find((p: { code: string }) => p.code === 'turning').done).toBe(1);
    expect(day.plan.find((p: { code: string }) => p.code === 'vitals').done).toBe(1);
    const [n] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM care_records WHERE admission_id = ${resident.id}`,
    );
    expect(n.n).toBe(2);
    // Another institution's nurse cannot write into this resident's record.
    const foreign = await otherStaff.post('/api/v1/care-records', body, { 'idempotency-key': 'foreign-key-1' });
    expect(foreign.statusCode).toBe(404);
  });

  it('an incident is in the regulator’s xlsx report', async () => {
    const list = (await staff.get(`/api/v1/institutions/${orgId}/admissions?status=admitted`)).json();
    const r = await staff.post('/api/v1/institution-incidents', {
      admissionId: list.items[0].id,
      kind: 'fall',
      severity: 'moderate',
      occurredAt: new Date().toISOString(),
      description: '夜间如厕时在卫生间跌倒，左膝擦伤',
      actionTaken: '消毒包扎，通知家属',
      familyTold: true,
    });
    expect(r.statusCode, r.body).toBe(201);
    const x = await staff.get(`/api/v1/institutions/${orgId}/incidents.xlsx?from=${today}&to=${today}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const listed = (await staff.get(`/api/v1/institutions/${orgId}/incidents?from=${today}&to=${today}`)).json();
    expect(listed.items[0]).toMatchObject({ kind: 'fall', elderName: list.items[0].elderName });
  });
});

describe('bed-bound alarms', () => {
  it('a fall on a bed goes to the institution first with its place, then to the district centre if not taken', async () => {
    const a = await applicant('孙淑珍');
    const admitted = await staff.post(`/api/v1/admissions/${a.admissionId}/admit`, admitBody(a.assessmentId, bedIds[3]));
    expect(admitted.statusCode, admitted.body).toBe(200);
    const radar = await createDevice(s.ctx, { type: 'fall_radar', regionCode: TREE.communityA1 });
    const bind = await staff.post(`/api/v1/beds/${bedIds[3]}/devices`, { deviceId: radar.id });
    expect(bind.statusCode, bind.body).toBe(200);
    // The device follows the bed's resident.
    const [dev] = await s.ctx.db.select().from(devices).where(eq(devices.id, radar.id));
    expect(dev.elderId).toBe(a.elder.id);

    const d = await s.intake.device(radar.id);
    if (!d) throw new Error('no device');
    await s.intake.submit(
      {
        deviceId: radar.id,
        msgId: 'fall-1',
        type: 'fall',
        data: {},
        deviceTs: new Date(),
        receivedAt: new Date(),
        transport: 'internal',
      },
      d,
    );
    const mine = await waitFor(async () => {
      const l = (await staff.get('/api/v1/alarms?status=open')).json();
      return l.items.find((x: { deviceId: string }) => x.deviceId === radar.id);
    });
    expect(mine.data.bed).toMatchObject({ building: '1号楼', floor: '一层', room: '102', label: '2' });
    // Not yet at the district centre.
    const centreNow = (await operator.get('/api/v1/alarms?status=open')).json();
    expect(centreNow.items.some((x: { id: string }) => x.id === mine.id)).toBe(false);
    // Nobody at the institution takes it: after 2 × ALARM_ACK_SECONDS (1 s here) the centre has it.
    const atCentre = await waitFor(async () => {
      const l = (await operator.get('/api/v1/alarms?status=open')).json();
      return l.items.find((x: { id: string }) => x.id === mine.id);
    }, 15_000);
    expect(atCentre.data.bed.room).toBe('102');
    const [act] = await queryRows<{ kind: string }>(
      s.ctx.db,
      sql`SELECT kind FROM alarm_actions WHERE alarm_id = ${mine.id} AND kind = 'escalated_centre'`,
    );
    expect(act?.kind).toBe('escalated_centre');
  });

  it('an alarm the duty staff take in time stays with the institution', async () => {
    const radar = await createDevice(s.ctx, { type: 'bed', regionCode: TREE.communityA1 });
    expect((await staff.post(`/api/v1/beds/${bedIds[0]}/devices`, { deviceId: radar.id })).statusCode).toBe(200);
    const d = await s.intake.device(radar.id);
    if (!d) throw new Error('no device');
    await s.intake.submit(
      {
        deviceId: radar.id,
        msgId: 'fall-2',
        type: 'fall',
        data: {},
        deviceTs: new Date(),
        receivedAt: new Date(),
        transport: 'internal',
      },
      d,
    );
    const mine = await waitFor(async () => {
      const l = (await staff.get('/api/v1/alarms?status=open')).json();
      return l.items.find((x: { deviceId: string }) => x.deviceId === radar.id);
    });
    const ack = await staff.post(`/api/v1/alarms/${mine.id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    // Its hand-over timer still fires; wait for its job to complete, then the centre still does not see it.
    await waitFor(async () => {
      const jobs = await s.boss.findJobs('alarm.to-centre', { data: { alarmId: mine.id } });
      return jobs.find((j) => j.state === 'completed');
    }, 15_000);
    const l = (await operator.get('/api/v1/alarms?status=open')).json();
    expect(l.items.some((x: { id: string }) => x.id === mine.id)).toBe(false);
  });
});

describe('end of stay', () => {
  it('discharge releases the bed, unbinds the devices from the elder and gives back the living situation', async () => {
    const list = (await staff.get(`/api/v1/institutions/${orgId}/admissions?status=admitted`)).json();
    const stay = list.items.find((x: { bed: { id: string } | null }) => x.bed?.id === bedIds[3]);
    const r = await staff.post(`/api/v1/admissions/${stay.id}/end`, { ending: 'discharged', endedOn: today, note: '回家居住' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('discharged');
    const board = (await staff.get(`/api/v1/institutions/${orgId}/bed-board`)).json();
    const bed = board.buildings[0].floors[0].rooms[1].beds[1];
    expect(bed).toMatchObject({ id: bedIds[3], status: 'free', residentName: null });
    const [elder] = await s.ctx.db.select().from(elders).where(eq(elders.id, stay.elderId));
    expect(elder.livingSituation).toBe('alone');
    const bound = await queryRows<{ elder_id: string | null }>(
      s.ctx.db,
      sql`SELECT d.elder_id FROM devices d JOIN bed_devices bd ON bd.device_id = d.id WHERE bd.bed_id = ${bedIds[3]}`,
    );
    expect(bound.every((b) => b.elder_id === null)).toBe(true);
    const twice = await staff.post(`/api/v1/admissions/${stay.id}/end`, { ending: 'discharged', endedOn: today });
    expect(twice.statusCode).toBe(409);
  });

  it('a death releases the bed and marks the elder deceased in the archive', async () => {
    const list = (await staff.get(`/api/v1/institutions/${orgId}/admissions?status=admitted`)).json();
    const stay = list.items[0];
    const r = await staff.post(`/api/v1/admissions/${stay.id}/end`, { ending: 'deceased', endedOn: today });
    expect(r.statusCode, r.body).toBe(200);
    const [elder] = await s.ctx.db.select().from(elders).where(eq(elders.id, stay.elderId));
    expect(elder.status).toBe('deceased');
    const board = (await staff.get(`/api/v1/institutions/${orgId}/bed-board`)).json();
    const beds = board.buildings[0].floors[0].rooms.flatMap((x: { beds: unknown[] }) => x.beds);
    expect(beds.find((b: { id: string }) => b.id === stay.bed.id).status).toBe('free');
  });
});
