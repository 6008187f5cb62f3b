import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { type client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { orderJobs } from './orders.jobs.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let operator: Api;
let otherProvider: Api;
let workerToken: string;
let otherWorkerToken: string;
let orderId: string;
const HOME = { lat: 30.61, lng: 104.01 };

// Real file signatures followed by filler: what the server checks is the content, not the name.
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF photo at the door')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 body')]);
const GIF = Buffer.from('GIF89a not accepted');

function upload(token: string, id: string, query: string, content: Buffer, filename = 'photo.jpg') {
  const boundary = `----zy${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return s.app.inject({
    method: 'POST',
    url: `/api/v1/service-orders/${id}/photos?${query}`,
    payload: body,
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  const admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  const provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
  });
  const other = await createServiceProvider(s.ctx, { regionCode: TREE.streetB, communities: [TREE.communityB1], site: HOME });
  otherProvider = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: other.org.id })).api;
  const providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: provider.org.id })).api;
  workerToken = await loginToken(s.app, provider.worker.username);
  otherWorkerToken = await loginToken(s.app, other.worker.username);
  const elder = await createElder(s.ctx, TREE.communityA1, { ...HOME, birthDate: '1937-07-07' });
  await admin.post(
    `/api/v1/wallets/${elder.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': `photos-${Date.now()}` },
  );
  const itemId = (await itemByCode(s.ctx, 'haircut')).id;
  orderId = (await operator.post('/api/v1/service-orders', { elderId: elder.id, itemId, scheduledAt: hoursFromNow(1) })).json()
    .id;
  await providerAdmin.post(`/api/v1/service-orders/${orderId}/accept`);
  await providerAdmin.post(`/api/v1/service-orders/${orderId}/assign`, { workerId: provider.worker.id });
});
afterAll(() => s.close());

describe('visit photos', () => {
  it('stores a JPEG taken at check-in, with its original time; a resend is the same photo', async () => {
    const takenAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const r = await upload(workerToken, orderId, `stage=check-in&takenAt=${encodeURIComponent(takenAt)}`, JPEG);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ stage: 'check-in', contentType: 'image/jpeg', bytes: JPEG.length, takenAt });
    const again = await upload(workerToken, orderId, `stage=check-in&takenAt=${encodeURIComponent(takenAt)}`, JPEG);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(r.json().id);
    expect((await upload(workerToken, orderId, 'stage=check-in', PNG, 'x.png')).statusCode).toBe(201);
    expect((await upload(workerToken, orderId, 'stage=check-in', WEBP, 'x.webp')).statusCode).toBe(201);
  });

  it('refuses other types, oversize files, other workers, bad times and the wrong stage, storing nothing', async () => {
    const count = async () => (await operator.get(`/api/v1/service-orders/${orderId}/photos`)).json().items.length;
    const before = await count();
    const gif = await upload(workerToken, orderId, 'stage=check-in', GIF, 'pretend.jpg');
    expect(gif.statusCode).toBe(415);
    expect(gif.headers['content-type']).toContain('application/problem+json');
    const big = Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]);
    expect((await upload(workerToken, orderId, 'stage=check-in', big)).statusCode).toBe(413);
    expect((await upload(otherWorkerToken, orderId, 'stage=check-in', JPEG)).statusCode).toBe(404);
    expect((await upload(workerToken, orderId, 'stage=lunch', JPEG)).statusCode).toBe(400);
    const old = new Date(Date.now() - 80 * 3600_000).toISOString();
    expect((await upload(workerToken, orderId, `stage=check-in&takenAt=${encodeURIComponent(old)}`, JPEG)).statusCode).toBe(400);
    // Not checked in yet: a check-out photo is refused.
    expect((await upload(workerToken, orderId, 'stage=check-out', Buffer.concat([JPEG, Buffer.from('2')]))).statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('shows the photos to the console with a scope check and an audited read', async () => {
    const list = (await operator.get(`/api/v1/service-orders/${orderId}/photos`)).json().items;
    expect(list.map((p: { contentType: string }) => p.contentType)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    const img = await operator.get(list[0].url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.from(img.rawPayload).equals(JPEG)).toBe(true);
    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'visit.photo-read'), eq(auditLog.targetId, orderId)));
    expect(reads).toHaveLength(1);
    expect((await otherProvider.get(list[0].url)).statusCode).toBe(404);
    expect((await otherProvider.get(`/api/v1/service-orders/${orderId}/photos`)).statusCode).toBe(404);
  });

  it('keeps at most nine photos per order', async () => {
    let last = 0;
    for (let i = 0; i < 7; i++)
      last = (await upload(workerToken, orderId, 'stage=check-in', Buffer.concat([JPEG, Buffer.from(`n${i}`)]))).statusCode;
    expect(last).toBe(409);
    expect((await operator.get(`/api/v1/service-orders/${orderId}/photos`)).json().items).toHaveLength(9);
  });

  it('keeps every picture encrypted at rest; one stored in clear before 0992 is shown, then encrypted by the job', async () => {
    const stored = () =>
      queryRows<{ id: string; data: string | null; data_enc: string | null }>(
        s.ctx.db,
        sql`SELECT id, encode(data, 'base64') AS data, data_enc FROM visit_photos WHERE order_id = ${orderId} ORDER BY id`,
      );
    let rows = await stored();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.data).toBeNull();
      expect(r.data_enc).toMatch(/^v1:/);
      expect(r.data_enc).not.toContain(JPEG.toString('base64'));
    }
    // As 0992 found a photo taken earlier: the picture in the plain column, nothing encrypted.
    const legacy = Buffer.concat([JPEG, Buffer.from('taken before 0992')]);
    const [{ id }] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO visit_photos (order_id, stage, content_type, bytes, sha256, data, taken_at, uploaded_by)
          SELECT order_id, 'check-out', 'image/jpeg', ${legacy.length}, 'legacy', decode(${legacy.toString('base64')}, 'base64'),
                 now(), uploaded_by FROM visit_photos WHERE order_id = ${orderId} LIMIT 1
          RETURNING id`,
    );
    const url = `/api/v1/service-orders/${orderId}/photos/${id}`;
    expect(Buffer.from((await operator.get(url)).rawPayload).equals(legacy)).toBe(true);
    const job = orderJobs.find((j) => j.name === 'service-orders.photo-backfill');
    if (!job) throw new Error('no backfill job');
    await runJob(s.ctx, job, {});
    await runJob(s.ctx, job, {}); // a second run finds nothing left to do
    rows = await stored();
    expect(rows.filter((r) => r.data !== null)).toEqual([]);
    const moved = rows.find((r) => r.id === id);
    expect(s.ctx.cipher.decrypt(moved?.data_enc as string)).toBe(legacy.toString('base64'));
    expect(Buffer.from((await operator.get(url)).rawPayload).equals(legacy)).toBe(true);
  });
});
