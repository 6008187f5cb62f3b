import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoss } from '../../jobs/boss.ts';
import { ensureQueues } from '../../jobs/queues.ts';
import { runJob } from '../../jobs/workers.ts';
import { isSealedFile } from '../../lib/crypto.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callRecordings, calls } from './calls.schema.ts';
import { recordingJobs } from './recordings.jobs.ts';
import { expireRecordings } from './recordings.retention.ts';
import { sealRecordings } from './recordings.seal.ts';
import { agentLeg, buildPcap, callerLeg, encode, type Leg, SAMPLES_PER_PACKET } from './recordings.testing.ts';
import { decodeAlaw, decodeUlaw } from './recordings.wav.ts';

// Call recordings (issue 15): the telephony's pcap played as a WAV to the call's agent and the
// region's supervisors only, every playback audited, no path outside RECORDINGS_DIR reachable,
// and files past retention deleted by a job that is safe to run twice.

let s: TestServer;
let dir: string;
let outside: string;
type Client = Awaited<ReturnType<typeof clientAs>>;
let sup: Client;
let agentA: Client & { extension: string };
let agentB: Client & { extension: string };
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;
const DAY = 86_400_000;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'zy-rec-'));
  outside = mkdtempSync(path.join(tmpdir(), 'zy-outside-'));
  writeFileSync(path.join(outside, 'secret.wav'), Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(64)]));
  s = await startTestServer({ config: { recordingsDir: dir, recordingRetentionDays: 180 } });
  await seedTree(s.ctx);
  sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const hotline = await sup.api.post('/api/v1/call-hotlines', { number: '968962', name: '热线', regionCode: TREE.streetA });
  expect(hotline.statusCode, hotline.body).toBe(201);
  agentA = await agent();
  agentB = await agent();
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function agent() {
  const u = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  const extension = uid('ext');
  expect((await sup.api.post('/api/v1/call-agents', { userId: u.account.id, extension })).statusCode).toBe(201);
  expect((await u.api.put('/api/v1/call-agents/me/state', { state: 'idle' })).statusCode).toBe(200);
  return { ...u, extension };
}

/** A telephony call answered by agentA, ended `ago` ms before now, with `recordingRef` reported. */
async function recordedCall(recordingRef: string | null, ago = 60_000) {
  const ext = uid('call');
  const at = (back: number) => new Date(Date.now() - ago - back).toISOString();
  const post = async (body: Record<string, unknown>) => {
    const r = await sup.api.post('/api/v1/cti/simulator/events', { eventId: uid('e'), callId: ext, ...body });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().callId as string;
  };
  const id = await post({ type: 'call.offered', occurredAt: at(30_000), hotline: '968962', caller: '13800138555' });
  await post({ type: 'call.ringing', occurredAt: at(28_000), extension: agentA.extension });
  await post({ type: 'call.answered', occurredAt: at(25_000), extension: agentA.extension });
  await post({ type: 'call.ended', occurredAt: at(0), outcome: 'answered' });
  if (recordingRef) await post({ type: 'call.recording_ready', occurredAt: at(-1000), recordingRef });
  // Back to idle for the next call (after-call work done).
  await agentA.api.patch(`/api/v1/calls/${id}`, { finishWrapUp: true });
  return id;
}

function writeRecording(ref: string, data: Buffer) {
  const file = path.join(dir, ref);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

const plays = async (id: string) =>
  s.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'call.recording.play'), eq(auditLog.targetId, id)));

/** The WAV's header fields and its samples per channel. */
function readWav(body: Buffer) {
  expect(body.toString('ascii', 0, 4)).toBe('RIFF');
  expect(body.readUInt32LE(4)).toBe(body.length - 8);
  expect(body.toString('ascii', 8, 16)).toBe('WAVEfmt ');
  const header = {
    format: body.readUInt16LE(20),
    channels: body.readUInt16LE(22),
    rate: body.readUInt32LE(24),
    byteRate: body.readUInt32LE(28),
    blockAlign: body.readUInt16LE(32),
    bits: body.readUInt16LE(34),
    data: body.toString('ascii', 36, 40),
    dataBytes: body.readUInt32LE(40),
  };
  const frames = (body.length - 44) / 4;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    left[f] = body.readInt16LE(44 + f * 4);
    right[f] = body.readInt16LE(46 + f * 4);
  }
  return { header, frames, left, right };
}

/** The leg's tone as the WAV must hold it: each sample G.711-encoded then decoded, at its place. */
function expectLeg(samples: Int16Array, leg: Leg) {
  const offset = leg.startMs * 8;
  const decode = leg.law === 'ulaw' ? decodeUlaw : decodeAlaw;
  for (let i = 0; i < leg.packets; i++) {
    for (let k = 0; k < SAMPLES_PER_PACKET; k++) {
      const n = i * SAMPLES_PER_PACKET + k;
      const want = leg.lose?.includes(i) ? 0 : decode(encode(leg, n));
      if (samples[offset + n] !== want) throw new Error(`sample ${offset + n}: ${samples[offset + n]} ≠ ${want}`);
    }
  }
}

/** Zero crossings per second of a stretch: 2 × the tone's frequency. */
function frequencyOf(samples: Int16Array, from: number, to: number) {
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  return (crossings * 8000) / (to - from) / 2;
}

describe('playing a call recording', () => {
  it('decodes the pcap into a stereo WAV: caller left, agent right, in place, gaps silent; audited per playback', async () => {
    const ref = `pcaps/${uid('rec')}.pcap`;
    const caller = callerLeg();
    const agentLegSpec = agentLeg();
    // Out of order on the wire, with RTCP beside the RTP: neither changes the audio.
    writeRecording(ref, buildPcap([caller, agentLegSpec], 'ethernet', { swap: 20, rtcp: true }));
    const id = await recordedCall(ref);

    const res = await agentA.api.get(`/api/v1/calls/${id}/recording`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['accept-ranges']).toBe('bytes');
    const body = res.rawPayload;
    expect(Number(res.headers['content-length'])).toBe(body.length);
    const wav = readWav(body);
    expect(wav.header).toEqual({
      format: 1,
      channels: 2,
      rate: 8000,
      byteRate: 32000,
      blockAlign: 4,
      bits: 16,
      data: 'data',
      dataBytes: body.length - 44,
    });
    // 2 seconds: the caller's 100 packets of 20 ms; the agent's leg starts at 0.5 s and ends with it.
    expect(wav.frames).toBe(16000);
    expectLeg(wav.left, caller);
    expectLeg(wav.right, agentLegSpec);
    expect([...wav.right.subarray(0, 4000)].every((v) => v === 0)).toBe(true);
    expect(frequencyOf(wav.left, 0, 16000)).toBeCloseTo(400, -1);
    expect(frequencyOf(wav.right, 6000, 16000)).toBeCloseTo(1000, -1);
    const peak = wav.left.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(7600);
    expect(peak).toBeLessThan(8400);

    expect((await agentA.api.get(`/api/v1/calls/${id}/recording`)).statusCode).toBe(200);
    const audited = await plays(id);
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ actorId: agentA.account.id, targetType: 'call', regionCode: TREE.streetA });
    expect(audited[0].detail).toEqual({ format: 'pcap', seconds: 2, range: null });
  });

  it('reads Ethernet, raw-IP and Linux-cooked captures alike, and A-law', async () => {
    const legs = [callerLeg(), agentLeg({ law: 'alaw' })];
    const bodies: Buffer[] = [];
    for (const link of ['ethernet', 'raw', 'sll'] as const) {
      const ref = `${link}/${uid('rec')}.pcap`;
      writeRecording(ref, buildPcap(legs, link));
      const res = await sup.api.get(`/api/v1/calls/${await recordedCall(ref)}/recording`);
      expect(res.statusCode, `${link}: ${res.body}`).toBe(200);
      bodies.push(res.rawPayload);
    }
    expect(bodies[1].equals(bodies[0])).toBe(true);
    expect(bodies[2].equals(bodies[0])).toBe(true);
    expectLeg(readWav(bodies[0]).right, legs[1]);
  });

  it('answers byte ranges (206) from the same WAV, each audited, and 416 past the end', async () => {
    const ref = `${uid('rec')}.pcap`;
    writeRecording(ref, buildPcap([callerLeg(), agentLeg()]));
    const id = await recordedCall(ref);
    const full = (await agentA.api.get(`/api/v1/calls/${id}/recording`)).rawPayload;
    const part = await agentA.api.get(`/api/v1/calls/${id}/recording`, { range: 'bytes=1000-262999' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-${Math.min(262999, full.length - 1)}/${full.length}`);
    expect(part.rawPayload.equals(full.subarray(1000, 263000))).toBe(true);
    const tail = await agentA.api.get(`/api/v1/calls/${id}/recording`, { range: 'bytes=-10' });
    expect(tail.rawPayload.equals(full.subarray(full.length - 10))).toBe(true);
    const head = await agentA.api.get(`/api/v1/calls/${id}/recording`, { range: 'bytes=0-43' });
    expect(head.rawPayload.equals(full.subarray(0, 44))).toBe(true);
    const past = await agentA.api.get(`/api/v1/calls/${id}/recording`, { range: `bytes=${full.length}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${full.length}`);
    expect(past.headers['content-type']).toContain('application/problem+json');
    expect((await plays(id)).map((r) => (r.detail as { range: string | null }).range)).toEqual([
      null,
      `1000-${Math.min(262999, full.length - 1)}`,
      `${full.length - 10}-${full.length - 1}`,
      '0-43',
    ]);
  });

  it('only the agent who took the call and the region’s supervisors may play it', async () => {
    const ref = `${uid('rec')}.pcap`;
    writeRecording(ref, buildPcap([callerLeg(), agentLeg()]));
    const id = await recordedCall(ref);
    const url = `/api/v1/calls/${id}/recording`;
    expect((await agentA.api.get(url)).statusCode).toBe(200);
    expect((await sup.api.get(url)).statusCode).toBe(200);
    const streetSup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA });
    expect((await streetSup.api.get(url)).statusCode).toBe(200);

    const other = await agentB.api.get(url);
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect((await street.api.get(url)).statusCode).toBe(403);
    const worker = await clientAs(s.app, s.ctx, 'service_worker');
    expect([403, 404]).toContain((await worker.api.get(url)).statusCode);
    const elsewhere = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetB });
    const notHere = await elsewhere.api.get(url);
    expect(notHere.statusCode).toBe(404);
    expect(notHere.json().code).toBe('not-found');
    const agentElsewhere = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB });
    expect((await agentElsewhere.api.get(url)).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url })).statusCode).toBe(401);

    // Only the two permitted playbacks and the street supervisor's are in the audit log.
    expect((await plays(id)).map((r) => r.actorId).sort()).toEqual(
      [agentA.account.id, sup.account.id, streetSup.account.id].sort(),
    );
    expect((await agentA.api.get('/api/v1/calls/not-a-uuid/recording')).statusCode).toBe(400);
  });

  it('a missing file, no recording, a URL and a broken file each answer a clear problem, never audio', async () => {
    const gone = await agentA.api.get(`/api/v1/calls/${await recordedCall(`${uid('never-written')}.pcap`)}/recording`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('recording-missing');
    const none = await agentA.api.get(`/api/v1/calls/${await recordedCall(null)}/recording`);
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('recording-missing');
    const url = await agentA.api.get(`/api/v1/calls/${await recordedCall('https://recorder.example/r/1.wav')}/recording`);
    expect(url.statusCode).toBe(409);
    expect(url.json().code).toBe('recording-elsewhere');
    const junk = `${uid('junk')}.pcap`;
    writeRecording(junk, Buffer.from('not a capture at all, just text'));
    const broken = await agentA.api.get(`/api/v1/calls/${await recordedCall(junk)}/recording`);
    expect(broken.statusCode).toBe(422);
    expect(broken.json().code).toBe('recording-unreadable');
  });

  it('a recordingRef can never reach outside RECORDINGS_DIR', async () => {
    symlinkSync(path.join(outside, 'secret.wav'), path.join(dir, 'link-out.wav'));
    symlinkSync(outside, path.join(dir, 'dir-out'));
    const rel = path.relative(dir, path.join(outside, 'secret.wav'));
    const attempts = [
      rel,
      `../${path.basename(outside)}/secret.wav`,
      path.join(outside, 'secret.wav'),
      'pcaps/../../etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      '..\\..\\etc\\passwd',
      'link-out.wav',
      'dir-out/secret.wav',
      './secret.wav',
      'a//b.pcap',
      'file:///etc/passwd',
    ];
    for (const ref of attempts) {
      const id = await recordedCall(ref);
      const res = await sup.api.get(`/api/v1/calls/${id}/recording`);
      expect(res.statusCode, ref).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, ref).toBeLessThan(500);
      expect(res.headers['content-type'], ref).toContain('application/problem+json');
      expect(await plays(id), ref).toHaveLength(0);
    }
  });
});

describe('recordings sealed at rest', () => {
  const partOf = async (id: string) => (await s.ctx.db.select().from(callRecordings).where(eq(callRecordings.callId, id)))[0];

  it('a finished recording is replaced by its sealed form: nothing of it in clear on disk, played exactly as before', async () => {
    const ref = `pcaps/${uid('rec')}.pcap`;
    const plain = buildPcap([callerLeg(), agentLeg()]);
    const file = writeRecording(ref, plain);
    const id = await recordedCall(ref);
    const before = (await agentA.api.get(`/api/v1/calls/${id}/recording`)).rawPayload;
    const part = await partOf(id);
    expect(part.sealedAt).toBeNull();

    expect(await sealRecordings(s.ctx, { partId: part.id })).toEqual({ sealed: 1, already: 0, skipped: 0 });
    const onDisk = readFileSync(file);
    expect(isSealedFile(onDisk)).toBe(true);
    // Neither the capture's header nor any packet's audio is left readable.
    expect(onDisk.includes(plain.subarray(0, 24))).toBe(false);
    expect(onDisk.includes(plain.subarray(plain.length - 160))).toBe(false);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.sealing'))).toEqual([]);
    expect((await partOf(id)).sealedAt).toBeInstanceOf(Date);

    const after = await agentA.api.get(`/api/v1/calls/${id}/recording`);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.rawPayload.equals(before)).toBe(true);
    const range = await agentA.api.get(`/api/v1/calls/${id}/recording`, { range: 'bytes=100-199' });
    expect(range.rawPayload.equals(before.subarray(100, 200))).toBe(true);
    expect((await plays(id)).map((r) => (r.detail as { format: string }).format)).toEqual(['pcap', 'pcap', 'pcap']);

    // Again: nothing to do. A seal whose stamp was lost (the process died after the rename) is only stamped.
    expect(await sealRecordings(s.ctx, { partId: part.id })).toEqual({ sealed: 0, already: 0, skipped: 0 });
    await s.ctx.db.update(callRecordings).set({ sealedAt: null }).where(eq(callRecordings.id, part.id));
    expect(await sealRecordings(s.ctx, { partId: part.id })).toEqual({ sealed: 0, already: 1, skipped: 0 });
    expect(readFileSync(file).equals(onDisk)).toBe(true);
  });

  it('the telephony’s recording_ready sends the job that seals the file, through the job system', async () => {
    const boss = await startBoss(s.database, { supervise: true, schedule: false });
    s.ctx.boss = boss;
    try {
      await ensureQueues(boss);
      const job = recordingJobs.find((j) => j.name === 'calls.recording-seal') as (typeof recordingJobs)[number];
      await boss.work(job.name, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const j of jobs) await runJob(s.ctx, job, j.data);
      });
      const ref = `pcaps/${uid('rec')}.pcap`;
      const file = writeRecording(ref, buildPcap([callerLeg({ packets: 10 })]));
      const id = await recordedCall(ref);
      await expect.poll(async () => (await partOf(id)).sealedAt, { timeout: 15_000 }).toBeInstanceOf(Date);
      expect(isSealedFile(readFileSync(file))).toBe(true);
      expect((await agentA.api.get(`/api/v1/calls/${id}/recording`)).statusCode).toBe(200);
    } finally {
      s.ctx.boss = null;
      await boss.stop({ graceful: false, timeout: 2000 });
    }
  });

  it('a sealed file changed on disk, or copied over another call’s recording, is refused with 422, never played', async () => {
    const [refA, refB] = [`pcaps/${uid('rec')}.pcap`, `pcaps/${uid('rec')}.pcap`];
    const fileA = writeRecording(refA, buildPcap([callerLeg(), agentLeg()]));
    const fileB = writeRecording(refB, buildPcap([callerLeg({ hz: 600 }), agentLeg()]));
    const [a, b] = [await recordedCall(refA), await recordedCall(refB)];
    for (const id of [a, b]) await sealRecordings(s.ctx, { partId: (await partOf(id)).id });

    copyFileSync(fileA, fileB);
    const moved = await sup.api.get(`/api/v1/calls/${b}/recording`);
    expect(moved.statusCode).toBe(422);
    expect(moved.json().code).toBe('recording-unreadable');
    expect((await sup.api.get(`/api/v1/calls/${a}/recording`)).statusCode).toBe(200);

    const bytes = readFileSync(fileA);
    bytes[bytes.length - 200] ^= 0x40;
    writeFileSync(fileA, bytes);
    const changed = await sup.api.get(`/api/v1/calls/${a}/recording`);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe('recording-unreadable');
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(await plays(b)).toHaveLength(0);
  });

  it('the scheduled sweep seals every recording left, waits for a file not written yet, leaves retention’s to it, and never touches a reference outside RECORDINGS_DIR', async () => {
    const late = `pcaps/${uid('late')}.pcap`;
    const lateCall = await recordedCall(late);
    const early = `pcaps/${uid('rec')}.pcap`;
    const earlyFile = writeRecording(early, buildPcap([callerLeg({ packets: 10 })]));
    const earlyCall = await recordedCall(early);
    const urlCall = await recordedCall('https://recorder.example/r/2.wav');
    const outsideCall = await recordedCall(path.relative(dir, path.join(outside, 'secret.wav')));
    // A day from its retention's end: the retention job's to delete, not to be sealed (and put back).
    const dueRef = `pcaps/${uid('due')}.pcap`;
    const dueFile = writeRecording(dueRef, buildPcap([callerLeg({ packets: 10 })]));
    const dueCall = await recordedCall(dueRef, 179.5 * DAY);
    const secretBefore = readFileSync(path.join(outside, 'secret.wav'));

    const job = recordingJobs.find((j) => j.name === 'calls.recording-seal-sweep');
    await runJob(s.ctx, job as (typeof recordingJobs)[number], {});
    expect(isSealedFile(readFileSync(earlyFile))).toBe(true);
    expect((await partOf(earlyCall)).sealedAt).toBeInstanceOf(Date);
    expect((await partOf(lateCall)).sealedAt).toBeNull();
    expect((await partOf(urlCall)).sealedAt).toBeNull();
    expect((await partOf(outsideCall)).sealedAt).toBeNull();
    expect(readFileSync(path.join(outside, 'secret.wav')).equals(secretBefore)).toBe(true);
    expect((await partOf(dueCall)).sealedAt).toBeNull();
    expect(isSealedFile(readFileSync(dueFile))).toBe(false);

    // The file arrives later: the next run seals it, and it plays.
    const lateFile = writeRecording(late, buildPcap([callerLeg({ packets: 10 })]));
    await runJob(s.ctx, job as (typeof recordingJobs)[number], {});
    expect(isSealedFile(readFileSync(lateFile))).toBe(true);
    expect((await agentA.api.get(`/api/v1/calls/${lateCall}/recording`)).statusCode).toBe(200);
    // The telephony's job: a payload that is not a part id is refused before anything runs.
    const sent = recordingJobs.find((j) => j.name === 'calls.recording-seal') as (typeof recordingJobs)[number];
    await expect(runJob(s.ctx, sent, { partId: 'x' })).rejects.toThrow();
    await expect(runJob(s.ctx, sent, {})).rejects.toThrow();
  });
});

describe('recording retention', () => {
  it('deletes files past RECORDING_RETENTION_DAYS, clears their calls, audits; recent ones stay; a second run does nothing', async () => {
    const pcap = buildPcap([callerLeg({ packets: 5 })]);
    const oldRef = `old/${uid('rec')}.pcap`;
    const oldFile = writeRecording(oldRef, pcap);
    const oldCall = await recordedCall(oldRef, 181 * DAY);
    const goneCall = await recordedCall(`old/${uid('already-gone')}.pcap`, 200 * DAY);
    const urlCall = await recordedCall('https://recorder.example/r/old.wav', 200 * DAY);
    const newRef = `new/${uid('rec')}.pcap`;
    const newFile = writeRecording(newRef, pcap);
    const newCall = await recordedCall(newRef, 179 * DAY);
    // Files no call named: an old one (its last write 181 days ago) and a recent one.
    const orphanOld = writeRecording(`orphans/${uid('o')}.pcap`, pcap);
    const longAgo = new Date(Date.now() - 181 * DAY);
    utimesSync(orphanOld, longAgo, longAgo);
    const orphanNew = writeRecording(`orphans/${uid('o')}.pcap`, pcap);
    const notRecording = writeRecording(`orphans/${uid('notes')}.txt`, Buffer.from('x'));
    utimesSync(notRecording, longAgo, longAgo);

    const first = await expireRecordings(s.ctx);
    expect(first.calls).toBeGreaterThanOrEqual(2);
    expect(first.orphans).toBeGreaterThanOrEqual(1);
    expect(existsSync(oldFile)).toBe(false);
    expect(existsSync(orphanOld)).toBe(false);
    expect(existsSync(newFile)).toBe(true);
    expect(existsSync(orphanNew)).toBe(true);
    expect(existsSync(notRecording)).toBe(true);
    const refOf = async (id: string) => (await s.ctx.db.select().from(calls).where(eq(calls.id, id)))[0].recordingRef;
    expect(await refOf(oldCall)).toBeNull();
    expect(await refOf(goneCall)).toBeNull();
    expect(await refOf(urlCall)).toBe('https://recorder.example/r/old.wav');
    expect(await refOf(newCall)).toBe(newRef);
    const deletions = async (id: string) =>
      s.ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'call.recording.delete'), eq(auditLog.targetId, id)));
    expect((await deletions(oldCall))[0].detail).toEqual({ reason: 'retention', retentionDays: 180, file: 'deleted' });
    expect((await deletions(goneCall))[0].detail).toMatchObject({ file: 'already-gone' });
    expect(await deletions(newCall)).toHaveLength(0);

    const gone = await agentA.api.get(`/api/v1/calls/${oldCall}/recording`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('recording-missing');
    expect((await agentA.api.get(`/api/v1/calls/${newCall}/recording`)).statusCode).toBe(200);

    // A late event of the call does not bring the deleted recording back from the event log.
    const [{ externalId }] = await s.ctx.db.select().from(calls).where(eq(calls.id, oldCall));
    const late = await sup.api.post('/api/v1/cti/simulator/events', {
      type: 'call.ended',
      eventId: uid('late'),
      callId: externalId,
      occurredAt: new Date(Date.now() - 181 * DAY + 5000).toISOString(),
      outcome: 'answered',
    });
    expect(late.statusCode, late.body).toBe(200);
    expect(await refOf(oldCall)).toBeNull();

    // Twice is safe: nothing left to delete, nothing audited again.
    expect(await expireRecordings(s.ctx)).toEqual({ calls: 0, orphans: 0 });
    expect(await deletions(oldCall)).toHaveLength(1);
    expect(existsSync(newFile)).toBe(true);
  });

  it('is a scheduled job of its own queue', () => {
    expect(recordingJobs.map((j) => [j.name, j.cron])).toEqual([
      ['calls.recording-retention', '30 3 * * *'],
      ['calls.recording-seal', undefined],
      ['calls.recording-seal-sweep', '*/10 * * * *'],
    ]);
  });
});
