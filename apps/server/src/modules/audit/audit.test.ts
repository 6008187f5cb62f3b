import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { sealAll } from './audit.chain.ts';
import { recordAudit, verifyAuditChain } from './audit.service.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('audit trail', () => {
  it('records who changed what, from where, and is searchable by a district admin', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const created = await admin.api.post('/api/v1/users', {
      username: 'audited',
      displayName: 'A',
      role: 'operator',
      regionCode: TREE.district,
    });
    const id = created.json().user.id;
    const rows = (await admin.api.get(`/api/v1/audit-log?targetType=user&targetId=${id}`)).json().items;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'user.create', actorName: admin.account.username, outcome: 'ok' });
    expect(rows[0].ip).toBeTruthy();
    const failed = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'audited', password: 'nope' },
    });
    expect(failed.statusCode).toBe(401);
    const logins = (await admin.api.get(`/api/v1/audit-log?action=auth.login&targetId=${id}`)).json().items;
    expect(logins[0]).toMatchObject({ outcome: 'failed' });
    expect(JSON.stringify(logins)).not.toContain('nope');
  });

  it('pages with a cursor, newest first', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const first = (await admin.api.get('/api/v1/audit-log?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await admin.api.get(`/api/v1/audit-log?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        recordAudit(s.ctx.db, {
          actor: null,
          action: 'test.concurrent',
          targetId: String(i),
          detail: { i, nested: { b: 1, a: [1, 2] } },
        }),
      ),
    );
    await sealAll(s.ctx.db, { block: true });
    const result = await verifyAuditChain(s.ctx.db);
    expect(result.ok).toBe(true);
    expect(result.unsealed.count).toBe(0);
    expect(result.checked).toBeGreaterThan(40);
  });

  it('a worker process seals new rows on its own', async () => {
    await recordAudit(s.ctx.db, { actor: null, action: 'test.background-seal' });
    // The test server runs the worker role, so its sealer loop chains the row shortly.
    await expect.poll(async () => (await verifyAuditChain(s.ctx.db)).unsealed.count, { timeout: 10_000 }).toBe(0);
    expect((await verifyAuditChain(s.ctx.db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE, and detects a row changed behind its back', async () => {
    await expect(s.ctx.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE id = 1`)).rejects.toThrow();
    await expect(s.ctx.db.execute(sql`DELETE FROM audit_log WHERE id = 1`)).rejects.toThrow();
    // A database superuser can switch the trigger off; the chain still gives him away.
    await sealAll(s.ctx.db, { block: true });
    const [{ id }] = (await s.ctx.database.query<{ id: number }>('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3')).rows;
    await s.ctx.database.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await s.ctx.database.query(`UPDATE audit_log SET actor_name = 'someone-else' WHERE id = $1`, [id]);
    await s.ctx.database.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const res = (await admin.api.get('/api/v1/audit-log/verify')).json();
    expect(res.ok).toBe(false);
    expect(res.brokenAt).toEqual({ id: Number(id), reason: 'hash' });
  });
});
