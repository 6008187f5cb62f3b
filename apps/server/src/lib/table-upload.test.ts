import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { constants, deflateRawSync } from 'node:zlib';
import { buildIdNumber } from '@zhiyang/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../modules/devices/device-secret.ts';
import { elderImports } from '../modules/elders/elders.schema.ts';
import { createElder } from '../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../testing/safety.ts';
import { startTestServer } from '../testing/server.ts';
import {
  craftXlsx,
  FINAL_BLOCK,
  honestPart,
  multipartBody,
  rowXml,
  SHEET_END,
  SHEET_START,
  segment,
} from '../testing/xlsx-craft.ts';
import { importsRunning } from './table-upload.ts';

let s: SafetyServer;
let admin: string;
let staff: string[];
const MiB = 1024 * 1024;
const PROBLEM = 'https://zhiyang.dev/problems/';
const ENDPOINTS = ['/api/v1/elders/import?wait=true', '/api/v1/regions/import', '/api/v1/devices/import'];

beforeAll(async () => {
  s = await startSafetyServer({ listen: true });
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).token;
  staff = [];
  for (let i = 0; i < 3; i++)
    staff.push((await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).token);
});
afterAll(() => s.close());

interface Answer {
  status: number;
  body: { type?: string; detail?: string; [k: string]: unknown };
}

/**
 * POST a file over real HTTP. With `hold`, the body stops until `finish()` — inside the multipart
 * head (`'head'`) or after the first bytes of the file (`'file'`): an upload in progress, which
 * already holds its import place.
 */
function upload(
  path: string,
  token: string,
  filename: string,
  data: Buffer,
  opts: { hold?: 'head' | 'file'; url?: string } = {},
) {
  const { body, contentType } = multipartBody(filename, data);
  const req = http.request(`${opts.url ?? s.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': body.length },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
  });
  const sent = new Promise<void>((resolve) => req.on('finish', resolve));
  const fileStart = body.indexOf(data);
  const split = opts.hold === 'file' ? fileStart + 5 : fileStart - 12;
  let ended = !opts.hold;
  if (opts.hold) req.write(body.subarray(0, split));
  else req.end(body);
  const finish = () => {
    if (ended) return;
    ended = true;
    req.end(body.subarray(split));
  };
  return { answer, sent, finish };
}

const tinyDevicesCsv = (id: string) => Buffer.from(`id,type,regionCode\n${id},smoke,${TREE.communityA1}\n`);
const deviceCount = async (token: string) =>
  (await s.app.inject({ method: 'GET', url: '/api/v1/devices?limit=100', headers: { authorization: `Bearer ${token}` } })).json()
    .total as number;

describe('spreadsheet uploads are read streaming, under caps', () => {
  it('a workbook over the row cap is refused at the cap: the rest of the sheet is never inflated', async () => {
    // 20,000 rows is the device import's cap. After row 20,001 come 10,000 more good rows, then
    // bytes that are not deflate data: a reader that inflated the whole sheet would fail on them
    // ("cannot be read"); one that stops at the cap answers with the row cap.
    const rows = [rowXml(1, ['id', 'type'])];
    for (let r = 2; r <= 30_002; r++) rows.push(rowXml(r, [`D${randomBytes(6).toString('hex')}`, 'smoke']));
    const xml = SHEET_START + rows.join('');
    const deflated = Buffer.concat([
      deflateRawSync(Buffer.from(xml), { finishFlush: constants.Z_SYNC_FLUSH }),
      Buffer.alloc(4096, 0xff),
    ]);
    const file = craftXlsx({ name: '', deflated, declaredSize: Buffer.byteLength(xml) + 10 * MiB });
    expect(file.length).toBeLessThan(2 * MiB);
    const before = await deviceCount(admin);
    const r = await upload('/api/v1/devices/import', admin, 'devices.xlsx', file).answer;
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The sheet has more than 20000 rows.');
    expect(await deviceCount(admin)).toBe(before);
  });

  it('refuses ZIP bombs on every import: absurd declared size, absurd ratio (sheet or shared strings), lying header', async () => {
    const header = `${SHEET_START}${rowXml(1, ['id', 'type'])}`;
    // 1 MiB of blanks deflates to ~1 KiB; the segments chain into one valid deflate stream.
    const blanks = segment(' '.repeat(MiB));
    const bomb = (mib: number) => Buffer.concat([segment(header), ...Array(mib).fill(blanks), segment(SHEET_END), FINAL_BLOCK]);
    const cases: Array<{ file: Buffer; detail: RegExp }> = [
      // Declares 3 GiB: refused from the directory alone.
      {
        file: craftXlsx({ name: '', deflated: bomb(1), declaredSize: 3 * 1024 * MiB }),
        detail: /unpacks to 3072 MiB, over the \d+ MiB allowed/,
      },
      // Honest header, 4 MiB from ~4 KiB: a ratio no spreadsheet has.
      {
        file: craftXlsx({ name: '', deflated: bomb(4), declaredSize: 4 * MiB + Buffer.byteLength(header + SHEET_END) }),
        detail: /sheet1\.xml is compressed \d+:1 \(more than 200:1\)/,
      },
      {
        file: craftXlsx(`${header}${SHEET_END}`, {
          name: '',
          deflated: Buffer.concat([segment('<sst>'), ...Array(4).fill(blanks), segment('</sst>'), FINAL_BLOCK]),
          declaredSize: 4 * MiB + 11,
        }),
        detail: /sharedStrings\.xml is compressed \d+:1/,
      },
      // Declares 64 KiB, inflates to 512 MiB: caught by counting while streaming.
      {
        file: craftXlsx({ name: '', deflated: bomb(512), declaredSize: 64 * 1024 }),
        detail: /sheet1\.xml unpacks to more than its header says/,
      },
    ];
    for (const path of ENDPOINTS)
      for (const c of cases) {
        const r = await upload(path, admin, 'bomb.xlsx', c.file).answer;
        expect(r.status, path).toBe(400);
        expect(r.body.type).toBe(`${PROBLEM}bad-request`);
        expect(r.body.detail).toMatch(c.detail);
      }
    expect(importsRunning(s.ctx)).toBe(0);
  });

  it('refuses a sheet with values in more columns than the cap', async () => {
    const wide = Array.from({ length: 101 }, (_, i) => `c${i}`).join(',');
    const r = await upload('/api/v1/devices/import', admin, 'wide.csv', Buffer.from(`id,type\nX1,smoke,${wide}\n`)).answer;
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The sheet has values in more than 100 columns.');
  });

  it('refuses a sheet of more filled cells than 32 per allowed row, however short', async () => {
    const line = Array(100).fill('1').join(',');
    const csv = Buffer.from(Array(6500).fill(line).join('\n'));
    const r = await upload('/api/v1/regions/import', admin, 'cells.csv', csv).answer;
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The file has more than 640,000 filled cells.');
  });
});

describe('imports at once', () => {
  it('one per user on any import, and IMPORT_CONCURRENCY (2) per process, answered 429 problem+json', async () => {
    const [a, b, c] = staff;
    const heldA = upload('/api/v1/devices/import', a, 'a.csv', tinyDevicesCsv('HOLD-A1'), { hold: 'head' });
    let heldB: ReturnType<typeof upload> | undefined;
    try {
      await expect.poll(() => importsRunning(s.ctx)).toBe(1);
      // The same user, another import: refused while the first is still uploading.
      const again = await upload('/api/v1/elders/import', a, 'e.csv', Buffer.from('姓名\n')).answer;
      expect(again.status).toBe(429);
      expect(again.body.type).toBe(`${PROBLEM}import-running`);

      heldB = upload('/api/v1/devices/import', b, 'b.csv', tinyDevicesCsv('HOLD-B1'), { hold: 'head' });
      await expect.poll(() => importsRunning(s.ctx)).toBe(2);
      const third = await upload('/api/v1/devices/import', c, 'c.csv', tinyDevicesCsv('C-1')).answer;
      expect(third.status).toBe(429);
      expect(third.body.type).toBe(`${PROBLEM}import-capacity`);
      expect(third.body.detail).toMatch(/already running 2 imports/);

      heldA.finish();
      const doneA = await heldA.answer;
      expect(doneA.status).toBe(200);
      expect(doneA.body.created).toEqual([expect.objectContaining({ id: 'HOLD-A1' })]);
      // A place is free again: C's import runs.
      const retry = await upload('/api/v1/devices/import', c, 'c.csv', tinyDevicesCsv('C-1')).answer;
      expect(retry.status).toBe(200);
      expect(retry.body.created).toEqual([expect.objectContaining({ id: 'C-1' })]);
      heldB.finish();
      expect((await heldB.answer).status).toBe(200);
    } finally {
      heldA.finish();
      heldB?.finish();
    }
    expect(importsRunning(s.ctx)).toBe(0);
  });
});

describe('a trickled upload', () => {
  it('is cut off with a 408 after IMPORT_UPLOAD_SECONDS and gives its place back', async () => {
    const other = await startTestServer({ listen: true, config: { importUploadSeconds: 1 } });
    try {
      await seedTree(other.ctx);
      const token = (await clientAs(other.app, other.ctx, 'community_staff', { regionCode: TREE.communityA1 })).token;
      for (const hold of ['head', 'file'] as const) {
        const held = upload('/api/v1/devices/import', token, 'slow.csv', tinyDevicesCsv(`SLOW-${hold}`), {
          hold,
          url: other.url,
        });
        const r = await held.answer;
        expect(r.status, hold).toBe(408);
        expect(r.body.type).toBe(`${PROBLEM}upload-timeout`);
        expect(importsRunning(other.ctx)).toBe(0);
        held.finish();
      }
      const next = await upload('/api/v1/devices/import', token, 'ok.csv', tinyDevicesCsv('SLOW-2'), { url: other.url }).answer;
      expect(next.status).toBe(200);
      expect(next.body.created).toEqual([expect.objectContaining({ id: 'SLOW-2' })]);
    } finally {
      await other.close();
    }
  });
});

describe('the platform keeps answering during an import', () => {
  /** Health and a signed SOS answered while `importAnswered()` is still false. */
  async function answersMeanwhile(importAnswered: () => boolean) {
    const elder = await createElder(s.ctx, TREE.communityA1);
    const device = await createDevice(s.ctx, { type: 'pendant', elderId: elder.id });
    const health = await fetch(`${s.url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(importAnswered()).toBe(false);
    const ts = String(Math.floor(Date.now() / 1000));
    const event = JSON.stringify(eventBody('sos', {}, `during-import-${device.id}`));
    const stored = await fetch(`${s.url}/api/v1/devices/${device.id}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(device.secret, ts, event) },
      body: event,
    });
    expect(stored.status).toBe(202);
    expect(importAnswered()).toBe(false);
  }

  it('health and a signed device event are answered while 3,000 elder rows are checked, encrypted and written', async () => {
    const rows = ['姓名*,证件号码*,居住社区编码*,居住状况*'];
    for (let n = 0; n < 3000; n++)
      rows.push(
        `老人${n},${buildIdNumber('990101', `${1930 + Math.floor(n / 900)}-05-0${(n % 9) + 1}`, 100 + (n % 100), n % 2 ? 'male' : 'female')},${TREE.communityA1},独居`,
      );
    let importAnswered = false;
    const answer = upload('/api/v1/elders/import?wait=true', staff[1], 'many.csv', Buffer.from(rows.join('\n'))).answer.then(
      (r) => {
        importAnswered = true;
        return r;
      },
    );
    // The file has been read (in a worker thread, started on first use) and rows are being written.
    await expect
      .poll(async () => (await s.ctx.db.select().from(elderImports).where(eq(elderImports.filename, 'many.csv'))).length, {
        timeout: 60_000,
      })
      .toBe(1);
    await answersMeanwhile(() => importAnswered);
    const r = await answer;
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'done', createdCount: 3000, errorCount: 0 });
  });

  it('health and a signed device event are answered while a 100,000+ row workbook is being read', async () => {
    const rows = [rowXml(1, ['姓名*', '证件号码*', '居住社区编码*'])];
    for (let r = 2; r <= 100_100; r++) rows.push(rowXml(r, [`老人${r}`, randomBytes(9).toString('hex'), TREE.communityA1]));
    const file = craftXlsx(honestPart('', SHEET_START + rows.join('') + SHEET_END));
    let importAnswered = false;
    const big = upload('/api/v1/elders/import', staff[0], 'big.xlsx', file);
    const answer = big.answer.then((r) => {
      importAnswered = true;
      return r;
    });
    await big.sent;
    await expect.poll(() => importsRunning(s.ctx)).toBe(1);

    await answersMeanwhile(() => importAnswered);

    const r = await answer;
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The sheet has more than 100000 rows.');
  }, 180_000);
});
