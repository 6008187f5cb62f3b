import { buildIdNumber, idCheckChar } from '@zhiyang/shared';
import { eq, inArray, like } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../lib/actor.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { failStalledImports, startImport } from './elders.import.ts';
import { encodeRows, type RawRow } from './elders.import-rows.ts';
import { type EncodeResult, importPool } from './elders.import-tasks.ts';
import { sealElderPrivate } from './elders.private.ts';
import { elderContacts, elderImports, elders } from './elders.schema.ts';
import { SHEET_COLUMNS, type SheetKey } from './elders.sheet.ts';

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

    // A new contact phone in a re-import goes to the end of the call list; the one already there stays once.
    const third = await upload(
      '老人.xlsx',
      await xlsx([['王桂兰', id(1), '', '13811113333', TREE.communityA1, '与家人同住', '低保', '王芳', '子女', '13911114444']]),
    );
    expect(third.json()).toMatchObject({ createdCount: 0, updatedCount: 1, errorCount: 0 });
    const calls = await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id));
    expect(calls.map((c) => [c.name, c.callOrder]).sort()).toEqual([
      ['王强', 1],
      ['王芳', 2],
    ]);

    // The same file again (the roster uploaded twice): the record is not written, it is counted
    // as unchanged, and nothing about it moves.
    const thirdFile = await xlsx([
      ['王桂兰', id(1), '', '13811113333', TREE.communityA1, '与家人同住', '低保', '王芳', '子女', '13911114444'],
    ]);
    const [beforeSame] = await s.ctx.db.select().from(elders).where(eq(elders.id, wang.id));
    const same = await upload('老人.xlsx', thirdFile);
    expect(same.json()).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: 1, errorCount: 0 });
    const [afterSame] = await s.ctx.db.select().from(elders).where(eq(elders.id, wang.id));
    expect(afterSame).toEqual(beforeSame);
    expect(await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id))).toHaveLength(2);

    // Changed in the console since: the same file writes the record again and restores the
    // spreadsheet's values, as a re-import always did. A colleague imports it this time: the
    // record still names who created it.
    expect((await staff.api.patch(`/api/v1/elders/${wang.id}`, { livingSituation: 'alone' })).statusCode).toBe(200);
    const colleague = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.streetA });
    const restored = await upload('老人.xlsx', thirdFile, colleague.token);
    expect(restored.json()).toMatchObject({ createdCount: 0, updatedCount: 1, unchangedCount: 0, errorCount: 0 });
    const [afterRestore] = await s.ctx.db.select().from(elders).where(eq(elders.id, wang.id));
    expect(afterRestore.livingSituation).toBe('with_family');
    expect(afterRestore.createdBy).toBe(staff.account.id);
    // A contact deleted in the console comes back with the file, unchanged row or not.
    const [wangFang] = (await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id))).filter(
      (c) => c.name === '王芳',
    );
    expect((await staff.api.delete(`/api/v1/elders/${wang.id}/contacts/${wangFang.id}`)).statusCode).toBe(200);
    expect((await upload('老人.xlsx', thirdFile)).json()).toMatchObject({ updatedCount: 0, unchangedCount: 1 });
    expect(
      (await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, wang.id))).map((c) => c.name).sort(),
    ).toEqual(['王强', '王芳']);

    // An ID number archived in another area is reported, and that record is not touched.
    const streetB = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.streetB });
    const [li] = await s.ctx.db.select().from(elders).where(eq(elders.name, '李德明'));
    const other = await upload(
      '老人.xlsx',
      await xlsx([
        ['李德明', id(2), '', '', TREE.communityB1, '独居', '', '李刚', '子女', '13911115555'],
        ['孙玉珍', id(7), '', '', TREE.communityB1, '独居', '', '', '', ''],
      ]),
      streetB.token,
    );
    expect(other.json()).toMatchObject({ processedRows: 2, createdCount: 1, updatedCount: 0, errorCount: 1 });
    const otherReport = await streetB.api.get(`/api/v1/elders/imports/${other.json().id}/errors`);
    const otherWb = new ExcelJS.Workbook();
    await otherWb.xlsx.load(otherReport.rawPayload as unknown as ArrayBuffer);
    expect(otherWb.worksheets[0].getRow(2).values).toEqual([
      undefined,
      2,
      '证件号码',
      '该证件号码已在其他辖区建档，请联系上级部门',
    ]);
    const [liAfter] = await s.ctx.db.select().from(elders).where(eq(elders.id, li.id));
    expect(liAfter).toEqual(li);
    expect(await s.ctx.db.select().from(elderContacts).where(eq(elderContacts.elderId, li.id))).toHaveLength(0);
  });

  it('reads a real CSV too', async () => {
    const csv = `${HEADERS.join(',')}\n赵淑芬,${id(20)},,,${TREE.communityA1},独居,,,,\n`;
    const res = await upload('elders.csv', Buffer.from(csv));
    expect(res.json()).toMatchObject({ createdCount: 1, errorCount: 0 });
  });
});

describe('rows are read, checked and encoded in worker threads', () => {
  it('the worker encodes exactly as the main thread does, and search finds the imported elders by name, initials and ID number', async () => {
    const columns: Array<[SheetKey, number]> = [
      ['name', 0],
      ['idNumber', 1],
      ['phone', 2],
      ['regionCode', 3],
      ['livingSituation', 4],
      ['contactName', 5],
      ['contactPhone', 6],
    ];
    const rows: RawRow[] = [
      [2, ['欧阳秀英', id(40), '13811114040', TREE.communityA1, '独居', '欧阳明', '139-1111-4040']],
      [3, ['吕桂兰', id(41), '', TREE.communityA2, '空巢', '', '']],
      [4, ['坏号码', '110101', '', TREE.communityA1, '独居', '', '']],
    ];
    const communities = [TREE.communityA1, TREE.communityA2];
    const batch = new TextEncoder().encode(JSON.stringify(rows)).buffer as ArrayBuffer;
    const inWorker = await importPool().run<EncodeResult>(
      'encode',
      { batch, cols: columns, communities, key: s.ctx.cipher.keyForWorker() },
      [batch],
    );
    const onMain = encodeRows(s.ctx.cipher, rows, columns, new Set(communities));
    expect(inWorker.rows).toBe(3);
    expect(inWorker.errors).toEqual(onMain.errors);
    expect(inWorker.errors.map((e) => e.row)).toEqual([4]);
    expect(inWorker.good).toHaveLength(2);
    const plain = (g: EncodeResult['good'][number]) => {
      const { idNumberEnc, phoneEnc, privateEnc, ...rest } = g.encoded;
      return {
        ...rest,
        private: s.ctx.cipher.decrypt(privateEnc),
        idNumber: s.ctx.cipher.decrypt(idNumberEnc),
        phone: phoneEnc && s.ctx.cipher.decrypt(phoneEnc),
        contact: g.contact && { ...g.contact, phoneEnc: s.ctx.cipher.decrypt(g.contact.phoneEnc) },
      };
    };
    // Blind indexes, pinyin and every plain column are equal; ciphertexts differ (random IVs) but open to the same values.
    expect(inWorker.good.map(plain)).toEqual(onMain.good.map(plain));
    expect(inWorker.good[0].encoded).toMatchObject({
      namePinyin: 'ouyangxiuying',
      nameInitials: 'oyxy',
      idNumberHash: s.ctx.cipher.blindIndex(id(40), 'id_number'),
      idTail4Hash: s.ctx.cipher.blindIndex(id(40).slice(-4), 'id_number'),
      phoneHash: s.ctx.cipher.blindIndex('13811114040', 'phone'),
    });
    expect(plain(inWorker.good[0]).contact?.phoneEnc).toBe('13911114040');

    // The same rows through the upload: the archive's search finds them.
    const headers = columns.map(([k]) => SHEET_COLUMNS.find((c) => c.key === k)?.header as string);
    const csv = [headers.join(','), ...rows.map(([, cells]) => cells.join(','))].join('\n');
    const res = await upload('workers.csv', Buffer.from(csv));
    expect(res.json()).toMatchObject({ status: 'done', createdCount: 2, errorCount: 1 });
    for (const q of ['欧阳秀英', 'oyxy', 'ouyang', id(40), id(40).slice(-4), '13811114040', '13911114040']) {
      const found = (await staff.api.get(`/api/v1/elders?q=${encodeURIComponent(q)}`)).json().items;
      expect(
        found.map((e: { name: string }) => e.name),
        q,
      ).toContain('欧阳秀英');
    }
    expect((await staff.api.get('/api/v1/elders?q=lgl')).json().items.map((e: { name: string }) => e.name)).toContain('吕桂兰');
  });

  it('shows progress before the end; an import cut off mid-way, uploaded again, leaves each elder once', async () => {
    const n = 1500;
    const lines = ['姓名*,证件号码*,居住社区编码*,居住状况*,紧急联系人,联系人电话'];
    for (let i = 0; i < n; i++)
      lines.push(
        `续导${i},${buildIdNumber('990101', `19${30 + (i % 20)}-0${(i % 9) + 1}-1${i % 10}`, 100 + Math.floor(i / 180), i % 2 ? 'male' : 'female')},${i % 2 ? TREE.communityA1 : TREE.communityA2},独居,家属${i},139${String(i).padStart(8, '0')}`,
      );
    const file = Buffer.from(lines.join('\n'));
    const mine = async () =>
      (await s.ctx.db.select({ id: elders.id }).from(elders).where(like(elders.name, '续导%'))).map((e) => e.id);
    const a = staff.account;
    const actor: Actor = {
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      role: 'community_staff',
      regionCode: a.regionCode,
      orgId: null,
    };

    // The import stops after its second chunk, as when its process dies there; until then the test holds it.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let chunks = 0;
    const first = await startImport(s.ctx, actor, 'resume.csv', file, {
      afterChunk: async () => {
        if (++chunks === 1) await held;
        if (chunks === 2) throw new Error('process stopped');
      },
    });
    expect(first).toMatchObject({ status: 'running', totalRows: n });
    const progress = () => staff.api.get(`/api/v1/elders/imports/${first.id}`).then((r) => r.json());
    // Progress shows while it runs: rows checked and written before the end.
    await expect.poll(async () => (await progress()).processedRows).toBeGreaterThan(0);
    const running = await progress();
    expect(running.status).toBe('running');
    expect(running.processedRows).toBeLessThan(n);
    expect(running.createdCount).toBe(running.processedRows);
    release();
    await expect.poll(async () => (await progress()).status).toBe('failed');
    const written = (await mine()).length;
    expect(written).toBeGreaterThan(running.processedRows);
    expect(written).toBeLessThan(n);
    expect((await progress()).createdCount).toBe(written);

    // Uploaded again: what was written is found unchanged (not written twice), the rest inserted;
    // nothing twice, one contact each.
    const again = await upload('resume.csv', file);
    expect(again.json()).toMatchObject({
      status: 'done',
      processedRows: n,
      createdCount: n - written,
      updatedCount: 0,
      unchangedCount: written,
      errorCount: 0,
    });
    const ids = await mine();
    expect(ids).toHaveLength(n);
    const contacts = await s.ctx.db
      .select({ elderId: elderContacts.elderId })
      .from(elderContacts)
      .where(inArray(elderContacts.elderId, ids));
    expect(contacts).toHaveLength(n);
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
    await s.ctx.db
      .update(elders)
      .set(sealElderPrivate(s.ctx.cipher, { address: '锦华路1号3栋2单元' }))
      .where(eq(elders.name, '王桂兰'));
    const res = await staff.api.get('/api/v1/elders/export?q=wgl');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const row = wb.worksheets[0].getRow(2);
    expect(row.getCell(1).value).toBe('王桂兰');
    expect(String(row.getCell(3).value)).toMatch(/^990101\*{8}/);
    expect(row.getCell(7).value).toBe('138****3333');
    expect(row.getCell(10).value).toBe('锦华路****');
    expect(wb.worksheets[0].rowCount).toBe(2);

    const full = await staff.api.get('/api/v1/elders/export?q=wgl&reveal=true');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(full.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0].getRow(2).getCell(3).value).toBe(id(1));
    expect(wb2.worksheets[0].getRow(2).getCell(10).value).toBe('锦华路1号3栋2单元');
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
