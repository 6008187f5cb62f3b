import { buildIdNumber, idCheckChar } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../modules/devices/device-secret.ts';
import { createElder } from '../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../testing/safety.ts';
import { tableCounts } from '../testing/table-counts.ts';
import { queryRows } from './sql-rows.ts';

/**
 * Every date a user can send, found by walking the route table (the OpenAPI document generated
 * from the route schemas), is tried with impossible and absurd values: each must be a 4xx
 * problem+json naming the field, and nothing may be written.
 */
let s: SafetyServer;
beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

type Schema = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  $ref?: string;
};
/** `path` is the field inside the body (nested objects and array items included: ['items', 0, 'at']). */
type DateField = {
  where: 'body' | 'querystring';
  name: string;
  path: Array<string | number>;
  kind: 'date' | 'date-time' | 'month';
};

const MONTH_PATTERN = '^\\d{4}-\\d{2}$';
/** Field names that say "I am a date": each must carry a date format, or the walk below would miss it. */
const DATE_NAME = /(Date|At|On|Until|From|To|Before|Day|Month)$|^(date|day|from|to|before|after|since|until|month|period|ts)$/;

function kindOf(sc: Schema | undefined): DateField['kind'] | null {
  if (!sc) return null;
  if (sc.format === 'date') return 'date';
  if (sc.format === 'date-time') return 'date-time';
  if (sc.pattern === MONTH_PATTERN) return 'month';
  for (const alt of [...(sc.anyOf ?? []), ...(sc.oneOf ?? [])]) {
    const k = kindOf(alt);
    if (k) return k;
  }
  return null;
}

const isEnum = (sc: Schema | undefined): boolean =>
  !!sc &&
  (!!sc.enum || [...(sc.anyOf ?? []), ...(sc.oneOf ?? [])].some(isEnum) || sc.type === 'boolean' || sc.type === 'integer');

type Route = { method: string; path: string; fields: DateField[]; undeclared: string[] };

async function routeTable(): Promise<Route[]> {
  const doc = (await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Array<{ in: string; name: string; schema: Schema }>;
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
  };
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const fields: DateField[] = [];
      const undeclared: string[] = [];
      const consider = (where: DateField['where'], path: Array<string | number>, sc: Schema, depth = 0) => {
        const name = String(path[path.length - 1]);
        const kind = kindOf(sc);
        if (kind) fields.push({ where, name, path, kind });
        else if (DATE_NAME.test(name) && !isEnum(sc)) undeclared.push(`${where}.${path.join('.')}`);
        // Dates inside nested objects and array items count too.
        if (depth > 4) return;
        for (const alt of [sc, ...(sc.anyOf ?? []), ...(sc.oneOf ?? [])]) {
          for (const [k, c] of Object.entries(alt.properties ?? {})) consider(where, [...path, k], c, depth + 1);
          if (alt.items) consider(where, [...path, 0], alt.items, depth + 1);
        }
      };
      for (const p of op.parameters ?? []) if (p.in === 'query') consider('querystring', [p.name], p.schema);
      const body = op.requestBody?.content?.['application/json']?.schema;
      for (const [name, sc] of Object.entries(body?.properties ?? {})) consider('body', [name], sc);
      out.push({ method: method.toUpperCase(), path, fields, undeclared });
    }
  }
  return out;
}

/** The values every date field must refuse (a birth date may be 126 years old, so it gets an older one). */
function badValues(f: DateField): string[] {
  const old = f.name === 'birthDate' ? '1890-01-01' : '1900-01-01';
  if (f.kind === 'month') return ['0000-01', old.slice(0, 7), '2026-13', '99999-01', 'garbage'];
  const days = ['0000-01-01', old, '2026-02-30', '99999-01-01'];
  return [...(f.kind === 'date' ? days : days.map((d) => `${d}T00:00:00Z`)), 'garbage'];
}

/** A body holding `value` at `path`: ['a', 0, 'b'] → { a: [{ b: value }] }. */
function nest(path: Array<string | number>, value: unknown): unknown {
  const [head, ...rest] = path;
  const inner = rest.length ? nest(rest, value) : value;
  return typeof head === 'number' ? [inner] : { [head]: inner };
}

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';
const fillPath = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'code' ? TREE.communityA1 : name === 'deviceId' || name === 'id' ? ZERO_UUID : ZERO_UUID,
  );

describe('every date field of every route', () => {
  it('is declared with a date schema (no date travels as a bare string)', async () => {
    const undeclared = (await routeTable()).flatMap((r) => r.undeclared.map((f) => `${r.method} ${r.path} ${f}`));
    expect(undeclared).toEqual([]);
  });

  it('refuses year 0, 1900, 30 February, five-digit years and garbage with a 4xx naming the field, writing nothing', async () => {
    const providerOrg = (await createOrg(s.ctx, 'provider', TREE.streetA)).id;
    // The first role the route lets in answers; permission is checked before the body is read.
    const callers = [
      await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district }),
      await clientAs(s.app, s.ctx, 'provider_admin', { orgId: providerOrg }),
      await clientAs(s.app, s.ctx, 'service_worker', { orgId: providerOrg }),
      await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.communityA1 }),
      await clientAs(s.app, s.ctx, 'family'),
      await clientAs(s.app, s.ctx, 'volunteer', { regionCode: TREE.communityA1 }),
      await clientAs(s.app, s.ctx, 'institution_staff', { orgId: (await createOrg(s.ctx, 'institution', TREE.streetA)).id }),
      // A family doctor: home visits and 家庭病床 are theirs alone (medical:visit).
      await clientAs(s.app, s.ctx, 'doctor'),
    ];
    const routes = (await routeTable()).filter((r) => r.fields.length > 0);
    const tried = new Set<string>();
    const before = await tableCounts(s.ctx);
    for (const r of routes) {
      for (const f of r.fields) {
        for (const value of badValues(f)) {
          const url = fillPath(r.path);
          const query = f.where === 'querystring' ? `?${f.name}=${encodeURIComponent(value)}` : '';
          const field = `${f.where}.${f.path.join('.')}`;
          let res: LightMyRequestResponse | undefined;
          const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
          for (const c of callers) {
            res = await s.app.inject({
              method: r.method as 'GET',
              url: url + query,
              ...(hasBody ? { payload: (f.where === 'body' ? nest(f.path, value) : {}) as never } : {}),
              headers: {
                authorization: `Bearer ${c.token}`,
                'idempotency-key': `bad-date-${tried.size}-${value}`,
                ...(hasBody ? { 'content-type': 'application/json' } : {}),
              },
            });
            if (res.statusCode !== 403) break;
          }
          const what = `${r.method} ${r.path} ${field}=${value}`;
          if (!res) throw new Error('no caller');
          expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, what).toBeLessThan(500);
          expect(res.statusCode, `${what}: no role may call it`).not.toBe(403);
          expect(res.headers['content-type'], what).toContain('application/problem+json');
          const problem = res.json() as { errors?: Array<{ path: string }> };
          expect(
            problem.errors?.map((e) => e.path),
            `${what}: ${res.body.slice(0, 300)}`,
          ).toContain(field);
          tried.add(`${r.method} ${r.path} ${f.path.join('.')}`);
        }
      }
    }
    // The walk found the date fields the issue lists (and whatever came since).
    for (const known of [
      'POST /api/v1/wallets/{elderId}/adjustments effectiveDate',
      'POST /api/v1/policies validFrom',
      'POST /api/v1/settlements period',
      'GET /api/v1/settlements period',
      'POST /api/v1/service-orders scheduledAt',
      'GET /api/v1/audit-log from',
      'GET /api/v1/alarms to',
      'POST /api/v1/elders birthDate',
      'GET /api/v1/elders/{id}/timeline before',
      'POST /api/v1/devices installedOn',
    ]) {
      expect([...tried]).toContain(known);
    }
    expect(await tableCounts(s.ctx)).toEqual(before);
  });
});

describe('date rules that need the database', () => {
  it('a wallet correction cannot be dated before the elder was registered, nor into 1900', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const elder = await createElder(s.ctx, TREE.communityA1);
    let n = 0;
    const adjust = (effectiveDate: string) =>
      admin.api.post(
        `/api/v1/wallets/${elder.id}/adjustments`,
        { currency: 'points', direction: 'credit', amount: 5, reason: '补记', effectiveDate },
        { 'idempotency-key': `early-${++n}-${Date.now()}` },
      );
    const before = await tableCounts(s.ctx);
    const ancient = await adjust('1900-01-01');
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json().errors[0].path).toBe('body.effectiveDate');
    // Registered today: yesterday is inside the platform's window but before the wallet existed.
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const early = await adjust(yesterday);
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0].path).toBe('body.effectiveDate');
    expect(await tableCounts(s.ctx)).toEqual(before);
  });

  it('a date of death cannot lie before the birth date', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const elder = await createElder(s.ctx, TREE.communityA1, { birthDate: '2003-05-12' });
    const before = await tableCounts(s.ctx);
    const res = await admin.api.post(`/api/v1/elders/${elder.id}/status`, { status: 'deceased', date: '2001-01-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body.date');
    expect(await tableCounts(s.ctx)).toEqual(before);
    const ok = await admin.api.post(`/api/v1/elders/${elder.id}/status`, { status: 'deceased', date: '2003-05-12' });
    expect(ok.statusCode).toBeLessThan(300);
  });
});

describe('spreadsheet date cells', () => {
  async function upload(url: string, token: string, headers: string[], rows: string[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('sheet');
    ws.addRow(headers);
    for (const r of rows) ws.addRow(r);
    const boundary = `----zy${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sheet.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(await wb.xlsx.writeBuffer()),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return s.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }

  it('an elder whose ID number says born 1890 (age 136) or on 30 February is a bad row, not a record', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await tableCounts(s.ctx);
    const tooOld = buildIdNumber('990101', '1890-01-01', 301, 'male');
    const feb30 = `99010120260230301`; // no real day: the check digit cannot save it
    const res = await upload(
      '/api/v1/elders/import?wait=true',
      admin.token,
      ['姓名*', '证件号码*', '出生日期', '联系电话', '居住社区编码*', '居住状况*'],
      [
        ['百卅六', tooOld, '', '', TREE.communityA1, '独居'],
        ['二月卅', feb30 + idCheckChar(feb30), '', '', TREE.communityA1, '独居'],
        ['错生日', buildIdNumber('990101', '1941-04-01', 302, 'female'), '0000-01-01', '', TREE.communityA1, '独居'],
      ],
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'done', createdCount: 0, errorCount: 3 });
    const after = await tableCounts(s.ctx);
    // The import itself is recorded (its report of bad rows, and the audit of the upload); no elder is.
    expect(after.elders).toBe(before.elders);
    expect(after.ledger_transactions).toBe(before.ledger_transactions);
  });

  it('a device whose installedOn is 0000-01-01 or 2026-02-30 is a bad row', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await tableCounts(s.ctx);
    const res = await upload(
      '/api/v1/devices/import',
      admin.token,
      ['id', 'type', 'regionCode', 'installedOn'],
      [
        ['SM-Y0', 'smoke', TREE.communityA1, '0000-01-01'],
        ['SM-F30', 'smoke', TREE.communityA1, '2026-02-30'],
        ['SM-1900', 'smoke', TREE.communityA1, '1900-01-01'],
      ],
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toEqual([]);
    expect(res.json().errors.map((e: { row: number; message: string }) => [e.row, e.message.split(':')[0]])).toEqual([
      [2, 'installedOn'],
      [3, 'installedOn'],
      [4, 'installedOn'],
    ]);
    expect((await tableCounts(s.ctx)).devices).toBe(before.devices);
  });
});

describe('device protocol ts', () => {
  it('refuses an impossible day, and keeps the alarm of a device whose clock was reset (time dropped, flagged)', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const dev = await createDevice(s.ctx, { type: 'pendant', elderId: elder.id });
    const post = (body: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return s.app.inject({
        method: 'POST',
        url: `/api/v1/devices/${dev.id}/events`,
        payload: body,
        headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
      });
    };
    for (const ts of ['2026-02-30T08:00:00+08:00', '0000-01-01T00:00:00Z', '99999-01-01T00:00:00Z', 'garbage']) {
      const res = await post(JSON.stringify({ ...eventBody('heartbeat', {}, `bad-ts-${ts}`), ts }));
      expect(res.statusCode, ts).toBe(400);
      expect(res.body, ts).toContain('ts');
    }
    const none = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) AS n FROM device_events WHERE msg_id LIKE 'bad-ts-%'`,
    );
    expect(Number(none[0].n)).toBe(0);

    for (const [msgId, ts] of [
      ['reset-2099', '2099-01-01T00:00:00Z'],
      ['reset-1900', '1900-01-01T00:00:00Z'],
      ['reset-epoch', 0],
    ] as const) {
      const res = await post(JSON.stringify({ ...eventBody('sos', {}, msgId), ts }));
      expect(res.statusCode, msgId).toBe(202);
    }
    const kept = await queryRows<{ msg_id: string; device_ts: unknown; flags: string[] | string }>(
      s.ctx.db,
      sql`SELECT msg_id, device_ts, flags FROM device_events WHERE msg_id LIKE 'reset-%' ORDER BY msg_id`,
    );
    expect(kept.map((k) => k.msg_id)).toEqual(['reset-1900', 'reset-2099', 'reset-epoch']);
    for (const k of kept) {
      expect(k.device_ts).toBeNull();
      expect(String(k.flags)).toContain('clock_skew');
    }
  });
});
