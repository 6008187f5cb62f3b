import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let s: TestServer;
let elderA: string;
let elderB: string;
let staffA: Awaited<ReturnType<typeof clientAs>>;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  elderA = (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' })).id;
  elderB = (await createElder(s.ctx, TREE.communityB1)).id;
  staffA = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
});
afterAll(() => s.close());

describe('device registry', () => {
  it('registers a device bound to an elder; the secret is returned once and never listed', async () => {
    const r = await staffA.api.post('/api/v1/devices', {
      id: 'PD-0001',
      type: 'pendant',
      elderId: elderA,
      vendor: '安康',
      imei: '861234567890123',
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.device).toMatchObject({ id: 'PD-0001', type: 'pendant', regionCode: TREE.communityA1, heartbeatSeconds: 600 });
    expect(body.device.capabilities).toContain('sos');
    const got = await staffA.api.get('/api/v1/devices/PD-0001');
    expect(got.statusCode).toBe(200);
    expect(JSON.stringify(got.json())).not.toContain(body.secret);
    const rows = await s.ctx.database.query<Record<string, unknown>>('SELECT * FROM devices WHERE id = $1', ['PD-0001']);
    expect(JSON.stringify(rows.rows[0])).not.toContain(body.secret);
    expect((await staffA.api.post('/api/v1/devices', { id: 'PD-0001', type: 'pendant', elderId: elderA })).statusCode).toBe(409);
  });

  it('rotates the secret; refuses elders and devices outside the caller’s area (404 for devices)', async () => {
    const rot = await staffA.api.post('/api/v1/devices/PD-0001/rotate-secret');
    expect(rot.statusCode).toBe(200);
    expect(rot.json().secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await staffA.api.post('/api/v1/devices', { id: 'PD-0002', type: 'pendant', elderId: elderB });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].path).toBe('body.elderId');
    const staffB = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    expect((await staffB.api.get('/api/v1/devices/PD-0001')).statusCode).toBe(404);
    expect((await staffB.api.post('/api/v1/devices/PD-0001/rotate-secret')).statusCode).toBe(404);
    expect((await staffA.api.post('/api/v1/devices', { id: 'x', type: 'pendant', elderId: elderA })).statusCode).toBe(400);
    expect((await staffA.api.post('/api/v1/devices', { id: 'PD-9', type: 'toaster', elderId: elderA })).statusCode).toBe(400);
  });

  it('bulk registration from xlsx: valid rows registered with their secrets, bad rows reported', async () => {
    const xlsx = await writeXlsx(
      'devices',
      ['设备编号', '类型', '老人ID', '区域编码', '厂商'],
      [
        ['SM-0001', 'smoke', elderA, '', '海康'],
        ['GS-0001', 'gas', '', TREE.communityA1, '海康'],
        ['bad id!', 'smoke', elderA, '', ''],
        ['SM-0002', 'toaster', elderA, '', ''],
        ['SM-0003', 'smoke', elderB, '', ''],
      ],
    );
    const boundary = '----zy';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="devices.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      xlsx,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload,
      headers: { authorization: `Bearer ${staffA.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.created.map((c: { id: string }) => c.id)).toEqual(['SM-0001', 'GS-0001']);
    expect(body.errors.map((e: { row: number }) => e.row)).toEqual([4, 5, 6]);
    const list = (await staffA.api.get('/api/v1/devices?type=smoke')).json();
    expect(list.items.map((d: { id: string; heartbeatSeconds: number }) => [d.id, d.heartbeatSeconds])).toEqual([
      ['SM-0001', 14400],
    ]);
  });

  it('lists device types with heartbeat intervals; health board per community', async () => {
    const tr = await staffA.api.get('/api/v1/device-types');
    expect(tr.statusCode).toBe(200);
    const types = tr.json().items;
    expect(types.map((t: { type: string }) => t.type)).toContain('fall_radar');
    const health = (await staffA.api.get('/api/v1/device-health')).json().items;
    expect(health[0]).toMatchObject({ regionCode: TREE.communityA1, total: 3 });
  });
});
