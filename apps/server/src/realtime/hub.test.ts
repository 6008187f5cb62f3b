import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDbKind } from '../testing/db.ts';
import { clientAs, createOrg, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
});
afterAll(() => s.close());

/** Connect and collect messages; resolves once the server said hello. */
async function connect(baseUrl: string, token?: string) {
  const ws = new WebSocket(
    `${baseUrl.replace('http', 'ws')}/api/v1/realtime`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  const messages: Array<{ type: string; data: Record<string, unknown> }> = [];
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  await new Promise<void>((resolve) => {
    const check = () => (messages.some((m) => m.type === 'hello') ? resolve() : setTimeout(check, 10));
    ws.on('open', check);
    ws.on('close', () => resolve());
  });
  return { ws, messages, closed };
}

// Returns as soon as the message is there; the long limit only matters on a loaded machine.
const waitFor = async (pred: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return pred();
};

describe('real-time hub', () => {
  it('refuses a socket without a valid session', async () => {
    const anon = await connect(s.url);
    expect(await anon.closed).toBe(4401);
    const bad = await connect(s.url, 'zy_not-a-token');
    expect(await bad.closed).toBe(4401);
  });

  it('delivers an event only to users whose scope contains it', async () => {
    const a1 = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const b1 = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const org = await createOrg(s.ctx, 'provider', TREE.streetA);
    const provider = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: org.id });
    const elder = await clientAs(s.app, s.ctx, 'elder');
    const socks = await Promise.all([a1, b1, street, provider, elder].map((c) => connect(s.url, c.token)));
    await s.ctx.events.publish(s.ctx.db, {
      type: 'test.regional',
      data: { n: 1 },
      audience: { permission: 'region:read', regionCode: TREE.communityA1 },
    });
    await s.ctx.events.publish(s.ctx.db, { type: 'test.org', data: { n: 2 }, audience: { orgIds: [org.id] } });
    await s.ctx.events.publish(s.ctx.db, { type: 'test.user', data: { n: 3 }, audience: { userIds: [elder.account.id] } });
    const [sa1, sb1, sstreet, sprov, selder] = socks;
    expect(await waitFor(() => sa1.messages.some((m) => m.type === 'test.regional'))).toBe(true);
    expect(await waitFor(() => sstreet.messages.some((m) => m.type === 'test.regional'))).toBe(true);
    expect(await waitFor(() => sprov.messages.some((m) => m.type === 'test.org'))).toBe(true);
    expect(await waitFor(() => selder.messages.some((m) => m.type === 'test.user'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const types = (x: { messages: Array<{ type: string }> }) => x.messages.map((m) => m.type).filter((t) => t !== 'hello');
    expect(types(sa1)).toEqual(['test.regional']);
    expect(types(sb1)).toEqual([]);
    expect(types(sprov)).toEqual(['test.org']);
    expect(types(selder)).toEqual(['test.user']);
    for (const x of socks) x.ws.close();
  });

  it('sends an event published inside a transaction only after it commits, and never after a rollback', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const sock = await connect(s.url, admin.token);
    await s.ctx.db
      .transaction(async (tx) => {
        await s.ctx.events.publish(tx, { type: 'test.rolled-back', data: {}, audience: { regionCode: TREE.district } });
        throw new Error('abort');
      })
      .catch(() => {});
    await s.ctx.db.transaction(async (tx) => {
      await s.ctx.events.publish(tx, { type: 'test.committed', data: {}, audience: { regionCode: TREE.district } });
    });
    expect(await waitFor(() => sock.messages.some((m) => m.type === 'test.committed'))).toBe(true);
    expect(sock.messages.some((m) => m.type === 'test.rolled-back')).toBe(false);
    sock.ws.close();
  });

  // Cross-process fan-out needs a shared server database; PGlite is one process by design.
  it.runIf(testDbKind() === 'postgres')('fans out across two server processes on one PostgreSQL database', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: s.database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        ROLES: 'web',
        SEED_DEMO: 'false',
        MQTT_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'zy-proc-b-')),
        SECRET_KEY: s.ctx.config.secretKey.toString('hex'),
        ZHIYANG_ADMIN_PASSWORD: 'Unused#Pass2026',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d) => {
          out += d;
          const m = out.match(/ready in \d+ ms — (http:\/\/\S+)/);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`process B exited ${code}`)));
        setTimeout(() => reject(new Error(`process B did not start: ${out}`)), 60_000);
      });
      // The session was created by process A; process B accepts it because sessions live in the database.
      const operator = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
      const onB = await connect(url, operator.token);
      expect(onB.messages[0]?.type).toBe('hello');
      await s.ctx.events.publish(s.ctx.db, {
        type: 'test.cross-process',
        data: { from: 'A' },
        audience: { regionCode: TREE.communityB1 },
      });
      expect(await waitFor(() => onB.messages.some((m) => m.type === 'test.cross-process'), 5000)).toBe(true);
      onB.ws.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
