import { buildIdNumber, idCheckChar } from '@zhiyang/shared';
import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { failStalledImports } from './elders.import.ts';
import { elderContacts, elderImports, elders } from './elders.schema.ts';

let s: TestServer;
let staff: Awaited<ReturnType<typeof clientAs>>;

const HEADERS = [
  '姓名*',
  '证件号码*',
  '出生日期',
  '联系电话',
  '居住社区编码*',
  '居住状况*',
  '政策对象类别',
  '紧急联系人',
  '联系人关系',
  '联系人电话',
];

function multipart(filename: string, data: Buffer) {
  const boundary = `----zy${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(filename: string, data: Buffer, token = staff.token) {
  const m = multipart(filename, data);
  return s.app.inject({
    method: 'POST',
    url: '/api/v1/elders/import?wait=true',
    payload: m.payload,
    headers: { ...m.headers, authorization: `Bearer ${token}` },
  });
}

async function xlsx(rows: Array<Array<string | { formula: string }>>, headers = HEADERS) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('老人档案');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const id = (n: number, birth = `1941-04-0${(n % 9) + 1}`) => buildIdNumber('990101', birth, 300 + n, n % 2 ? 'male' : 'female');
const countElders = async () => (await s.ctx.db.select().from(elders)).length;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.streetA });
});
afterAll(() => s.close());

describe('import template', () => {
  it('has Chinese headers and a code sheet with the communities in scope', async () => {
    const res = await staff.api.get('/api/v1/elders/import/template');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['老人档案', '代码表']);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('姓名*');
    const codes: string[] = [];
    wb.worksheets[1].eachRow((r) => codes.push(String(r.getCell(3).value)));
    expect(codes).toContain(TREE.communityA1);
    expect(codes).not.toContain(TREE.communityB1);
  });
});

describe('importing', () => {
  it('imports good rows, reports each bad row in Chinese, and updates on re-import', async () => {
    const wrongCheck = (() => {
      const b = '99010119420315777';
      return b + (idCheckChar(b) === '1' ? '2' : '1');
    })();
    const rows = [
      ['王桂兰', id(1), '', '13811112222', TREE.communityA1, '独居', '低保；百岁老人', '王强', '子女', '13911112222'],
      ['李德明', id(2), '', '', TREE.communityA2, '空巢', '', '', '', ''],
      ['错校验', wrongCheck, '', '', TREE.communityA1, '独居', '', '', '', ''],
      ['错日期', id(3, '1942-03-05'), '1942-03-06', '', TREE.communityA1, '独居', '', '', '', ''],
      ['越界', id(4), '', '', TREE.communityB1, '独居', '', '', '', ''],
      ['无社区', id(5), '', '', '990101001999', '独居', '', '', '', ''],
      ['坏代码', id(6), '', '', TREE.communityA1, '住在月球', '', '', '', ''],
      ['重复', id(1), '', '', TREE.communityA1, '独居', '', '', '', ''],
    ];
    const res = await upload('老人.xlsx', await xlsx(rows));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'done',
      totalRows: 8,
      processedRows: 8,
      createdCount: 2,
      updatedCount: 0,
      errorCount: 6,
    });

    const report = await staff.api.get(`/api/v1/elders/imports/${res.json().id}/errors`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const lines: string[] = [];
    wb.worksheets[0].eachRow((r, n) => n > 1 && lines.push(`${r.getCell(1).value}|${r.getCell(3).value}`));
    expect(lines).toEqual(
      expect.arrayContaining([
        '4|身份证号校验位错误',
        '5|出生日期与身份证号不一致（身份证号为1942-03-05）',
        '6|居住社区编码不存在或不在您的辖区',
        '7|居住社区编码不存在或不在您的辖区',
        '8|居住状况“住在月球”不在代码表中',
        '9|与第2行证件号码重复',
      ]),
    );

    const [wang] = await s.ctx.db.select().from(elders).where(eq(elders.name, '王桂兰'));
    expect(wang.categories).toEqual(['dibao', 'centenarian']);
    expect(wang.nameInitials).toBe('wgl');
    expect(await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id))).toHaveLength(1);

    // Re-import: same ID numbers update, nothing is duplicated.
    const again = await upload(
      '老人.xlsx',
      await xlsx([['王桂兰', id(1), '', '13811113333', TREE.communityA1, '与家人同住', '低保', '王强', '子女', '13911112222']]),
    );
    expect(again.json()).toMatchObject({ createdCount: 0, updatedCount: 1, errorCount: 0 });
    const [after] = await s.ctx.db.select().from(elders).where(eq(elders.id, wang.id));
    expect(after.livingSituation).toBe('with_family');
    expect(await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id))).toHaveLength(1);
    expect(await s.ctx.db.select().from(elders).where(eq(elders.name, '王桂兰'))).toHaveLength(1);
  });

  it('reads a real CSV too', async () => {
    const csv = `${HEADERS.join(',')}\n赵淑芬,${id(20)},,,${TREE.communityA1},独居,,,,\n`;
    const res = await upload('elders.csv', Buffer.from(csv));
    expect(res.json()).toMatchObject({ createdCount: 1, errorCount: 0 });
  });
});

describe('hostile files are refused whole, with nothing written', () => {
  it.each([
    [
      'a CSV renamed to .xlsx',
      'x.xlsx',
      async () => Buffer.from(`${HEADERS.join(',')}\n甲,${id(30)},,,${TREE.communityA1},独居,,,,\n`),
      /CSV/,
    ],
    [
      'a broken workbook',
      'x.xlsx',
      async () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(500, 7)]),
      /cannot be read/,
    ],
    [
      'formulas in cells',
      'x.xlsx',
      async () =>
        xlsx([
          ['甲', id(31), '', '', TREE.communityA1, '独居', '', '', '', ''],
          ['乙', { formula: 'HYPERLINK("http://evil","x")' }, '', '', TREE.communityA1, '独居', '', '', '', ''],
        ]),
      /公式/,
    ],
    [
      'a CSV formula injection',
      'x.csv',
      async () => Buffer.from(`${HEADERS.join(',')}\n=cmd|' /C calc'!A0,${id(32)},,,${TREE.communityA1},独居,,,,\n`),
      /公式/,
    ],
    [
      'too many rows',
      'x.csv',
      async () => Buffer.from(`${HEADERS.join(',')}\n${`甲,${id(33)},,,${TREE.communityA1},独居,,,,\n`.repeat(100_001)}`),
      /100000 rows/,
    ],
    ['missing required headers', 'x.xlsx', async () => xlsx([['甲']], ['名字']), /必填列/],
    ['an empty file', 'x.xlsx', async () => Buffer.alloc(0), /empty/],
    ['another file type', 'x.pdf', async () => Buffer.from('%PDF-1.4'), /xlsx/],
  ])('%s', async (_label, filename, make, message) => {
    const before = await countElders();
    const imports = (await s.ctx.db.select().from(elderImports)).length;
    const res = await upload(filename, await make());
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().detail).toMatch(message);
    expect(await countElders()).toBe(before);
    expect((await s.ctx.db.select().from(elderImports)).length).toBe(imports);
  });

  it('refuses an import without the permission', async () => {
    const operator = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    expect((await upload('x.csv', Buffer.from('a'), operator.token)).statusCode).toBe(403);
  });
});

describe('export', () => {
  it('exports the filtered list masked, and in full only for a role that may reveal', async () => {
    const res = await staff.api.get('/api/v1/elders/export?q=wgl');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const row = wb.worksheets[0].getRow(2);
    expect(row.getCell(1).value).toBe('王桂兰');
    expect(String(row.getCell(3).value)).toMatch(/^990101\*{8}/);
    expect(row.getCell(7).value).toBe('138****3333');
    expect(wb.worksheets[0].rowCount).toBe(2);

    const full = await staff.api.get('/api/v1/elders/export?q=wgl&reveal=true');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(full.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0].getRow(2).getCell(3).value).toBe(id(1));
    const responder = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.streetA });
    expect((await responder.api.get('/api/v1/elders/export?reveal=true')).statusCode).toBe(403);
  });
});

describe('an import cut off by a restart', () => {
  it('is marked failed once it has made no progress for 10 minutes; a live one is left alone', async () => {
    const [stalled] = await s.ctx.db
      .insert(elderImports)
      .values({ filename: 'old.xlsx', progressAt: new Date(Date.now() - 11 * 60_000) })
      .returning();
    const [live] = await s.ctx.db.insert(elderImports).values({ filename: 'new.xlsx' }).returning();
    expect(await failStalledImports(s.ctx)).toBe(1);
    const rows = await s.ctx.db
      .select()
      .from(elderImports)
      .where(inArray(elderImports.id, [stalled.id, live.id]));
    const byName = Object.fromEntries(rows.map((r) => [r.filename, r]));
    expect(byName['old.xlsx'].status).toBe('failed');
    expect(byName['old.xlsx'].failure).toContain('重新导入');
    expect(byName['new.xlsx'].status).toBe('running');
  });
});
