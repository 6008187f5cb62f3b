import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL } from '../../lib/events.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { waitFor } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { hoursFromNow, itemByCode } from '../../testing/service.ts';
import { insertStatusChange } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';
import { users } from '../users/users.schema.ts';
import { checkLedger, ensureElderAccounts } from './ledger.repo.ts';
import { ledgerAccounts } from './ledger.schema.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>['api'];
let operator: Awaited<ReturnType<typeof clientAs>>['api'];

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
});
afterAll(() => s.close());

let keyN = 0;
let born = 0;
/** A distinct birth date per elder keeps the generated ID numbers unique. */
const nextBirth = () => new Date(Date.UTC(1941, 0, 1 + ++born * 3)).toISOString().slice(0, 10);
const key = () => `test-key-${++keyN}-${Date.now()}`;
const credit = (elderId: string, amount: number, k = key()) =>
  admin.post(
    `/api/v1/wallets/${elderId}/adjustments`,
    { currency: 'points', direction: 'credit', amount, reason: '测试充值' },
    { 'idempotency-key': k },
  );

describe('wallet adjustments and Idempotency-Key', () => {
  it('replays the first answer for the same key and body, refuses the same key with another body', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    const k = key();
    const first = await credit(e.id, 100, k);
    expect(first.statusCode).toBe(201);
    const replay = await credit(e.id, 100, k);
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(first.json());
    const other = await credit(e.id, 101, k);
    expect(other.statusCode).toBe(422);
    expect((await admin.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 100, reserved: 0 });
  });

  it('needs a key, and refuses negative, zero or fractional amounts with nothing changed', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    const noKey = await admin.post(`/api/v1/wallets/${e.id}/adjustments`, {
      currency: 'points',
      direction: 'credit',
      amount: 5,
      reason: 'x y',
    });
    expect(noKey.statusCode).toBe(400);
    for (const amount of [-5, 0, 2.5]) {
      const r = await credit(e.id, amount);
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0].path).toBe('body.amount');
    }
    const overdraw = await admin.post(
      `/api/v1/wallets/${e.id}/adjustments`,
      { currency: 'points', direction: 'debit', amount: 1, reason: '扣减' },
      { 'idempotency-key': key() },
    );
    expect(overdraw.statusCode).toBe(409);
    expect(overdraw.json().code).toBe('insufficient-balance');
    expect((await admin.get(`/api/v1/wallets/${e.id}/entries`)).json().items).toEqual([]);
  });

  it('shows an elder account its own wallet at /wallets/mine', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    await credit(e.id, 42);
    const acc = await createAccount(s.ctx, 'elder');
    await s.ctx.db.update(users).set({ elderId: e.id }).where(eq(users.id, acc.id));
    const mine = client(s.app, await loginToken(s.app, acc.username));
    expect((await mine.get('/api/v1/wallets/mine')).json()).toMatchObject({
      elderId: e.id,
      points: { available: 42, reserved: 0 },
    });
    const other = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    expect((await mine.get(`/api/v1/wallets/${other.id}`)).statusCode).toBe(404);
  });

  it("is out of reach for another community's staff (404)", async () => {
    const e = await createElder(s.ctx, TREE.communityB1, { birthDate: nextBirth() });
    const a1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
    expect((await a1.get(`/api/v1/wallets/${e.id}`)).statusCode).toBe(404);
  });
});

describe('concurrent spends', () => {
  it('200 concurrent orders against one 300-point balance: exactly 15 succeed, never negative', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    expect((await credit(e.id, 300)).statusCode).toBe(201);
    const haircut = await itemByCode(s.ctx, 'haircut'); // 20 points
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        operator.post('/api/v1/service-orders', { elderId: e.id, itemId: haircut.id, scheduledAt: hoursFromNow(24) }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(15);
    expect(codes.filter((c) => c === 409)).toHaveLength(185);
    const w = (await operator.get(`/api/v1/wallets/${e.id}`)).json();
    expect(w.points).toEqual({ available: 0, reserved: 300 });
    const check = await checkLedger(s.ctx.db);
    expect(check).toMatchObject({ ok: true, unbalanced: [], mismatched: [], negative: [] });
    const viaApi = await admin.get('/api/v1/wallets/ledger-check');
    expect(viaApi.json().ok).toBe(true);
  });
});

describe("an elder's accounts, opened on first use", () => {
  it('opens the wallet and hold accounts together, finds them again, and concurrent first uses open one of each', async () => {
    const accountsOf = async (elderId: string) =>
      (await s.ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.ownerId, elderId)))
        .map((a) => `${a.kind}/${a.currency}`)
        .sort();
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    const first = await ensureElderAccounts(s.ctx.db, e.id, 'points');
    expect([first.wallet.kind, first.hold.kind]).toEqual(['elder', 'hold']);
    expect(first.wallet).toMatchObject({ ownerId: e.id, currency: 'points', balance: 0, frozen: false });
    expect(first.wallet.createdAt).toBeInstanceOf(Date);
    const again = await ensureElderAccounts(s.ctx.db, e.id, 'points');
    expect(again).toEqual(first);
    expect(await accountsOf(e.id)).toEqual(['elder/points', 'hold/points']);
    // Eight transactions open the same new elder's accounts at once: one of each, the same for all.
    const e2 = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    const all = await Promise.all(
      Array.from({ length: 8 }, () => s.ctx.db.transaction((tx) => ensureElderAccounts(tx, e2.id, 'fen'))),
    );
    expect(new Set(all.map((a) => a.wallet.id)).size).toBe(1);
    expect(new Set(all.map((a) => a.hold.id)).size).toBe(1);
    expect(await accountsOf(e2.id)).toEqual(['elder/fen', 'hold/fen']);
  });
});

describe('frozen wallets', () => {
  it('freezes on elder.status-changed, and refuses spending for a deceased elder regardless', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    await credit(e.id, 100);
    await s.ctx.db.update(elders).set({ status: 'deceased' }).where(eq(elders.id, e.id));
    await s.ctx.events.publish(s.ctx.db, {
      type: 'elder.status-changed',
      data: { id: 'change-1', elderId: e.id, from: 'active', to: 'deceased', date: '2026-01-01', regionCode: TREE.communityA1 },
      audience: {},
    });
    let frozen = false;
    for (let i = 0; i < 50 && !frozen; i++) {
      await new Promise((r) => setTimeout(r, 20));
      frozen = (await s.ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.ownerId, e.id))).some(
        (a) => a.kind === 'elder' && a.frozen,
      );
    }
    expect(frozen).toBe(true);
    const w = (await admin.get(`/api/v1/wallets/${e.id}`)).json();
    expect(w).toMatchObject({ frozen: true, frozenReason: 'deceased', points: { available: 100, reserved: 0 } });
    const haircut = await itemByCode(s.ctx, 'haircut');
    const order = await operator.post('/api/v1/service-orders', {
      elderId: e.id,
      itemId: haircut.id,
      scheduledAt: hoursFromNow(24),
    });
    expect(order.statusCode).toBe(409);

    // Without any event (a missed notification), a moved-away elder still cannot spend.
    const m = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    await credit(m.id, 100);
    await s.ctx.db.update(elders).set({ status: 'moved_away' }).where(eq(elders.id, m.id));
    const refused = await operator.post('/api/v1/service-orders', {
      elderId: m.id,
      itemId: haircut.id,
      scheduledAt: hoursFromNow(24),
    });
    expect(refused.statusCode).toBe(409);
    expect((await admin.get(`/api/v1/wallets/${m.id}`)).json().points.available).toBe(100);
  });
});

describe('elder.status-changed too large for NOTIFY', () => {
  it('arrives as { id, partial: true } and still freezes the wallet, read back by the change id', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: nextBirth() });
    await credit(e.id, 100);
    const change = await s.ctx.db.transaction(async (tx) => {
      await tx.update(elders).set({ status: 'deceased' }).where(eq(elders.id, e.id));
      return insertStatusChange(tx, { elderId: e.id, fromStatus: 'active', toStatus: 'deceased' });
    });
    // What EventBus.publish sends when the event's JSON is over the NOTIFY limit.
    const wire = JSON.stringify({
      type: 'elder.status-changed',
      data: { id: change.id, partial: true },
      audience: { permission: 'elder:read', regionCode: TREE.communityA1 },
    });
    await s.ctx.db.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${wire})`);
    const frozen = await waitFor(async () => {
      const accounts = await s.ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.ownerId, e.id));
      return accounts.find((a) => a.kind === 'elder' && a.frozen);
    });
    expect(frozen.frozenReason).toBe('deceased');
  });
});
