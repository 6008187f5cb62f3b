import { randomUUID } from 'node:crypto';
import type { OrderStatus, PaymentMethod, PolicyCovers, VisitFlag } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate, cstDayStart, cstMonth } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { serviceItems } from '../modules/catalogue/catalogue.schema.ts';
import { covers } from '../modules/orders/bookable.service.ts';
import {
  dispatchOffers,
  serviceComplaints,
  serviceOrderHistory,
  serviceOrders,
  serviceRatings,
  serviceVisits,
} from '../modules/orders/orders.schema.ts';
import { conditionsSql } from '../modules/policies/policies.conditions.ts';
import { periodKey } from '../modules/policies/policies.period.ts';
import { policies, policyGrants } from '../modules/policies/policies.schema.ts';
import * as settlements from '../modules/settlements/settlements.service.ts';
import { users } from '../modules/users/users.schema.ts';
import { ledgerAccounts, ledgerEntries, ledgerTransactions, type TxKind } from '../modules/wallets/ledger.schema.ts';
import { type Random, seededRandom } from './random.ts';

const DAYS_BACK = 92;
const DAYS_AHEAD = 7;
const ORDERS_PER_DAY = 28;
const COMMENTS_GOOD = ['服务很周到', '小赵很耐心', '打扫得很干净', '准时到，态度好', '谢谢你们', ''];
const COMMENTS_BAD = ['来晚了一个小时', '没打扫干净', '态度不好', '时间太短'];
const RECORDS = ['已完成服务，老人状态良好', '按约定完成，老人满意', '完成服务并整理物品', '服务完成，提醒老人按时服药'];

interface ElderRow {
  id: string;
  region_code: string;
  lat: number | null;
  lng: number | null;
}
interface Offer {
  orgId: string;
  itemId: string;
}
type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];

/**
 * A few months of service orders in every state, paid from grants of the two demo policies,
 * with history, visits, ratings, complaints and ledger entries at their own times; then the
 * monthly statements: approved for older months, confirmed or draft for last month. Ledger
 * balances are derived from the entries at the end, so `npm run ledger:check` holds.
 */
export async function seedServiceOrders(ctx: AppContext) {
  const rnd = seededRandom(5_000_2026);
  const today = cstDate();
  const now = Date.now();
  const elderRows = await queryRows<ElderRow>(
    ctx.db,
    sql`SELECT id, region_code, lat, lng FROM elders WHERE is_demo AND status = 'active' ORDER BY id`,
  );
  if (!elderRows.length) return;
  const items = await ctx.db.select().from(serviceItems).where(eq(serviceItems.active, true));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const offers = await queryRows<Offer & { region_code: string }>(
    ctx.db,
    sql`SELECT f.org_id AS "orgId", f.item_id AS "itemId", a.region_code
        FROM provider_offerings f JOIN provider_areas a ON a.org_id = f.org_id
        JOIN provider_profiles p ON p.org_id = f.org_id AND p.approval_status = 'approved' AND NOT p.dishonest`,
  );
  const offersByCommunity = new Map<string, Offer[]>();
  for (const o of offers) {
    const list = offersByCommunity.get(o.region_code) ?? [];
    list.push(o);
    offersByCommunity.set(o.region_code, list);
  }
  const workers = await queryRows<{ user_id: string; org_id: string }>(
    ctx.db,
    sql`SELECT user_id, org_id FROM provider_staff WHERE active AND care_cert_valid_until >= ${today}::date ORDER BY user_id`,
  );
  const workersByOrg = new Map<string, string[]>();
  for (const w of workers) workersByOrg.set(w.org_id, [...(workersByOrg.get(w.org_id) ?? []), w.user_id]);
  const [demoElder] = await ctx.db.select({ elderId: users.elderId }).from(users).where(eq(users.username, 'demo-elder'));
  const [demoWorker] = await ctx.db
    .select({ id: users.id, orgId: users.orgId })
    .from(users)
    .where(eq(users.username, 'demo-worker'));
  const operator = (await ctx.db.select().from(users).where(eq(users.username, 'demo-operator')))[0];

  const book = new Ledger();
  // What each elder's policies pay for, by currency (an item is paid from a wallet only when covered).
  const coversOf = new Map<string, { points: PolicyCovers[]; fen: PolicyCovers[] }>();
  // Grants: points for the years the window touches, purchased credit for each month.
  const policyRows = await ctx.db.select().from(policies).where(eq(policies.isDemo, true));
  const start = addDays(today, -DAYS_BACK);
  for (const p of policyRows) {
    const eligible = (
      await queryRows<{ id: string }>(
        ctx.db,
        sql`SELECT e.id FROM elders e WHERE ${conditionsSql(p.conditions, p.regionCode, today)}`,
      )
    ).map((r) => r.id);
    const currency = p.kind === 'points_grant' ? 'points' : 'fen';
    for (const elderId of eligible) {
      const c = coversOf.get(elderId) ?? { points: [], fen: [] };
      c[currency].push(p.covers);
      coversOf.set(elderId, c);
    }
    const periods = new Set<string>();
    for (let d = start; d <= today; d = addDays(d, 1)) periods.add(periodKey(p.period, d));
    for (const key of periods) {
      const at = cstDayStart(key.length === 4 ? (`${key}-01-01` < start ? start : `${key}-01-01`) : `${key}-01`);
      for (const elderId of eligible) {
        const txId = book.post(
          'grant',
          currency,
          at,
          [
            [`fund:${currency}:${p.id}`, -p.amount],
            [`elder:${currency}:${elderId}`, p.amount],
          ],
          { elderId, policyId: p.id, memo: `${p.name} ${key}` },
        );
        book.grants.push({ policyId: p.id, elderId, periodKey: key, amount: p.amount, transactionId: txId, createdAt: at });
      }
    }
  }

  // The demo elder (66) qualifies for no policy (the points start at 80); the community added points
  // by hand so the elder page has a balance to show (a bureau adjustment, as in the console).
  if (demoElder?.elderId) {
    book.post(
      'adjust',
      'points',
      cstDayStart(start),
      [
        ['fund:points:', -300],
        [`elder:points:${demoElder.elderId}`, 300],
      ],
      { elderId: demoElder.elderId, memo: '社区补录：慈善积分（演示）' },
    );
  }

  const orders: Array<Insert<typeof serviceOrders>> = [];
  const history: Array<Insert<typeof serviceOrderHistory>> = [];
  const visits: Array<Insert<typeof serviceVisits>> = [];
  const ratings: Array<Insert<typeof serviceRatings>> = [];
  const complaints: Array<Insert<typeof serviceComplaints>> = [];
  const offerRows: Array<Insert<typeof dispatchOffers>> = [];
  let seq = 0;

  const makeOrder = (
    elder: ElderRow,
    day: string,
    r: Random,
    forced?: { status: OrderStatus; orgId?: string; workerId?: string; itemCode?: string },
  ) => {
    const choices = (offersByCommunity.get(elder.region_code) ?? []).filter((o) => !forced?.orgId || o.orgId === forced.orgId);
    const pool = forced?.itemCode ? choices.filter((o) => itemById.get(o.itemId)?.code === forced.itemCode) : choices;
    if (!pool.length) return;
    const offer = r.pick(pool);
    const item = itemById.get(offer.itemId);
    const staff = workersByOrg.get(offer.orgId);
    if (!item || !staff?.length) return;
    const quantity = item.unit === 'hour' ? r.int(1, 2) : 1;
    const scheduled = new Date(cstDayStart(day).getTime() + (r.int(8, 17) * 60 + r.pick([0, 30])) * 60_000);
    const status = forced?.status ?? pickStatus(r, scheduled.getTime(), now);
    const created = new Date(Math.min(scheduled.getTime() - r.int(2, 72) * 3600_000, now - 60_000));
    const points = item.points * quantity;
    const fen = item.refPriceFen * quantity;
    // Paid from a wallet only when one of the elder's policies covers the item (the demo elder's
    // hand-added points cover anything); otherwise the elder pays.
    const c = coversOf.get(elder.id);
    const byHand = elder.id === demoElder?.elderId;
    const pointsCover = byHand || (c?.points.some((x) => covers(x, item)) ?? false);
    const fenCover = c?.fen.some((x) => covers(x, item)) ?? false;
    let payment: PaymentMethod = 'self';
    if (pointsCover && points > 0 && book.balance(`elder:points:${elder.id}`) >= points && r.chance(0.85)) payment = 'points';
    else if (fenCover && book.balance(`elder:fen:${elder.id}`) >= fen) payment = 'purchase';
    const id = randomUUID();
    const no = `FW${cstDate(created).replace(/-/g, '')}${String(++seq).padStart(6, '0')}`;
    const workerId = forced?.workerId ?? r.pick(staff);
    const steps: Array<[OrderStatus, string, number]> = [['created', 'create', created.getTime()]];
    const t = (m: number) => Math.min(now - 1000, m);
    const flow: OrderStatus[] = ['dispatched', 'accepted', 'assigned', 'en_route', 'in_service', 'served', 'confirmed'];
    const end =
      status === 'cancelled' ? r.int(0, 3) : status === 'voided' || status === 'settled' ? flow.length : flow.indexOf(status) + 1;
    const when = [
      created.getTime() + 60_000,
      created.getTime() + r.int(5, 40) * 60_000,
      created.getTime() + r.int(50, 120) * 60_000,
      scheduled.getTime() - 30 * 60_000,
      scheduled.getTime() + r.int(-5, 10) * 60_000,
    ];
    let flags: VisitFlag[] = [];
    let checkIn = 0;
    let checkOut = 0;
    const flagged = status === 'voided' || (status === 'confirmed' && scheduled.getTime() < now - 86400_000 && r.chance(0.04));
    for (let k = 0; k < Math.min(end, flow.length); k++) {
      const s = flow[k];
      let at = k < 5 ? when[k] : 0;
      if (s === 'in_service') checkIn = at;
      if (s === 'served') {
        const minutes = flagged && r.chance(0.6) ? r.int(10, 25) : item.durationMinutes * quantity + r.int(-5, 15);
        at = checkIn + minutes * 60_000;
        checkOut = at;
      }
      if (s === 'confirmed') at = checkOut + r.int(1, 20) * 3600_000;
      steps.push([
        s,
        s === 'en_route'
          ? 'en-route'
          : s === 'in_service'
            ? 'check-in'
            : s === 'served'
              ? 'check-out'
              : s === 'confirmed'
                ? r.chance(0.3)
                  ? 'auto-confirm'
                  : 'confirm'
                : s === 'dispatched'
                  ? 'dispatch'
                  : s === 'accepted'
                    ? 'accept'
                    : 'assign',
        t(at),
      ]);
    }
    if (flagged)
      flags =
        checkOut && checkOut - checkIn < (item.durationMinutes * quantity * 60_000) / 2 ? ['short_visit'] : ['outside_radius'];
    if (status === 'cancelled') steps.push(['cancelled', 'cancel', t(steps[steps.length - 1][2] + r.int(10, 600) * 60_000)]);
    if (status === 'voided') steps.push(['voided', 'review-reject', t(steps[steps.length - 1][2] + 86400_000)]);
    const last = steps[steps.length - 1];
    const reached = (s: OrderStatus) => steps.some((x) => x[0] === s);
    const confirmedAt = steps.find((x) => x[0] === 'confirmed')?.[2];
    orders.push({
      id,
      no,
      elderId: elder.id,
      regionCode: elder.region_code,
      itemId: item.id,
      providerId: reached('dispatched') ? offer.orgId : null,
      workerId: reached('assigned') ? workerId : null,
      channel: r.pick(['console', 'console', 'elder', 'family', 'api'] as const),
      status: status === 'settled' ? 'confirmed' : status,
      scheduledAt: scheduled,
      durationMinutes: item.durationMinutes * quantity,
      quantity,
      payment,
      points: payment === 'points' ? points : 0,
      amountFen: payment === 'purchase' ? fen : payment === 'self' ? fen : 0,
      dispatchMode: reached('dispatched') ? 'auto' : null,
      dispatchScore: reached('dispatched') ? { why: '演示数据：按距离、评分、负荷自动派单' } : null,
      flags,
      reviewStatus: status === 'voided' ? 'rejected' : flags.length ? 'pending' : 'none',
      createdBy: operator?.id ?? null,
      cancelReason: status === 'cancelled' ? r.pick(['家人来帮忙了', '老人临时外出', '改约其他时间']) : null,
      isDemo: true,
      createdAt: created,
      updatedAt: new Date(last[2]),
      servedAt: checkOut ? new Date(checkOut) : null,
      confirmedAt: confirmedAt ? new Date(confirmedAt) : null,
    });
    // The offer behind the order: still open for dispatched ones (a demo allowance of two hours
    // to accept), accepted for the rest.
    const dispatchedAt = steps.find((x) => x[0] === 'dispatched')?.[2];
    if (dispatchedAt) {
      const open = status === 'dispatched';
      offerRows.push({
        orderId: id,
        providerId: offer.orgId,
        mode: 'auto',
        score: +(0.6 + r.next() * 0.35).toFixed(3),
        status: open ? 'offered' : status === 'cancelled' && !reached('accepted') ? 'withdrawn' : 'accepted',
        offeredAt: new Date(dispatchedAt),
        expiresAt: open ? new Date(now + 2 * 3600_000) : new Date(dispatchedAt + 30 * 60_000),
        respondedAt: open ? null : new Date(steps.find((x) => x[0] === 'accepted')?.[2] ?? dispatchedAt + 60_000),
      });
    }
    let prev: OrderStatus | null = null;
    for (const [to, action, at] of steps) {
      history.push({
        orderId: id,
        fromStatus: prev,
        toStatus: to,
        action,
        actorName: action === 'auto-confirm' ? 'System' : null,
        at: new Date(at),
      });
      prev = to;
    }
    if (checkIn) {
      const home = { lat: elder.lat ?? 30.63, lng: elder.lng ?? 104.06 };
      const away = flags.includes('outside_radius') ? 0.004 : 0.0002;
      visits.push({
        orderId: id,
        workerId,
        checkInAt: new Date(checkIn),
        checkInMethod: r.chance(0.15) ? 'qr' : 'gps',
        checkInLat: home.lat + (r.next() - 0.5) * away,
        checkInLng: home.lng + (r.next() - 0.5) * away,
        checkInDistanceM: flags.includes('outside_radius') ? r.int(250, 600) : r.int(3, 40),
        checkOutAt: checkOut ? new Date(checkOut) : null,
        checkOutMethod: checkOut ? 'gps' : null,
        checkOutLat: checkOut ? home.lat : null,
        checkOutLng: checkOut ? home.lng : null,
        checkOutDistanceM: checkOut ? r.int(3, 40) : null,
        record: checkOut ? r.pick(RECORDS) : null,
        flags,
        lockedAt: checkOut ? new Date(checkOut + 72 * 3600_000) : null,
        receivedAt: new Date(checkIn),
      });
    }
    if (confirmedAt && status !== 'voided' && r.chance(0.6)) {
      const score = r.chance(0.06) ? r.int(1, 2) : r.chance(0.2) ? 3 : r.int(4, 5);
      ratings.push({
        orderId: id,
        score,
        comment: score <= 2 ? r.pick(COMMENTS_BAD) : r.pick(COMMENTS_GOOD),
        createdAt: new Date(t(confirmedAt + 3600_000)),
      });
      if (score <= 2) {
        const due = new Date(confirmedAt + 49 * 3600_000);
        const closed = due.getTime() < now - 86400_000;
        complaints.push({
          orderId: id,
          elderId: elder.id,
          regionCode: elder.region_code,
          providerId: offer.orgId,
          reason: ratings[ratings.length - 1].comment,
          status: closed ? 'closed' : 'open',
          dueAt: due,
          followUp: closed ? '已电话回访，服务商已整改' : null,
          closedAt: closed ? new Date(confirmedAt + 24 * 3600_000) : null,
          createdAt: new Date(confirmedAt + 3600_000),
        });
      }
    }
    // Money: reserve at creation, capture at confirmation, release at cancellation or rejection.
    const currency = payment === 'points' ? 'points' : 'fen';
    const amount = payment === 'points' ? points : fen;
    if (payment !== 'self') {
      book.post(
        'reserve',
        currency,
        created,
        [
          [`elder:${currency}:${elder.id}`, -amount],
          [`hold:${currency}:${elder.id}`, amount],
        ],
        { elderId: elder.id, orderId: id },
      );
      if (status === 'cancelled' || status === 'voided')
        book.post(
          'release',
          currency,
          new Date(last[2]),
          [
            [`hold:${currency}:${elder.id}`, -amount],
            [`elder:${currency}:${elder.id}`, amount],
          ],
          { elderId: elder.id, orderId: id },
        );
      else if (confirmedAt)
        book.post(
          'capture',
          currency,
          new Date(confirmedAt),
          [
            [`hold:${currency}:${elder.id}`, -amount],
            [`provider:${currency}:${offer.orgId}`, amount],
          ],
          { elderId: elder.id, orderId: id },
        );
    }
  };

  // Orders spread over the window, in time order so balances are spent as they would be.
  // Most orders are subsidised services booked for elders a policy covers (as in a district's
  // home-care programme); the rest are paid by the elder. Settlements pay only the subsidised part.
  // The demo elder is left out: their page shows the few orders written for them below, whatever
  // the time of day the demo was seeded at.
  const others = elderRows.filter((e) => e.id !== demoElder?.elderId);
  const funded = others.filter((e) => book.balance(`elder:points:${e.id}`) > 0 || book.balance(`elder:fen:${e.id}`) > 0);
  for (let d = -DAYS_BACK; d <= DAYS_AHEAD; d++) {
    const day = addDays(today, d);
    const count = d === 0 ? ORDERS_PER_DAY * 2 : ORDERS_PER_DAY + rnd.int(-6, 6);
    for (let k = 0; k < count; k++) makeOrder(rnd.pick(funded.length && rnd.chance(0.8) ? funded : others), day, rnd);
  }
  // The demo elder: a visit today on the way, one last week (rated), one booked for tomorrow.
  const elder0 = elderRows.find((e) => e.id === demoElder?.elderId);
  if (elder0 && demoWorker?.orgId) {
    const f = { orgId: demoWorker.orgId, workerId: demoWorker.id };
    makeOrder(elder0, addDays(today, -6), rnd, { ...f, status: 'confirmed', itemCode: 'wardrobe_tidy' });
    makeOrder(elder0, today, rnd, { ...f, status: 'en_route', itemCode: 'cleaning' });
    makeOrder(elder0, addDays(today, 1), rnd, { ...f, status: 'assigned', itemCode: 'haircut' });
    // demo-worker's day: a few more tasks in the communities the provider serves.
    const served = new Set(offers.filter((o) => o.orgId === demoWorker.orgId).map((o) => o.region_code));
    const nearby = elderRows.filter((e) => served.has(e.region_code) && e.id !== elder0.id);
    for (const status of ['assigned', 'assigned', 'in_service', 'served'] as const)
      makeOrder(rnd.pick(nearby), today, rnd, { ...f, status });
  }

  await ctx.db.transaction(async (tx) => {
    await book.write(tx);
    await chunked(tx, serviceOrders, orders);
    await chunked(tx, serviceOrderHistory, history);
    await chunked(tx, dispatchOffers, offerRows);
    await chunked(tx, serviceVisits, visits);
    await chunked(tx, serviceRatings, ratings);
    await chunked(tx, serviceComplaints, complaints);
    await tx.execute(sql`SELECT setval('service_order_no_seq', ${seq + 1})`);
    await tx.execute(sql`
      UPDATE provider_profiles p SET rating_sum = p.rating_sum + r.s, rating_count = p.rating_count + r.n
      FROM (SELECT o.provider_id, sum(r.score)::int s, count(*)::int n FROM service_ratings r JOIN service_orders o ON o.id = r.order_id GROUP BY o.provider_id) r
      WHERE p.org_id = r.provider_id`);
  });
  await settleDemoMonths(ctx, today);
}

function pickStatus(r: Random, scheduled: number, now: number): OrderStatus {
  const x = r.next();
  if (scheduled > now + 3 * 3600_000)
    return x < 0.1 ? 'created' : x < 0.35 ? 'dispatched' : x < 0.6 ? 'accepted' : x < 0.95 ? 'assigned' : 'cancelled';
  if (scheduled > now - 3600_000)
    return x < 0.2 ? 'accepted' : x < 0.5 ? 'assigned' : x < 0.75 ? 'en_route' : x < 0.95 ? 'in_service' : 'cancelled';
  if (scheduled > now - 24 * 3600_000) return x < 0.5 ? 'served' : x < 0.92 ? 'confirmed' : 'cancelled';
  return x < 0.9 ? 'confirmed' : x < 0.97 ? 'cancelled' : 'voided';
}

async function chunked<T extends Parameters<Db['insert']>[0]>(tx: DbOrTx, table: T, rows: Array<T['$inferInsert']>) {
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(table).values(rows.slice(i, i + 1000) as never);
}

/** An in-memory double-entry book for the demo, written in bulk with its own timestamps. */
class Ledger {
  private readonly balances = new Map<string, number>();
  readonly txs: Array<Insert<typeof ledgerTransactions>> = [];
  readonly entries: Array<{ transactionId: string; key: string; amount: number; createdAt: Date }> = [];
  readonly grants: Array<Insert<typeof policyGrants>> = [];

  balance(key: string) {
    return this.balances.get(key) ?? 0;
  }

  post(
    kind: TxKind,
    currency: 'points' | 'fen',
    at: Date,
    legs: Array<[string, number]>,
    ref: { elderId?: string; orderId?: string; policyId?: string; memo?: string },
  ) {
    const id = randomUUID();
    this.txs.push({
      id,
      kind,
      currency,
      elderId: ref.elderId ?? null,
      orderId: ref.orderId ?? null,
      policyId: ref.policyId ?? null,
      memo: ref.memo ?? null,
      createdAt: at,
    });
    for (const [key, amount] of legs) {
      this.entries.push({ transactionId: id, key, amount, createdAt: at });
      this.balances.set(key, this.balance(key) + amount);
    }
    return id;
  }

  async write(tx: DbOrTx) {
    const keys = [...new Set(this.entries.map((e) => e.key))];
    const accounts = keys.map((key) => {
      const [kind, currency, ownerId] = key.split(':');
      return { id: randomUUID(), kind: kind as 'elder', currency: currency as 'points', ownerId: ownerId || null, key };
    });
    const idOf = new Map(accounts.map((a) => [a.key, a.id]));
    await chunked(
      tx,
      ledgerAccounts,
      accounts.map(({ key: _k, ...a }) => ({ ...a, balance: this.balance(_k) })),
    );
    await chunked(tx, ledgerTransactions, this.txs);
    await chunked(
      tx,
      ledgerEntries,
      this.entries.map((e) => ({
        transactionId: e.transactionId,
        accountId: idOf.get(e.key) as string,
        amount: e.amount,
        createdAt: e.createdAt,
      })),
    );
    await chunked(tx, policyGrants, this.grants);
  }
}

/** Statements for the finished months: approved two months back and earlier, last month confirmed or draft. */
async function settleDemoMonths(ctx: AppContext, today: string) {
  const bureau: Actor = {
    id: null,
    username: 'demo-district',
    displayName: '王建国（区民政局）',
    role: 'district_admin',
    regionCode: null,
    orgId: null,
  };
  const providersWithOrders = await queryRows<{ provider_id: string }>(
    ctx.db,
    sql`SELECT DISTINCT provider_id FROM service_orders WHERE status = 'confirmed' AND provider_id IS NOT NULL ORDER BY provider_id`,
  );
  const current = cstMonth(cstDayStart(today));
  const months: string[] = [];
  for (let d = addDays(today, -DAYS_BACK); d < `${current}-01`; d = addDays(d, 1))
    if (!months.includes(d.slice(0, 7))) months.push(d.slice(0, 7));
  for (const [mi, month] of months.entries()) {
    const lastMonth = mi === months.length - 1;
    for (const [pi, { provider_id }] of providersWithOrders.entries()) {
      const s = await settlements.drawUp(ctx, bureau, provider_id, month);
      if (lastMonth && pi % 2 === 0) continue; // left as a draft for the provider to confirm
      await settlements.confirm(ctx, { ...bureau, role: 'provider_admin', orgId: provider_id }, s.id);
      if (!lastMonth) await settlements.approve(ctx, bureau, s.id);
    }
  }
}
