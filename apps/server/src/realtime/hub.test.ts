import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sessions, users } from '../db/schema.ts';
import { EVENTS_CHANNEL } from '../lib/events.ts';
import { testDbKind } from '../testing/db.ts';
import { clientAs, createOrg, loginToken, seedTree, TREE } from '../testing/factories.ts';
import { waitFor as waitForAsync } from '../testing/safety.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { secondWebProcess } from '../testing/server-process.ts';
import { createServiceProvider } from '../testing/service.ts';

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
    // Events reach a socket in the order they were published: once this last one is everywhere,
    // anything of the first three that was going to arrive has arrived.
    const everyone = [a1, b1, street, provider, elder].map((c) => c.account.id);
    await s.ctx.events.publish(s.ctx.db, { type: 'test.fence', data: {}, audience: { userIds: everyone } });
    for (const x of socks) expect(await waitFor(() => x.messages.some((m) => m.type === 'test.fence'))).toBe(true);
    const [sa1, sb1, sstreet, sprov, selder] = socks;
    const types = (x: { messages: Array<{ type: string }> }) =>
      x.messages.map((m) => m.type).filter((t) => t !== 'hello' && t !== 'test.fence');
    expect(types(sstreet)).toEqual(['test.regional']);
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
});

describe('an audience read by the NOTIFY itself (EventBus.publish with a user query)', () => {
  it('adds the users the query returns; too large an event then travels as a reference, with them', async () => {
    const named = await clientAs(s.app, s.ctx, 'elder');
    const queried = await clientAs(s.app, s.ctx, 'family');
    const outsider = await clientAs(s.app, s.ctx, 'family');
    const socks = await Promise.all([named, queried, outsider].map((c) => connect(s.url, c.token)));
    const seen: Array<{ type: string; data: Record<string, unknown>; audience: { userIds?: string[] } }> = [];
    const off = s.ctx.events.onEvent((e) => seen.push(e as never));
    const byId = (id: string) => sql`SELECT id FROM users WHERE id = ${id}`;
    await s.ctx.db.transaction((tx) =>
      s.ctx.events.publish(
        tx,
        { type: 'test.queried', data: { id: 'q1', n: 1 }, audience: { userIds: [named.account.id] } },
        byId(queried.account.id),
      ),
    );
    await s.ctx.events.publish(
      s.ctx.db,
      { type: 'test.queried-big', data: { id: 'q2', text: '长'.repeat(2600) }, audience: { userIds: [] } },
      byId(queried.account.id),
    );
    await s.ctx.events.publish(
      s.ctx.db,
      { type: 'test.queried-none', data: { id: 'q3' }, audience: {} },
      byId(crypto.randomUUID()),
    );
    expect(await waitFor(() => seen.some((e) => e.type === 'test.queried-none'))).toBe(true);
    off();
    const ev = (t: string) => seen.find((e) => e.type === t);
    expect(ev('test.queried')).toMatchObject({ data: { id: 'q1', n: 1 } });
    expect(ev('test.queried')?.audience.userIds).toEqual([named.account.id, queried.account.id]);
    expect(ev('test.queried-big')).toMatchObject({
      data: { id: 'q2', partial: true },
      audience: { userIds: [queried.account.id] },
    });
    expect(ev('test.queried-none')?.audience.userIds).toEqual([]);
    const [sn, sq, so] = socks;
    expect(await waitFor(() => sq.messages.some((m) => m.type === 'test.queried'))).toBe(true);
    expect(sn.messages.some((m) => m.type === 'test.queried')).toBe(true);
    expect(so.messages.some((m) => m.type.startsWith('test.queried'))).toBe(false);
    for (const x of socks) x.ws.close();
  });
});

/** A region event for staff holding region:read over `regionCode`. */
const regional = (server: TestServer, type: `test.${string}`, regionCode: string) =>
  server.ctx.events.publish(server.ctx.db, { type, data: {}, audience: { permission: 'region:read', regionCode } });
const types = (x: { messages: Array<{ type: string }> }) => x.messages.map((m) => m.type).filter((t) => t !== 'hello');

describe('open sockets follow the user: access changes and ended sessions', () => {
  it("after an admin moves a street user to another street, the socket gets the new street's events, not the old's", async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const moved = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const sock = await connect(s.url, moved.token);
    await regional(s, 'test.a-before', TREE.communityA1);
    expect(await waitFor(() => sock.messages.some((m) => m.type === 'test.a-before'))).toBe(true);

    const res = await admin.api.patch(`/api/v1/users/${moved.account.id}`, { regionCode: TREE.streetB });
    expect(res.statusCode).toBe(200);
    // Published after the move committed, the old street's event first: arriving in order, it
    // would be in the messages before the new street's one if the socket still had the old scope.
    await regional(s, 'test.a-after', TREE.communityA1);
    await regional(s, 'test.b-after', TREE.communityB1);
    expect(await waitFor(() => sock.messages.some((m) => m.type === 'test.b-after'))).toBe(true);
    expect(types(sock)).toEqual(['test.a-before', 'test.b-after']);
    expect(sock.ws.readyState).toBe(WebSocket.OPEN);
    sock.ws.close();
  });

  it("disabling a user closes their sockets at once (4401); other users' sockets stay", async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const gone = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const stays = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const [goneSock, staysSock] = await Promise.all([connect(s.url, gone.token), connect(s.url, stays.token)]);
    const res = await admin.api.patch(`/api/v1/users/${gone.account.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(await goneSock.closed).toBe(4401);
    await regional(s, 'test.after-disable', TREE.communityB1);
    expect(await waitFor(() => staysSock.messages.some((m) => m.type === 'test.after-disable'))).toBe(true);
    staysSock.ws.close();
  });

  it("logging a session out closes its sockets at once (4401); the same user's other session keeps its socket", async () => {
    const user = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const otherToken = await loginToken(s.app, user.account.username);
    const [sock, otherSock] = await Promise.all([connect(s.url, user.token), connect(s.url, otherToken)]);
    expect((await user.api.post('/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect(await sock.closed).toBe(4401);
    await regional(s, 'test.after-logout', TREE.communityA2);
    expect(await waitFor(() => otherSock.messages.some((m) => m.type === 'test.after-logout'))).toBe(true);
    expect(otherSock.ws.readyState).toBe(WebSocket.OPEN);
    otherSock.ws.close();
  });

  it("a password reset by an admin closes the user's sockets (4401)", async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const user = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const sock = await connect(s.url, user.token);
    expect((await admin.api.post(`/api/v1/users/${user.account.id}/reset-password`)).statusCode).toBe(200);
    expect(await sock.closed).toBe(4401);
  });

  it("a provider taking a worker off its roster closes the worker's sockets (4401)", async () => {
    const { org, worker } = await createServiceProvider(s.ctx, {
      regionCode: TREE.communityA1,
      communities: [TREE.communityA1],
      site: { lat: 30.61, lng: 104.01 },
    });
    const admin = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: org.id });
    const sock = await connect(s.url, await loginToken(s.app, worker.username));
    expect((await admin.api.patch(`/api/v1/providers/${org.id}/staff/${worker.id}`, { active: false })).statusCode).toBe(200);
    expect(await sock.closed).toBe(4401);
  });

  it('an access change that arrives as a partial reference (too large for NOTIFY) re-checks every socket', async () => {
    const user = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const bystander = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const [sock, other] = await Promise.all([connect(s.url, user.token), connect(s.url, bystander.token)]);
    // Disabled straight in the database (no event); then the reference form of the event, as the bus sends it.
    await s.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.account.id));
    const partial = JSON.stringify({ type: 'user.access-changed', data: { partial: true }, audience: {} });
    await s.ctx.db.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${partial})`);
    expect(await sock.closed).toBe(4401);
    await regional(s, 'test.after-partial', TREE.communityA1);
    expect(await waitFor(() => other.messages.some((m) => m.type === 'test.after-partial'))).toBe(true);
    other.ws.close();
  });
});

describe('the periodic session check', () => {
  // A server of its own whose check runs every 100 ms instead of every 60 s.
  let p: TestServer;
  beforeAll(async () => {
    p = await startTestServer({ listen: true, realtime: { recheckMs: 100 } });
    await seedTree(p.ctx);
  });
  afterAll(() => p?.close());

  /** Set the session's last activity `minutes` ago, straight in the database (no event). */
  const idleFor = async (userId: string, minutes: number) => {
    const [row] = await p.ctx.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - make_interval(mins => ${minutes})` })
      .where(eq(sessions.userId, userId))
      .returning({ lastSeenAt: sessions.lastSeenAt });
    return row.lastSeenAt;
  };
  const lastSeen = async (userId: string) =>
    (await p.ctx.db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.userId, userId)))[0].at;

  it('re-reads a user changed without an event, does not count as activity, and closes the session once idle', async () => {
    const user = await clientAs(p.app, p.ctx, 'street_staff', { regionCode: TREE.streetA });
    const sock = await connect(p.url, user.token);
    // Moved in the database by hand (no event), and idle for 10 of the 30 minutes allowed.
    await p.ctx.db.update(users).set({ regionCode: TREE.streetB }).where(eq(users.id, user.account.id));
    const idleSince = await idleFor(user.account.id, 10);
    // Only a periodic check can give the socket the new street; keep publishing until it has.
    await waitForAsync(async () => {
      await regional(p, 'test.periodic', TREE.communityB1);
      return sock.messages.some((m) => m.type === 'test.periodic');
    }, 15_000);
    // That check read the session without touching it: the idle clock still runs from 10 minutes ago.
    expect((await lastSeen(user.account.id)).getTime()).toBe(idleSince.getTime());
    expect(sock.ws.readyState).toBe(WebSocket.OPEN);

    await idleFor(user.account.id, 31);
    expect(await sock.closed).toBe(4401);
  });

  it('closes a socket whose session passed its absolute lifetime, however active', async () => {
    const user = await clientAs(p.app, p.ctx, 'operator', { regionCode: TREE.district });
    const sock = await connect(p.url, user.token);
    await p.ctx.db
      .update(sessions)
      .set({ createdAt: sql`now() - interval '13 hours'`, lastSeenAt: sql`now()` })
      .where(eq(sessions.userId, user.account.id));
    expect(await sock.closed).toBe(4401);
  });
});

// Cross-process fan-out needs a shared server database; PGlite is one process by design.
describe.runIf(testDbKind() === 'postgres')('two server processes on one PostgreSQL database', () => {
  const urlOfB = secondWebProcess(() => s);

  it('fans an event published on process A out to a socket on process B', async () => {
    // The session was created by process A; process B accepts it because sessions live in the database.
    const operator = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const onB = await connect(urlOfB(), operator.token);
    expect(onB.messages[0]?.type).toBe('hello');
    await s.ctx.events.publish(s.ctx.db, {
      type: 'test.cross-process',
      data: { from: 'A' },
      audience: { regionCode: TREE.communityB1 },
    });
    expect(await waitFor(() => onB.messages.some((m) => m.type === 'test.cross-process'))).toBe(true);
    onB.ws.close();
  });

  it('a user moved, then disabled, through process A: the socket on process B follows at once', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const moved = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const onB = await connect(urlOfB(), moved.token);
    expect((await admin.api.patch(`/api/v1/users/${moved.account.id}`, { regionCode: TREE.streetB })).statusCode).toBe(200);
    await regional(s, 'test.a-after', TREE.communityA1);
    await regional(s, 'test.b-after', TREE.communityB1);
    expect(await waitFor(() => onB.messages.some((m) => m.type === 'test.b-after'))).toBe(true);
    expect(types(onB)).toEqual(['test.b-after']);

    expect((await admin.api.patch(`/api/v1/users/${moved.account.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await onB.closed).toBe(4401);
  });
});
