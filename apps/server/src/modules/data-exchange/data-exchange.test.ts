import { buildIdNumber, EXCHANGE_LAYOUTS, type ExchangeDataset, maskIdNumber } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elders } from '../../db/schema.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, TREE } from '../../testing/factories.ts';
import { multipartBody } from '../../testing/xlsx-craft.ts';
import { allowanceWorld, bornAged, cur, m1, m2 } from '../allowances/allowances.testing.ts';

/**
 * Data exchange 数据交换 over HTTP on a real database: each export layout round-trips (export,
 * parse, compare with the rows in the database) in xlsx, CSV and JSON; `since` and the region
 * scope; the imports' dry run, apply, idempotency and bad rows (422, nothing written).
 */

type World = Awaited<ReturnType<typeof allowanceWorld>>;
type Api = World['district'];
let w: World;
const people: Record<string, { id: string; idNumber: string }> = {};
let orgId: string;

const exportUrl = (q: Record<string, string>) => `/api/v1/data-exchange/export?${new URLSearchParams(q)}`;

/** RFC 4180 with quotes, as a provincial system would read the file. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

/** The file's rows as JSON-like objects keyed by the layout's keys (all values as strings or null). */
async function exported(api: Api, dataset: ExchangeDataset, format: 'csv' | 'xlsx' | 'json', extra: Record<string, string> = {}) {
  const res = await api.get(exportUrl({ dataset, format, ...extra }));
  expect(res.statusCode, res.body).toBe(200);
  const layout = EXCHANGE_LAYOUTS[dataset];
  const keys = layout.columns.map((c) => c.key);
  const norm = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
  if (format === 'json') {
    const doc = res.json();
    expect(doc).toMatchObject({ dataset, layoutVersion: '1' });
    return (doc.rows as Array<Record<string, unknown>>).map((r) => {
      expect(Object.keys(r)).toEqual(keys);
      return Object.fromEntries(keys.map((k) => [k, norm(r[k])]));
    });
  }
  let table: string[][];
  if (format === 'csv') {
    expect(res.headers['content-type']).toContain('text/csv');
    table = parseCsv(res.body);
  } else {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe(layout.title);
    expect(wb.worksheets[1].name).toBe('代码表');
    table = [];
    ws.eachRow((r) => {
      table.push(keys.map((_, i) => norm(r.getCell(i + 1).value) ?? ''));
    });
  }
  expect(table[0]).toEqual(layout.columns.map((c) => c.header));
  return table.slice(1).map((r) => Object.fromEntries(keys.map((k, i) => [k, norm(r[i])])));
}

/** What the elders layout must say of each elder, read straight from the table. */
async function expectedElders(prefix: string) {
  const rows = await queryRows<Record<string, string | boolean | string[] | null>>(
    w.s.ctx.db,
    sql`SELECT e.id, e.name, e.id_type, e.id_number_enc, e.sex, e.birth_date::text AS birth_date, e.region_code, r.name AS region_name,
        e.hukou_local, e.living_situation, e.categories, e.ability_level, e.status, e.status_date::text AS status_date
      FROM elders e JOIN regions r ON r.code = e.region_code WHERE e.region_code LIKE ${`${prefix}%`} ORDER BY e.id`,
  );
  return rows.map((e) => ({
    elderId: e.id,
    name: e.name,
    idType: e.id_type,
    idNumber: w.s.ctx.cipher.decrypt(e.id_number_enc as string),
    sex: e.sex === 'male' ? '1' : '2',
    birthDate: e.birth_date,
    regionCode: e.region_code,
    regionName: e.region_name,
    hukouLocal: e.hukou_local ? '1' : '0',
    livingSituation: e.living_situation,
    categories: (e.categories as string[]).join(';') || null,
    abilityLevel: e.ability_level,
    status: e.status,
    statusDate: e.status_date,
  }));
}

const upload = (api: Api, url: string, filename: string, data: Buffer) => {
  const mp = multipartBody(filename, data);
  return api.post(url, mp.body, { 'content-type': mp.contentType });
};

beforeAll(async () => {
  w = await allowanceWorld();
  // A name with a comma and a quote: the CSV must quote it and the reader get it back.
  for (const [key, region, name, categories] of [
    ['a1', TREE.communityA1, '欧阳,秀"英', ['dibao', 'centenarian']],
    ['a2', TREE.communityA2, '李德明', []],
    ['b1', TREE.communityB1, '乙街老人', ['tekun']],
  ] as const) {
    const e = await createElder(w.s.ctx, region, { birthDate: bornAged(85), name, categories: [...categories] });
    people[key] = { id: e.id, idNumber: e.idNumber };
  }
  // An elder last changed long ago: left out of an incremental export.
  const old = await createElder(w.s.ctx, TREE.communityA1, { birthDate: bornAged(81), name: '旧档老人' });
  await w.s.ctx.db.execute(sql`UPDATE elders SET updated_at = '2025-01-01T00:00:00Z' WHERE id = ${old.id}`);
  people.old = { id: old.id, idNumber: old.idNumber };
  // An allowance paid for last month on an approved roll.
  const id = await w.apply(people.a1.id);
  for (const api of [w.community, w.street, w.district])
    expect((await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(200);
  await w.s.ctx.db.execute(
    sql`UPDATE allowance_applications SET status = 'active', paid_from = ${m2}, notice_ends_on = NULL WHERE id = ${id}`,
  );
  const v = await w.community.post(`/api/v1/allowance-applications/${id}/verifications`, {
    month: cur,
    method: 'in_person',
    result: 'passed',
  });
  expect(v.statusCode, v.body).toBe(201);
  const roll = await w.district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
  expect(roll.statusCode, roll.body).toBe(200);
  expect((await w.district.post(`/api/v1/allowance-rolls/${roll.json().id}/approve`)).statusCode).toBe(200);
  // An institution with a building, a room and two beds (one occupied by a1), and a service order.
  const org = await createOrg(w.s.ctx, 'institution', TREE.communityA1, '安康养老院');
  orgId = org.id;
  await w.s.ctx.db.execute(
    sql`INSERT INTO institution_profiles (org_id, ownership, licence_no, capacity) VALUES (${orgId}, 'public', '滇民养第001号', 50)`,
  );
  const [b] = await queryRows<{ id: string }>(
    w.s.ctx.db,
    sql`INSERT INTO institution_buildings (org_id, name) VALUES (${orgId}, '1号楼') RETURNING id`,
  );
  const [f] = await queryRows<{ id: string }>(
    w.s.ctx.db,
    sql`INSERT INTO institution_floors (building_id, name, level) VALUES (${b.id}, '2层', 2) RETURNING id`,
  );
  const [rm] = await queryRows<{ id: string }>(
    w.s.ctx.db,
    sql`INSERT INTO institution_rooms (floor_id, name) VALUES (${f.id}, '201') RETURNING id`,
  );
  const [adm] = await queryRows<{ id: string }>(
    w.s.ctx.db,
    sql`INSERT INTO admissions (org_id, elder_id, status, applied_on) VALUES (${orgId}, ${people.a1.id}, 'admitted', CURRENT_DATE) RETURNING id`,
  );
  await w.s.ctx.db.execute(sql`INSERT INTO beds (room_id, org_id, label, nursing, status, admission_id) VALUES
    (${rm.id}, ${orgId}, '201-1', true, 'occupied', ${adm.id}), (${rm.id}, ${orgId}, '201-2', false, 'free', NULL)`);
  const [item] = await queryRows<{ id: string }>(
    w.s.ctx.db,
    sql`INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points)
      VALUES ('bath_help', 'daily_care', '助浴', 'visit', 60, 5000, 6000, 50) RETURNING id`,
  );
  await w.s.ctx.db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points)
    VALUES ('SO-1', ${people.a1.id}, ${TREE.communityA1}, ${item.id}, 'console', 'created', '2026-03-05T02:00:00Z', 60, 'points', 50),
           ('SO-2', ${people.b1.id}, ${TREE.communityB1}, ${item.id}, 'elder', 'created', '2026-03-06T02:00:00Z', 60, 'self', 0)`);
}, 90_000);
afterAll(() => w.s.close());

describe('export layouts round-trip', () => {
  it.each(['csv', 'xlsx', 'json'] as const)(
    'elders as %s: every elder of the district, column by column as in the database',
    async (format) => {
      const rows = await exported(w.district, 'elders', format);
      const expected = await expectedElders(TREE.district);
      expect(
        rows.map(({ updatedAt, ...r }) => (expect(updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/), r)),
      ).toEqual(expected);
      // The full ID number, as the layout requires (the key the provincial system matches on).
      expect(rows.find((r) => r.elderId === people.a1.id)?.idNumber).toBe(people.a1.idNumber);
      expect(rows.find((r) => r.elderId === people.a1.id)).toMatchObject({ name: '欧阳,秀"英', categories: 'dibao;centenarian' });
    },
  );

  it('institutions, beds, services and subsidies carry the rows of the database', async () => {
    const inst = await exported(w.district, 'institutions', 'json');
    expect(inst).toEqual([
      expect.objectContaining({
        orgId,
        name: '安康养老院',
        ownership: 'public',
        licenceNo: '滇民养第001号',
        capacity: '50',
        bedsInService: '2',
        bedsOccupied: '1',
        status: 'active',
      }),
    ]);
    const beds = await exported(w.district, 'beds', 'csv');
    expect(beds.map((b) => [b.label, b.building, b.floor, b.room, b.nursing, b.status, b.elderId]).sort()).toEqual([
      ['201-1', '1号楼', '2层', '201', '1', 'occupied', people.a1.id],
      ['201-2', '1号楼', '2层', '201', '0', 'free', null],
    ]);
    const services = await exported(w.district, 'services', 'xlsx');
    expect(services.map((s) => s.orderNo).sort()).toEqual(['SO-1', 'SO-2']);
    expect(services.find((s) => s.orderNo === 'SO-1')).toMatchObject({
      elderId: people.a1.id,
      itemCode: 'bath_help',
      itemName: '助浴',
      channel: 'console',
      status: 'created',
      scheduledAt: '2026-03-05T10:00:00+08:00',
      servedAt: null,
      payment: 'points',
      points: '50',
      amountFen: '0',
    });
    const subsidies = await exported(w.district, 'subsidies', 'json');
    expect(subsidies).toEqual([
      expect.objectContaining({
        kind: 'allowance',
        elderId: people.a1.id,
        month: m1,
        amount: '10000',
        unit: 'fen',
        status: 'paid',
      }),
    ]);
  });

  it('no other dataset carries an ID number; the export is audited and in the history', async () => {
    for (const d of ['institutions', 'beds', 'services', 'subsidies'] as const) {
      const res = await w.district.get(exportUrl({ dataset: d, format: 'csv' }));
      for (const p of Object.values(people)) expect(res.body).not.toContain(p.idNumber);
    }
    const [audit] = await queryRows<{ action: string; detail: Record<string, unknown> }>(
      w.s.ctx.db,
      sql`SELECT action, detail FROM audit_log WHERE action = 'exchange.export' AND detail->>'dataset' = 'elders' ORDER BY at DESC LIMIT 1`,
    );
    expect(audit.detail).toMatchObject({ dataset: 'elders', personalData: true });
    expect(JSON.stringify(audit.detail)).not.toContain(people.a1.idNumber);
    const h = await w.district.get('/api/v1/data-exchange/history?limit=50');
    expect(h.statusCode).toBe(200);
    const elderExports = h
      .json()
      .items.filter((i: { dataset: string; direction: string }) => i.dataset === 'elders' && i.direction === 'export');
    expect(elderExports.length).toBeGreaterThanOrEqual(3);
    expect(elderExports[0]).toMatchObject({ format: 'json', mode: 'download', rows: 4, regionCode: TREE.district });
  });
});

describe('incremental and scoped', () => {
  it('since leaves out the rows changed before that China day', async () => {
    const all = await exported(w.district, 'elders', 'json');
    const recent = await exported(w.district, 'elders', 'json', { since: '2025-06-01' });
    expect(all.map((r) => r.elderId)).toContain(people.old.id);
    expect(recent.map((r) => r.elderId)).not.toContain(people.old.id);
    expect(recent).toHaveLength(all.length - 1);
    // The day is China's: a change at 2024-12-31T16:00Z is on 2025-01-01 in China.
    await w.s.ctx.db.execute(sql`UPDATE elders SET updated_at = '2024-12-31T16:00:00Z' WHERE id = ${people.old.id}`);
    expect((await exported(w.district, 'elders', 'csv', { since: '2025-01-01' })).map((r) => r.elderId)).toContain(people.old.id);
    expect((await exported(w.district, 'elders', 'csv', { since: '2025-01-02' })).map((r) => r.elderId)).not.toContain(
      people.old.id,
    );
  });

  it('a street narrows the export; a region outside the district is 404; only district roles may export', async () => {
    const streetB = await exported(w.district, 'elders', 'csv', { regionCode: TREE.streetB });
    expect(streetB.map((r) => r.elderId)).toEqual([people.b1.id]);
    const servicesA = await exported(w.district, 'services', 'json', { regionCode: TREE.streetA });
    expect(servicesA.map((s) => s.orderNo)).toEqual(['SO-1']);
    expect((await w.district.get(exportUrl({ dataset: 'elders', format: 'csv', regionCode: '990102' }))).statusCode).toBe(404);
    expect((await w.district.get(exportUrl({ dataset: 'elders', format: 'csv', regionCode: '990101009' }))).statusCode).toBe(404);
    // Street and community staff read elders, but not the whole district's export.
    expect((await w.street.get(exportUrl({ dataset: 'elders', format: 'csv' }))).statusCode).toBe(403);
    expect((await w.community.get(exportUrl({ dataset: 'elders', format: 'csv' }))).statusCode).toBe(403);
    expect((await w.street.get('/api/v1/data-exchange/history')).statusCode).toBe(403);
    // Another district's admin sees none of these elders.
    await w.s.ctx.db.execute(
      sql`INSERT INTO regions (code, parent_code, level, name) VALUES ('990102', NULL, 'district', '邻区') ON CONFLICT DO NOTHING`,
    );
    const other = (await clientAs(w.s.app, w.s.ctx, 'district_admin', { regionCode: '990102' })).api;
    expect(await exported(other, 'elders', 'csv')).toEqual([]);
  });

  it('bad parameters are a 400 naming the field', async () => {
    for (const q of <Array<Record<string, string>>>[
      { dataset: 'pets', format: 'csv' },
      { dataset: 'elders', format: 'pdf' },
      { dataset: 'elders', format: 'csv', since: '2025-02-30' },
      { dataset: 'elders', format: 'csv', regionCode: '99' },
    ]) {
      const res = await w.district.get(exportUrl(q));
      expect(res.statusCode, JSON.stringify(q)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('a large export', () => {
  it('pages through batches of 1,000 without losing or repeating a row, in every format', async () => {
    // 2,345 elders in a district of their own: three batches, the last one partial.
    await w.s.ctx.db.execute(sql`INSERT INTO regions (code, parent_code, level, name) VALUES
      ('990103', NULL, 'district', '大区'), ('990103001', '990103', 'street', '大街道'), ('990103001001', '990103001', 'community', '大社区')
      ON CONFLICT DO NOTHING`);
    const ids = new Set<string>();
    for (let k = 0; k < 2345; k += 500) {
      const rows = Array.from({ length: Math.min(500, 2345 - k) }, (_, j) => {
        const idNumber = buildIdNumber(
          '990103',
          `19${40 + ((k + j) % 20)}-0${1 + ((k + j) % 9)}-1${(k + j) % 10}`,
          (k + j) % 500,
          'male',
        );
        ids.add(idNumber);
        return {
          name: `批量${k + j}`,
          idNumberEnc: w.s.ctx.cipher.encrypt(idNumber),
          idNumberHash: w.s.ctx.cipher.blindIndex(idNumber, 'id_number'),
          birthDate: '1945-01-01',
          sex: 'male' as const,
          regionCode: '990103001001',
        };
      });
      await w.s.ctx.db.insert(elders).values(rows);
    }
    const big = (await clientAs(w.s.app, w.s.ctx, 'district_admin', { regionCode: '990103' })).api;
    for (const format of ['csv', 'json', 'xlsx'] as const) {
      const rows = await exported(big, 'elders', format);
      expect(rows).toHaveLength(2345);
      expect(new Set(rows.map((r) => r.elderId)).size).toBe(2345);
      expect(new Set(rows.map((r) => r.idNumber))).toEqual(ids);
    }
    const h = (await big.get('/api/v1/data-exchange/history')).json();
    expect(h.items.map((i: { rows: number }) => i.rows)).toEqual([2345, 2345, 2345]);
  }, 120_000);
});

describe('region code import', () => {
  const file = (rows: Array<[string, string]>) => writeXlsx('区划', ['区划代码', '名称'], rows);
  const regionName = async (code: string) =>
    (await queryRows<{ name: string }>(w.s.ctx.db, sql`SELECT name FROM regions WHERE code = ${code}`))[0]?.name ?? null;

  it('a dry run shows the changes and writes nothing; apply writes them; the same file again changes nothing', async () => {
    const data = await file([
      [TREE.communityA1, '甲一社区'],
      [TREE.communityA2, '甲二新社区'],
      ['990101001003', '甲三社区'],
      ['990101003', '丙街道'],
      ['990101003001', '丙一社区'],
    ]);
    const pre = await upload(w.district, '/api/v1/data-exchange/imports/preview?kind=regions', '区划.xlsx', data);
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json()).toMatchObject({ applied: false, rows: 5, changes: 4, unchanged: 1 });
    expect(
      pre.json().changesList.map((c: { key: string; action: string; detail: string | null }) => [c.key, c.action, c.detail]),
    ).toEqual([
      [TREE.communityA1, 'unchanged', null],
      [TREE.communityA2, 'rename', '甲二社区'],
      ['990101001003', 'create', null],
      ['990101003', 'create', null],
      ['990101003001', 'create', null],
    ]);
    expect(await regionName('990101001003')).toBeNull();
    expect(await regionName(TREE.communityA2)).toBe('甲二社区');

    const app = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=regions', '区划.xlsx', data);
    expect(app.statusCode, app.body).toBe(200);
    expect(app.json()).toMatchObject({ applied: true, changes: 4 });
    expect(await regionName('990101003001')).toBe('丙一社区');
    expect(await regionName(TREE.communityA2)).toBe('甲二新社区');

    const again = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=regions', '区划.xlsx', data);
    expect(again.json()).toMatchObject({ applied: true, changes: 0, unchanged: 5 });
  });

  it('bad rows: 422 naming each row, nothing written', async () => {
    const data = await file([
      ['990101001004', '甲四社区'],
      ['990101', '本区'],
      ['990102001', '邻区街道'],
      ['990101009001', '无上级社区'],
      ['990101001004', '重复'],
      ['990101001005', ''],
    ]);
    const res = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=regions', '区划.xlsx', data);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['row.3', 'row.4', 'row.5', 'row.6', 'row.7']);
    expect(await regionName('990101001004')).toBeNull();
    expect((await upload(w.street, '/api/v1/data-exchange/imports/preview?kind=regions', '区划.xlsx', data)).statusCode).toBe(
      403,
    );
  });
});

describe('death record import', () => {
  const file = (rows: string[][]) => writeXlsx('死亡名单', ['姓名', '身份证号', '死亡日期'], rows);
  const status = async (id: string) =>
    (await queryRows<{ status: string }>(w.s.ctx.db, sql`SELECT status FROM elders WHERE id = ${id}`))[0].status;

  it('a bad row refuses the whole file: 422 per row, nobody marked deceased', async () => {
    const data = await file([
      ['李德明', people.a2.idNumber, `${m1}-03`],
      ['错号', '110101193001010011', `${m1}-03`],
      ['乙街老人', people.b1.idNumber, '2099-01-01'],
      ['别人', people.a2.idNumber.replace(/.$/, 'X'), `${m1}-03`],
    ]);
    const res = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=deaths&source=police', '死亡.xlsx', data);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['row.3', 'row.4', 'row.5']);
    expect(res.body).not.toContain(people.a2.idNumber);
    expect(await status(people.a2.id)).toBe('active');
    // A name that does not match the archive is refused too (a wrong ID number must not mark someone else dead).
    const wrong = await upload(
      w.district,
      '/api/v1/data-exchange/imports/preview?kind=deaths&source=police',
      '死亡.xlsx',
      await file([['张冠李戴', people.a2.idNumber, `${m1}-03`]]),
    );
    expect(wrong.statusCode).toBe(422);
    expect((await upload(w.district, '/api/v1/data-exchange/imports/preview?kind=deaths', '死亡.xlsx', data)).statusCode).toBe(
      400,
    );
  });

  it('dry run, then apply: the elder is deceased and the allowance stopped; the same file again changes nothing', async () => {
    const data = await file([
      ['欧阳,秀"英', people.a1.idNumber, `${m2}-10`],
      ['无档案', '110101193001010018', `${m2}-03`],
    ]);
    const pre = await upload(w.district, '/api/v1/data-exchange/imports/preview?kind=deaths&source=health', '死亡.xlsx', data);
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json()).toMatchObject({ applied: false, rows: 2, changes: 1, unchanged: 1 });
    expect(pre.json().changesList).toEqual([
      {
        row: 2,
        action: 'record',
        key: maskIdNumber(people.a1.idNumber),
        name: '欧阳,秀"英',
        detail: `${m2}-10`,
        stopsAllowance: true,
      },
      {
        row: 3,
        action: 'unmatched',
        key: maskIdNumber('110101193001010018'),
        name: null,
        detail: `${m2}-03`,
        stopsAllowance: false,
      },
    ]);
    expect(pre.body).not.toContain(people.a1.idNumber);
    expect(await status(people.a1.id)).toBe('active');

    const app = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=deaths&source=health', '死亡.xlsx', data);
    expect(app.statusCode, app.body).toBe(200);
    expect(app.json()).toMatchObject({ applied: true, changes: 1 });
    expect(await status(people.a1.id)).toBe('deceased');
    const [a] = await queryRows<{ status: string; suspend_reason: string; stopped_after: string }>(
      w.s.ctx.db,
      sql`SELECT status, suspend_reason, stopped_after FROM allowance_applications WHERE elder_id = ${people.a1.id}`,
    );
    expect(a).toMatchObject({ status: 'stopped', suspend_reason: 'death', stopped_after: m2 });
    // The line paid for the month after the death is flagged for recovery, and the subsidies export says so.
    const subsidies = await exported(w.district, 'subsidies', 'json');
    expect(subsidies[0]).toMatchObject({ month: m1, status: 'recovery_due' });

    const again = await upload(w.district, '/api/v1/data-exchange/imports/apply?kind=deaths&source=health', '死亡.xlsx', data);
    expect(again.json()).toMatchObject({ applied: true, changes: 0 });
    expect(again.json().changesList[0].action).toBe('already_recorded');
    const [{ n }] = await queryRows<{ n: number }>(
      w.s.ctx.db,
      sql`SELECT count(*)::int AS n FROM elder_status_changes WHERE elder_id = ${people.a1.id}`,
    );
    expect(n).toBe(1);
    const hist = (await w.district.get('/api/v1/data-exchange/history?limit=100')).json().items;
    expect(
      hist
        .filter((h: { dataset: string; mode: string }) => h.dataset === 'deaths' && h.mode === 'apply')
        .map((h: { changes: number }) => h.changes),
    ).toEqual([0, 1]);
  });
});
