import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callRecordings } from './calls.schema.ts';
import { expireRecordings } from './recordings.retention.ts';

// A call keeps every recording (docs/recordings.md): after 转接 the second agent's leg is a file
// of its own, reported by a second call.recording_ready. Both are parts of the call, ordered by
// when they started, each with its agent; a resend adds nothing; each part is played to the
// permitted only and audited; the retention job deletes every part of an expired call.

let s: TestServer;
let dir: string;
type Client = Awaited<ReturnType<typeof clientAs>>;
let sup: Client;
let agentA: Client & { extension: string };
let agentB: Client & { extension: string };
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;
const DAY = 86_400_000;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'zy-rec-parts-'));
  s = await startTestServer({ config: { recordingsDir: dir, recordingRetentionDays: 180 } });
  await seedTree(s.ctx);
  sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const hotline = await sup.api.post('/api/v1/call-hotlines', { number: '968963', name: '热线', regionCode: TREE.streetA });
  expect(hotline.statusCode, hotline.body).toBe(201);
  agentA = await agent();
  agentB = await agent();
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function agent() {
  const u = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  const extension = uid('ext');
  expect((await sup.api.post('/api/v1/call-agents', { userId: u.account.id, extension })).statusCode).toBe(201);
  expect((await u.api.put('/api/v1/call-agents/me/state', { state: 'idle' })).statusCode).toBe(200);
  return { ...u, extension };
}

/** A WAV file (played as it is) of `seconds` of silence at 8 kHz 16-bit mono. */
function wav(seconds: number) {
  const data = 8000 * 2 * seconds;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

function writeRecording(ref: string, seconds: number) {
  const file = path.join(dir, ref);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, wav(seconds));
  return file;
}

describe('a transferred call keeps both agents’ recordings', () => {
  const ext = uid('call');
  const ref1 = `pcaps/${uid('leg1')}.wav`;
  const ref2 = `pcaps/${uid('leg2')}.wav`;
  const ago = 200 * DAY; // past retention, for the last test
  const base = Math.floor((Date.now() - ago) / 1000) * 1000;
  const at = (sec: number) => new Date(base + sec * 1000).toISOString();
  let id: string;
  const post = async (body: Record<string, unknown>) => sup.api.post('/api/v1/cti/simulator/events', { callId: ext, ...body });
  const ok = async (body: Record<string, unknown>) => {
    const r = await post({ eventId: uid('e'), ...body });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { status: string; callId: string };
  };
  const part2 = () => ({
    eventId: `${ext}-rec-2`,
    type: 'call.recording_ready',
    occurredAt: at(61),
    recordingRef: ref2,
    extension: agentB.extension,
    startedAt: at(31),
    seconds: 29,
  });

  beforeAll(async () => {
    writeRecording(ref1, 2);
    writeRecording(ref2, 3);
    id = (await ok({ type: 'call.offered', occurredAt: at(0), hotline: '968963', caller: '13800138556' })).callId;
    await ok({ type: 'call.ringing', occurredAt: at(2), extension: agentA.extension });
    await ok({ type: 'call.answered', occurredAt: at(5), extension: agentA.extension });
    await ok({ type: 'call.transferred', occurredAt: at(30), toExtension: agentB.extension });
    await ok({ type: 'call.answered', occurredAt: at(31), extension: agentB.extension });
    await ok({ type: 'call.ended', occurredAt: at(60), outcome: 'answered' });
  });

  it('two recording-ready events are two parts in the order they started, each with its agent; a resend adds none', async () => {
    // The second leg's recording is reported first (its file finished later but the watcher saw it first).
    expect((await post(part2())).json().status).toBe('applied');
    await ok({
      type: 'call.recording_ready',
      occurredAt: at(62),
      recordingRef: ref1,
      extension: agentA.extension,
      startedAt: at(5),
      seconds: 25,
    });
    // The same event again, and the same file under another event id: still two parts.
    const again = await post(part2());
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().status).toBe('duplicate');
    await ok({ ...part2(), eventId: uid('e') });

    const call = (await sup.api.get(`/api/v1/calls/${id}`)).json();
    expect(call.recordingRef).toBe(ref1);
    expect(call.agentUserId).toBe(agentB.account.id);
    expect(
      call.recordings.map((p: Record<string, unknown>) => [p.part, p.recordingRef, p.agentUserId, p.startedAt, p.seconds]),
    ).toEqual([
      [1, ref1, agentA.account.id, at(5), 25],
      [2, ref2, agentB.account.id, at(31), 29],
    ]);
    expect(call.recordings[0].agentName).toBeTruthy();
    const rows = await s.ctx.db.select().from(callRecordings).where(eq(callRecordings.callId, id));
    expect(rows).toHaveLength(2);
  });

  it('an unknown extension on a recording is refused and adds nothing', async () => {
    const r = await post({
      eventId: uid('e'),
      type: 'call.recording_ready',
      occurredAt: at(63),
      recordingRef: 'pcaps/x.wav',
      extension: 'nobody-here',
    });
    expect(r.statusCode).toBe(422);
    expect((await s.ctx.db.select().from(callRecordings).where(eq(callRecordings.callId, id))).length).toBe(2);
  });

  it('each part plays to a supervisor and is audited with its part; the old route plays the first', async () => {
    const one = await sup.api.get(`/api/v1/calls/${id}/recordings/1`);
    expect(one.statusCode).toBe(200);
    expect(one.rawPayload.length).toBe(44 + 2 * 16000);
    const two = await sup.api.get(`/api/v1/calls/${id}/recordings/2`);
    expect(two.statusCode).toBe(200);
    expect(two.rawPayload.length).toBe(44 + 3 * 16000);
    expect(two.headers['content-disposition']).toContain(`call-${id}-2.wav`);
    const first = await sup.api.get(`/api/v1/calls/${id}/recording`);
    expect(first.rawPayload.length).toBe(44 + 2 * 16000);
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.recording.play'), eq(auditLog.targetId, id)));
    // The part route names the part; the original route's entry is as it was (its one recording).
    expect(audits.map((a) => (a.detail as { part?: number }).part ?? 'first').sort()).toEqual([1, 2, 'first']);
    expect((await sup.api.get(`/api/v1/calls/${id}/recordings/3`)).json().code).toBe('recording-missing');
    expect((await sup.api.get(`/api/v1/calls/${id}/recordings/0`)).statusCode).toBe(400);
  });

  it('each agent hears their own part (the last agent the call), a worker nothing', async () => {
    expect((await agentB.api.get(`/api/v1/calls/${id}/recordings/2`)).statusCode).toBe(200);
    expect((await agentB.api.get(`/api/v1/calls/${id}/recordings/1`)).statusCode).toBe(200);
    expect((await agentA.api.get(`/api/v1/calls/${id}/recordings/1`)).statusCode).toBe(200);
    expect((await agentA.api.get(`/api/v1/calls/${id}/recordings/2`)).statusCode).toBe(403);
    const worker = await clientAs(s.app, s.ctx, 'service_worker');
    const before = await s.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    for (const p of [1, 2])
      expect([403, 404]).toContain((await worker.api.get(`/api/v1/calls/${id}/recordings/${p}`)).statusCode);
    const other = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
    expect((await other.api.get(`/api/v1/calls/${id}/recordings/2`)).statusCode).toBe(403);
    const after = await s.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(after.length).toBe(before.length);
  });

  it('retention deletes every part of the expired call, once', async () => {
    const r = await expireRecordings(s.ctx);
    expect(r.calls).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(dir, ref1))).toBe(false);
    expect(existsSync(path.join(dir, ref2))).toBe(false);
    const call = (await sup.api.get(`/api/v1/calls/${id}`)).json();
    expect(call.recordingRef).toBeNull();
    expect(call.recordings).toEqual([]);
    const deletes = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.recording.delete'), eq(auditLog.targetId, id)));
    expect(deletes).toHaveLength(2);
    expect((await expireRecordings(s.ctx)).calls).toBe(0);
    // A later event of the call does not bring a deleted part back.
    await ok({ type: 'call.ended', occurredAt: at(60), outcome: 'answered' });
    expect((await sup.api.get(`/api/v1/calls/${id}`)).json().recordings).toEqual([]);
  });
});
