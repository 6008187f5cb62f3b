// Remote survival verification (issue 17): the server time of one attempt — POST
// /api/v1/allowance-survival-challenges/{id}/answer with the frames of a sample face doing the two
// asked actions (faces.liveness-samples.ts: 10 frames of ~390 × 390 JPEG), through the face worker
// (decode, detection, mesh with the iris refinement, descriptor, per frame), the 1:1 scores, the
// judge, and the transaction that stores the attempt and records the verification.
//  Reference, in the same run: the bare 1:1 verification POST /api/v1/faces/verify of one photo.
// The machine is shared with other work: figures are this run's, not a quiet machine's.
// Usage: npx tsx bench/survival.ts      Env: BENCH_ATTEMPTS (8), BENCH_VERIFIES (16)
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { cstDate } from '../apps/server/src/lib/dates.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import type { RgbImage } from '../apps/server/src/modules/faces/faces.image.ts';
import { actionSequence, type LivenessAction } from '../apps/server/src/modules/faces/faces.liveness-samples.ts';
import { faceCrop, sampleFaces, toJpeg, variants } from '../apps/server/src/modules/faces/faces.samples.ts';
import { closeFacePool } from '../apps/server/src/modules/faces/faces.tasks.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { clientAs, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { percentile, writeResult } from './lib.ts';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 8);
const VERIFIES = Number(process.env.BENCH_VERIFIES ?? 16);
const b64 = (img: RgbImage) => toJpeg(img).toString('base64');
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    min: Math.round(s[0]),
    p50: Math.round(percentile(s, 50)),
    p95: Math.round(percentile(s, 95)),
    max: Math.round(s.at(-1) ?? 0),
  };
};

async function main() {
  const loadBefore = os.loadavg().map((x) => Math.round(x * 10) / 10);
  const s = await startTestServer({ config: { logLevel: 'warn' } });
  const ctx = s.ctx;
  await seedTree(ctx);
  const { faces } = await sampleFaces();
  const face = faces.find((f) => f.id === 'sample5#3');
  if (!face) throw new Error('sample5#3 missing');
  const community = (await clientAs(s.app, ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  const year = Number(cstDate().slice(0, 4));
  const elder = await createElder(ctx, TREE.communityA1, { name: '压测老人', birthDate: `${year - 86}-01-15` });
  // The allowance straight in the table: the bench measures the verification, not the approval chain.
  await ctx.db.execute(sql`INSERT INTO allowance_applications (elder_id, region_code, source, status, paid_from)
    VALUES (${elder.id}, ${TREE.communityA1}, 'staff', 'active', ${cstDate().slice(0, 7)})`);
  const enrol = await community.put(`/api/v1/elders/${elder.id}/face`, {
    consent: { signedBy: '本人', signedAt: new Date().toISOString(), documentRef: 'BENCH-1' },
    photos: variants(face).enrol.map(b64),
  });
  if (enrol.statusCode !== 200) throw new Error(enrol.body);
  const fam = await clientAs(s.app, ctx, 'family');
  await ctx.db.execute(sql`UPDATE users SET elder_id = ${elder.id} WHERE id = ${fam.account.id}`);

  // Reference: the bare 1:1 verify of one probe photo (warm the worker first).
  const probe = b64(variants(face).probe[0]);
  await community.post('/api/v1/faces/verify', { elderId: elder.id, photo: probe });
  const verifyMs: number[] = [];
  for (let i = 0; i < VERIFIES; i++) {
    const t = performance.now();
    const r = await community.post('/api/v1/faces/verify', { elderId: elder.id, photo: probe });
    verifyMs.push(performance.now() - t);
    if (!r.json().match) throw new Error('the reference verify did not match');
  }

  const attemptMs: number[] = [];
  let frames = 0;
  let passed = 0;
  for (let i = 0; i < ATTEMPTS; i++) {
    const c = (await fam.api.post('/api/v1/allowance/mine/survival-challenges')).json();
    const seq = (await actionSequence(face, c.actions as LivenessAction[])).map(b64);
    frames = seq.length;
    const t = performance.now();
    const r = await fam.api.post(`/api/v1/allowance-survival-challenges/${c.id}/answer`, { nonce: c.nonce, frames: seq });
    attemptMs.push(performance.now() - t);
    if (r.json().result === 'passed') passed++;
  }
  const workerMs = (await queryRows<{ ms: number }>(ctx.db, sql`SELECT ms FROM allowance_survival_attempts ORDER BY at`)).map(
    (r) => r.ms,
  );
  const frameBytes = toJpeg(faceCrop(face, 0.3)).length;
  const result = writeResult('survival', {
    database: 'pglite',
    loadAverage: { before: loadBefore, after: os.loadavg().map((x) => Math.round(x * 10) / 10) },
    attempt: { frames, frameBytes, passed, ...stats(attemptMs), note: 'POST …/answer, in-process HTTP' },
    workerPerAttempt: stats(workerMs),
    perFrame: Math.round(
      percentile(
        [...attemptMs].sort((a, b) => a - b),
        50,
      ) / frames,
    ),
    reference: { ...stats(verifyMs), note: 'POST /faces/verify, one photo, same run' },
  });
  console.log(JSON.stringify(result, null, 2));
  await closeFacePool();
  await s.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
