import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, wrapPglite } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createTestDatabase } from '../../testing/db.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditRowHash, GENESIS_HASH, sealAll, sealAudit, sealHash, verifyAuditChain } from './audit.chain.ts';
import { recordAudit } from './audit.service.ts';

// The web role only: no background sealer, so each test seals exactly when it says so.
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { roles: new Set(['web']) } });
  await seedTree(s.ctx);
});
afterAll(() => s.close());

const seal = () => sealAll(s.ctx.db, { block: true });
const verify = () => verifyAuditChain(s.ctx.db);
const ids = async (action: string) =>
  (await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM audit_log WHERE action = ${action} ORDER BY id`)).map((r) =>
    Number(r.id),
  );
/** Run SQL as a superuser with the append-only triggers off — what an attacker with the database would do. */
async function behindItsBack(statements: string[]) {
  await s.ctx.database.exec(
    ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update', 'ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_no_update']
      .concat(statements, [
        'ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update',
        'ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_no_update',
      ])
      .join(';\n'),
  );
}
async function writeRows(action: string, n: number) {
  for (let i = 0; i < n; i++) await recordAudit(s.ctx.db, { actor: null, action, targetId: String(i), detail: { i } });
  return ids(action);
}

describe('audit chain with a sealer', () => {
  it('shows rows in the audit log before they are sealed, and reports them as unsealed', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    await seal();
    const created = await admin.api.post('/api/v1/users', {
      username: 'unsealed-user',
      displayName: 'U',
      role: 'operator',
      regionCode: TREE.district,
    });
    const id = created.json().user.id;
    const rows = (await admin.api.get(`/api/v1/audit-log?targetType=user&targetId=${id}`)).json().items;
    expect(rows).toHaveLength(1);
    const before = (await admin.api.get('/api/v1/audit-log/verify')).json();
    // Unsealed but young: not a problem yet.
    expect(before.ok).toBe(true);
    expect(before.unsealed.count).toBeGreaterThanOrEqual(1);
    expect(before.unsealed.stale).toBe(0);
    expect(before.sealedThrough).toBeLessThan(rows[0].id);
    // Older than the sealing delay and still unsealed: reported.
    const late = await verifyAuditChain(s.ctx.db, { now: new Date(Date.now() + 60_000) });
    expect(late.ok).toBe(false);
    expect(late.brokenAt).toBeUndefined();
    expect(late.unsealed.stale).toBe(late.unsealed.count);
    await seal();
    const after = (await admin.api.get('/api/v1/audit-log/verify')).json();
    expect(after).toMatchObject({ ok: true, unsealed: { count: 0, stale: 0 } });
    expect(after.sealedThrough).toBeGreaterThanOrEqual(rows[0].id);
    expect((await admin.api.get(`/api/v1/audit-log?targetType=user&targetId=${id}`)).json().items).toHaveLength(1);
  });

  it('seals the number of a rolled-back write as a gap, and the chain stays valid', async () => {
    const burned: number[] = [];
    await expect(
      s.ctx.db.transaction(async (tx) => {
        await recordAudit(tx, { actor: null, action: 'test.rolled-back' });
        burned.push(Number((await queryRows<{ id: string }>(tx, sql`SELECT max(id) AS id FROM audit_log`))[0].id));
        throw new Error('change refused');
      }),
    ).rejects.toThrow('change refused');
    const [after] = await writeRows('test.after-gap', 1);
    const r = await seal();
    expect(r.gaps).toBeGreaterThanOrEqual(1);
    const [gap] = await queryRows<{ kind: string }>(s.ctx.db, sql`SELECT kind FROM audit_seals WHERE id = ${burned[0]}`);
    expect(gap.kind).toBe('gap');
    const v = await verify();
    expect(v).toMatchObject({ ok: true, sealedThrough: after });
    expect(await ids('test.rolled-back')).toEqual([]);
  });

  it('detects a row changed behind its back', async () => {
    const [a] = await writeRows('test.tamper', 1);
    await seal();
    await behindItsBack([`UPDATE audit_log SET detail = '{"i": 99}' WHERE id = ${a}`]);
    expect((await verify()).brokenAt).toEqual({ id: a, reason: 'hash' });
    await behindItsBack([`UPDATE audit_log SET detail = '{"i": 0}' WHERE id = ${a}`]);
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted row, and a row deleted together with its chain entry', async () => {
    const [a, b] = await writeRows('test.delete', 2);
    await seal();
    const saved = `INSERT INTO audit_log SELECT * FROM audit_log_saved`;
    await behindItsBack([
      `CREATE TABLE audit_log_saved AS SELECT * FROM audit_log WHERE id = ${a}`,
      `DELETE FROM audit_log WHERE id = ${a}`,
    ]);
    expect((await verify()).brokenAt).toEqual({ id: a, reason: 'missing' });
    await behindItsBack([
      `CREATE TABLE audit_seals_saved AS SELECT * FROM audit_seals WHERE id = ${a}`,
      `DELETE FROM audit_seals WHERE id = ${a}`,
    ]);
    expect((await verify()).brokenAt).toEqual({ id: a, reason: 'missing' });
    // Even with the ids closed up (b moved to a's number), the links give it away.
    await behindItsBack([`UPDATE audit_seals SET id = ${a} WHERE id = ${b}`, `UPDATE audit_log SET id = ${a} WHERE id = ${b}`]);
    expect((await verify()).ok).toBe(false);
    await behindItsBack([
      `UPDATE audit_log SET id = ${b} WHERE id = ${a}`,
      `UPDATE audit_seals SET id = ${b} WHERE id = ${a}`,
      saved,
      'INSERT INTO audit_seals SELECT * FROM audit_seals_saved',
      'DROP TABLE audit_log_saved',
      'DROP TABLE audit_seals_saved',
    ]);
    expect((await verify()).ok).toBe(true);
  });

  it('detects two rows swapped (a reorder)', async () => {
    const [a, b] = await writeRows('test.reorder', 2);
    await seal();
    const swap = [
      `UPDATE audit_log SET id = -1 WHERE id = ${a}`,
      `UPDATE audit_log SET id = ${a} WHERE id = ${b}`,
      `UPDATE audit_log SET id = ${b} WHERE id = -1`,
    ];
    await behindItsBack(swap);
    expect((await verify()).brokenAt).toEqual({ id: a, reason: 'hash' });
    await behindItsBack(swap);
    expect((await verify()).ok).toBe(true);
  });

  it('detects a row slipped into a gap and a chain entry whose link was changed', async () => {
    await expect(
      s.ctx.db.transaction(async (tx) => {
        await recordAudit(tx, { actor: null, action: 'test.gap-to-fill' });
        throw new Error('no');
      }),
    ).rejects.toThrow();
    await writeRows('test.after-gap-2', 1);
    await seal();
    const [{ id: gap }] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`SELECT max(id) AS id FROM audit_seals WHERE kind = 'gap'`,
    );
    await behindItsBack([`INSERT INTO audit_log (id, at, action, outcome) VALUES (${gap}, now(), 'forged.entry', 'ok')`]);
    expect((await verify()).brokenAt).toEqual({ id: Number(gap), reason: 'unexpected' });
    await behindItsBack([`DELETE FROM audit_log WHERE id = ${gap}`]);
    expect((await verify()).ok).toBe(true);
    const [c] = await writeRows('test.relink', 1);
    await seal();
    const [{ prev_hash: link }] = await queryRows<{ prev_hash: string }>(
      s.ctx.db,
      sql`SELECT prev_hash FROM audit_seals WHERE id = ${c}`,
    );
    await behindItsBack([`UPDATE audit_seals SET prev_hash = '${GENESIS_HASH}' WHERE id = ${c}`]);
    expect((await verify()).brokenAt).toEqual({ id: c, reason: 'prev_hash' });
    await behindItsBack([`UPDATE audit_seals SET prev_hash = '${link}' WHERE id = ${c}`]);
    expect((await verify()).ok).toBe(true);
  });
});

describe('two app instances writing at once', () => {
  it('end in one valid chain, each sealing while the other writes', async () => {
    const base = await startTestServer({ config: { roles: new Set(['web']) } });
    // A second instance on the same database: another connection pool on PostgreSQL (as a second
    // process would have), the same embedded database on PGlite.
    const other =
      base.database.kind === 'postgres'
        ? await openDatabase({ databaseUrl: base.database.url, poolSize: 5 })
        : wrapPglite(base.database.pglite as NonNullable<typeof base.database.pglite>);
    const second = await startTestServer({
      config: { roles: new Set(['web']) },
      database: { ...other, drop: async () => {} },
    });
    try {
      await seedTree(base.ctx);
      const admins = await Promise.all(
        [base, second].map((srv) => clientAs(srv.app, srv.ctx, 'district_admin', { regionCode: null })),
      );
      const writes = admins.flatMap((admin, k) =>
        Array.from({ length: 15 }, (_, i) =>
          admin.api.post('/api/v1/users', {
            username: `pair-${k}-${i}`,
            displayName: 'P',
            role: 'operator',
            regionCode: TREE.district,
          }),
        ),
      );
      const sealing = [base, second].flatMap((srv) => Array.from({ length: 5 }, () => sealAudit(srv.ctx.db)));
      const answers = await Promise.all(writes);
      expect(answers.every((r) => r.statusCode === 201)).toBe(true);
      await Promise.all(sealing);
      await sealAll(second.ctx.db, { block: true });
      const v = await verifyAuditChain(base.ctx.db);
      expect(v).toMatchObject({ ok: true, unsealed: { count: 0 } });
      const [counts] = await queryRows<{ rows: string; sealed: string }>(
        base.ctx.db,
        sql`SELECT (SELECT count(*) FROM audit_log) AS rows, (SELECT count(*) FROM audit_seals WHERE kind = 'row') AS sealed`,
      );
      expect(Number(counts.sealed)).toBe(Number(counts.rows));
      expect(Number(counts.rows)).toBeGreaterThanOrEqual(30);
      expect(v.checked).toBeGreaterThanOrEqual(Number(counts.rows));
    } finally {
      await second.close();
      if (base.database.kind === 'postgres') await other.close();
      await base.close();
    }
  });
});

describe.runIf(process.env.ZY_TEST_DB === 'postgres')('a transaction still open when the sealer runs', () => {
  it('is neither skipped nor sealed as a gap: the chain waits for it', async () => {
    await seal();
    await s.ctx.database.pinned(async (conn) => {
      await conn.exec('BEGIN');
      const [{ id: open }] = (
        await conn.query<{ id: string }>(
          `INSERT INTO audit_log (at, action, outcome) VALUES (now(), 'test.long-running', 'ok') RETURNING id`,
        )
      ).rows;
      const [later] = await writeRows('test.while-open', 1);
      expect(later).toBeGreaterThan(Number(open));
      const r = await sealAudit(s.ctx.db, { waitMs: 0, block: true });
      expect(r.through).toBe(Number(open) - 1);
      const mid = await verify();
      expect(mid).toMatchObject({ ok: true, sealedThrough: Number(open) - 1 });
      expect(mid.unsealed.count).toBe(1);
      await conn.exec('COMMIT');
      await seal();
      const [row] = await queryRows<{ kind: string }>(s.ctx.db, sql`SELECT kind FROM audit_seals WHERE id = ${open}`);
      expect(row.kind).toBe('row');
      expect(await verify()).toMatchObject({ ok: true, sealedThrough: later, unsealed: { count: 0 } });
    });
  });
});

describe('rows chained before the sealer (migration 0005)', () => {
  it('still verify, and the sealed chain continues from the last of them', async () => {
    const database = await createTestDatabase();
    try {
      const { db } = database;
      let prev = GENESIS_HASH;
      for (let i = 1; i <= 3; i++) {
        const f = {
          at: new Date(Date.UTC(2026, 0, i)),
          actorId: null,
          actorName: 'old-admin',
          actorRole: 'district_admin',
          action: 'user.create',
          targetType: 'user',
          targetId: String(i),
          regionCode: null,
          ip: '10.0.0.1',
          outcome: 'ok',
          detail: { n: i },
        };
        const hash = auditRowHash(prev, f);
        await db.execute(
          sql`INSERT INTO audit_log (at, actor_name, actor_role, action, target_type, target_id, ip, outcome, detail, prev_hash, hash)
              VALUES (${f.at.toISOString()}, ${f.actorName}, ${f.actorRole}, ${f.action}, ${f.targetType}, ${f.targetId}, ${f.ip}, 'ok', ${JSON.stringify(f.detail)}::jsonb, ${prev}, ${hash})`,
        );
        prev = hash;
      }
      await recordAudit(db, { actor: null, action: 'test.after-upgrade' });
      await sealAll(db, { block: true });
      const v = await verifyAuditChain(db);
      expect(v).toMatchObject({ ok: true, checked: 4, sealedThrough: 4 });
      const [first] = await queryRows<{ prev_hash: string }>(db, sql`SELECT prev_hash FROM audit_seals ORDER BY id LIMIT 1`);
      expect(first.prev_hash).toBe(prev);
      await database.exec(
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'x' WHERE id = 2; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update",
      );
      expect((await verifyAuditChain(db)).brokenAt).toEqual({ id: 2, reason: 'hash' });
    } finally {
      await database.drop();
    }
  });
});

describe('the text a link hashes', () => {
  // The definition every chain so far was sealed with (JSON, keys sorted, undefined keys left out):
  // a faster encoding must hash the same text, else every existing chain stops verifying.
  const sortedJson = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
    if (v instanceof Date) return JSON.stringify(v.toISOString());
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  it('is the row as sorted JSON, for rows with nested, empty, unicode and missing details', () => {
    const at = new Date('2026-11-29T04:05:06.789Z');
    const details: unknown[] = [
      null,
      {},
      [],
      { z: 1, a: [1, 'two', null, { y: true, b: false }], m: { 中文: '张三', emoji: '👵', quote: '"\\\n' } },
      { skipped: undefined, kept: 0, neg: -1.5, big: 1e21, list: [[], [{}]], when: at },
      { filters: ['regionCode', 'status'], results: 23 },
    ];
    for (const [i, detail] of details.entries()) {
      const row = {
        at,
        actorId: i % 2 ? null : '0b3c1e2a-0571-4888-8666-123456789012',
        actorName: i % 2 ? null : '李四',
        actorRole: 'district_admin',
        action: 'elder.search',
        targetType: i % 3 ? null : 'elder',
        targetId: i % 3 ? null : String(i),
        regionCode: '990101',
        ip: i % 2 ? null : '127.0.0.1',
        outcome: 'ok',
        detail,
      };
      const fields = [
        at.toISOString(),
        row.actorId,
        row.actorName,
        row.actorRole,
        row.action,
        row.targetType,
        row.targetId,
        row.regionCode,
        row.ip,
        row.outcome,
        detail ?? null,
      ];
      expect(sealHash(GENESIS_HASH, 41 + i, row)).toBe(sha(sortedJson([GENESIS_HASH, 41 + i, 'row', ...fields])));
      expect(auditRowHash(GENESIS_HASH, row)).toBe(sha(sortedJson([GENESIS_HASH, ...fields])));
    }
    expect(sealHash(GENESIS_HASH, 7, null)).toBe(sha(sortedJson([GENESIS_HASH, 7, 'gap'])));
  });
});
