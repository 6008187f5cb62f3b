import { randomUUID } from 'node:crypto';
import type { Allergen, DishCategory, HealthTag, MealPeriod } from '@zhiyang/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import {
  canteenDishes,
  canteenMenuItems,
  canteens,
  canteenTicketCounters,
  mealSubsidies,
  mealSubsidyRules,
  meals,
  type PerMealFen,
} from '../modules/meals/meals.schema.ts';
import { runMissedMealCheck } from '../modules/meals/signals.service.ts';
import { planSubsidy } from '../modules/meals/subsidy.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { policies, policyGrants } from '../modules/policies/policies.schema.ts';
import { isClosedPeriod } from '../modules/wallets/ledger.repo.ts';
import { grantDraws, ledgerEntries, ledgerTransactions } from '../modules/wallets/ledger.schema.ts';
import { communityCode, DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';

/** Days of meal history before today (today itself is left to the canteen to serve). */
export const DEMO_MEAL_DAYS = 91;
/** Diners per canteen: regulars and occasional guests. */
const DINERS = 70;

type D = [string, DishCategory, number, HealthTag[], Allergen[], MealPeriod[]];
const DISHES: D[] = [
  ['白粥', 'porridge', 100, ['soft', 'low_salt', 'low_fat', 'low_sugar'], [], ['breakfast']],
  ['南瓜小米粥', 'porridge', 200, ['soft', 'low_salt', 'low_fat'], [], ['breakfast', 'dinner']],
  ['牛奶燕麦粥', 'porridge', 300, ['soft', 'high_protein'], ['milk'], ['breakfast']],
  ['鸡蛋羹', 'snack', 200, ['soft', 'low_salt', 'high_protein'], ['egg'], ['breakfast']],
  ['杂粮馒头', 'staple', 100, ['high_fiber', 'low_fat', 'low_sugar'], ['wheat'], ['breakfast']],
  ['豆浆', 'snack', 150, ['low_fat', 'vegetarian'], ['soy'], ['breakfast']],
  ['米饭', 'staple', 100, ['vegetarian'], [], ['lunch', 'dinner']],
  ['清蒸鲈鱼', 'meat', 1200, ['low_salt', 'low_fat', 'high_protein'], ['fish'], ['lunch']],
  ['红烧肉', 'meat', 1000, [], [], ['lunch', 'dinner']],
  ['土豆烧牛肉', 'meat', 1200, ['soft', 'high_protein'], [], ['lunch', 'dinner']],
  ['宫保鸡丁', 'meat', 900, [], ['peanut'], ['lunch']],
  ['白灼虾', 'meat', 1500, ['low_fat', 'high_protein'], ['shellfish'], ['lunch']],
  ['番茄炒蛋', 'vegetable', 600, ['soft'], ['egg'], ['lunch', 'dinner']],
  ['清炒时蔬', 'vegetable', 500, ['low_salt', 'low_fat', 'vegetarian', 'high_fiber'], [], ['lunch', 'dinner']],
  ['麻婆豆腐', 'vegetable', 600, ['vegetarian'], ['soy'], ['lunch', 'dinner']],
  ['蒸南瓜', 'vegetable', 300, ['soft', 'low_salt', 'low_fat', 'vegetarian', 'high_fiber'], [], ['dinner']],
  ['冬瓜排骨汤', 'soup', 500, ['low_salt', 'low_fat'], [], ['lunch', 'dinner']],
  ['紫菜蛋花汤', 'soup', 300, ['low_fat'], ['egg'], ['lunch', 'dinner']],
  ['清真牛肉面', 'set_meal', 1200, ['halal'], ['wheat'], ['lunch']],
];
const HOURS: Record<MealPeriod, string> = { breakfast: '07:30', lunch: '11:45', dinner: '17:30' };

/** The two meal policies of the demo bureau: who, the monthly cap, and the rule per meal. */
const POLICIES: Array<{
  name: string;
  amount: number;
  conditions: object;
  rule: PerMealFen;
  dailyCapFen?: number;
  dailyMeals?: number;
}> = [
  {
    name: '80岁以上老人助餐补贴',
    amount: 6000,
    conditions: { minAge: 80, hukouLocal: true },
    rule: { breakfast: 100, lunch: 300, dinner: 200 },
    dailyCapFen: 500,
  },
  {
    name: '低保特困老人助餐补贴',
    amount: 5000,
    conditions: { categoriesAny: ['dibao', 'tekun'] },
    rule: { lunch: 300, dinner: 300 },
    dailyMeals: 1,
  },
];

async function chunked<T extends Parameters<DbOrTx['insert']>[0]>(tx: DbOrTx, table: T, rows: Array<T['$inferInsert']>) {
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(table).values(rows.slice(i, i + 1000) as never);
}

/**
 * Demo step `meals`: the second canteen (青松路社区长寿食堂), both canteens' profiles, dishes and
 * menus from three months back to a week ahead, the bureau's two meal policies with their rules,
 * three months of meals (yesterday the last; a few regulars stopped coming, a few meals refunded),
 * paid through the ledger from the policies' monthly lots exactly as the checkout pays, and the
 * day's missed-meal signals. Bulk SQL in one transaction; fixed seed.
 */
export async function seedMeals(ctx: AppContext) {
  const rnd = seededRandom(1600);
  const today = cstDate();
  const first = addDays(today, -DEMO_MEAL_DAYS);
  await ctx.db.transaction(async (tx) => {
    // The canteens: 锦华路 (demo-canteen's, street 1) and a second one in street 2.
    const [jinhua] = await tx
      .select()
      .from(organizations)
      .where(and(eq(organizations.type, 'canteen'), eq(organizations.name, '锦华路社区长寿食堂')));
    if (!jinhua) return; // no demo district
    // Already seeded (a start that stopped after this transaction): leave it as it is.
    const [done] = await tx
      .select()
      .from(organizations)
      .where(and(eq(organizations.type, 'canteen'), eq(organizations.name, '青松路社区长寿食堂')));
    if (done) return;
    const [qingsong] = await tx
      .insert(organizations)
      .values({
        type: 'canteen',
        name: '青松路社区长寿食堂',
        regionCode: communityCode(1, 0),
        contactPhone: '028-86612345',
        address: '青松路88号社区服务中心一楼',
        isDemo: true,
      })
      .returning();
    const sites = [
      { id: jinhua.id, street: 0, address: '锦华路12号社区服务中心一楼', capacity: 80 },
      { id: qingsong.id, street: 1, address: '青松路88号社区服务中心一楼', capacity: 60 },
    ];
    await tx.insert(canteens).values(
      sites.map((c) => ({
        orgId: c.id,
        address: c.address,
        communities: [0, 1, 2].map((k) => communityCode(c.street, k)),
        openDays: [1, 2, 3, 4, 5, 6, 7],
        opensAt: '06:30',
        closesAt: '19:00',
        mealPeriods: [
          { period: 'breakfast' as const, start: '06:30', end: '09:00' },
          { period: 'lunch' as const, start: '11:00', end: '13:00' },
          { period: 'dinner' as const, start: '16:30', end: '18:30' },
        ],
        capacity: c.capacity,
        deliveryCommunities: [0, 1].map((k) => communityCode(c.street, k)),
      })),
    );

    // Dishes and menus (a rotation of the day's dishes for each period).
    const menus = new Map<string, Array<{ id: string; name: string; price: number; category: DishCategory }>>();
    for (const c of sites) {
      const dishes = await tx
        .insert(canteenDishes)
        .values(
          DISHES.map(([name, category, priceFen, healthTags, allergens]) => ({
            canteenId: c.id,
            name,
            category,
            priceFen,
            healthTags,
            allergens,
          })),
        )
        .returning();
      const rows: Array<typeof canteenMenuItems.$inferInsert> = [];
      for (let day = first; day <= addDays(today, 6); day = addDays(day, 1)) {
        const n = Math.round((Date.parse(day) - Date.parse(first)) / 86_400_000);
        for (const period of ['breakfast', 'lunch', 'dinner'] as MealPeriod[]) {
          const offered = DISHES.map((d, i) => ({ d, dish: dishes[i] })).filter(({ d }) => d[5].includes(period));
          // Staples every day; the others rotate (4 of them a day).
          const staples = offered.filter(({ d }) => d[1] === 'staple');
          const others = offered.filter(({ d }) => d[1] !== 'staple');
          const pick = [
            ...staples,
            ...Array.from({ length: Math.min(4, others.length) }, (_x, k) => others[(n + k) % others.length]),
          ];
          menus.set(
            `${c.id} ${day} ${period}`,
            pick.map(({ dish }) => ({ id: dish.id, name: dish.name, price: dish.priceFen, category: dish.category })),
          );
          pick.forEach(({ dish }, position) => {
            rows.push({ canteenId: c.id, day, period, dishId: dish.id, priceFen: dish.priceFen, position });
          });
        }
      }
      await chunked(tx, canteenMenuItems, rows);
    }

    // The meal policies and their rules.
    const policyRows = await tx
      .insert(policies)
      .values(
        POLICIES.map((p) => ({
          name: p.name,
          kind: 'purchase_credit' as const,
          amount: p.amount,
          period: 'month' as const,
          regionCode: DEMO_DISTRICT.code,
          conditions: p.conditions,
          covers: { categories: [], itemIds: [] },
          validFrom: `${first.slice(0, 7)}-01`,
          prorate: false,
          expireUnused: true,
          status: 'active' as const,
          isDemo: true,
        })),
      )
      .returning();
    await tx.insert(mealSubsidyRules).values(
      policyRows.map((p, i) => ({
        policyId: p.id,
        perMealFen: POLICIES[i].rule,
        dailyCapFen: POLICIES[i].dailyCapFen ?? null,
        dailyMeals: POLICIES[i].dailyMeals ?? null,
      })),
    );

    // The diners: elders of each canteen's communities, in a fixed order.
    const book = new MealBook(tx);
    const mealRows: Array<typeof meals.$inferInsert> = [];
    const subsidyRows: Array<typeof mealSubsidies.$inferInsert> = [];
    const tickets = new Map<string, number>();
    // Every month from the first meal day to yesterday (three months of meals span four).
    const months: string[] = [];
    for (let d = first; d <= addDays(today, -1); d = addDays(d, 1))
      if (months.at(-1) !== d.slice(0, 7)) months.push(d.slice(0, 7));
    const openMonths = new Set<string>();
    for (const m of months) if (!(await isClosedPeriod(tx, m))) openMonths.add(m);
    for (const c of sites) {
      const diners = await queryRows<{
        id: string;
        region_code: string;
        birth_date: string;
        categories: string[];
        hukou_local: boolean;
      }>(
        tx,
        sql`SELECT id, region_code, birth_date::text AS birth_date, categories, hukou_local FROM elders
            WHERE is_demo AND status = 'active' AND region_code IN ${[0, 1, 2].map((k) => communityCode(c.street, k))}
              AND birth_date <= ${`${Number(today.slice(0, 4)) - 65}${today.slice(4)}`}::date
            ORDER BY region_code, birth_date, name, id_number_hash LIMIT ${DINERS}`,
      );
      for (const [n, e] of diners.entries()) {
        const bornBy = (years: number) => `${Number(today.slice(0, 4)) - years}${today.slice(4)}`;
        const lots = POLICIES.map((p, i) => {
          const cond = p.conditions as { minAge?: number; hukouLocal?: boolean; categoriesAny?: string[] };
          const fits =
            (cond.minAge === undefined || e.birth_date <= bornBy(cond.minAge)) &&
            (cond.hukouLocal === undefined || e.hukou_local === cond.hukouLocal) &&
            (cond.categoriesAny === undefined || cond.categoriesAny.some((k) => e.categories.includes(k)));
          return fits ? policyRows[i] : null;
        }).filter((p) => p !== null);
        // Grants of the open months for the policies the elder fits (the monthly cap as a lot).
        const lotLeft = new Map<string, number>();
        for (const m of openMonths)
          for (const p of lots) {
            book.grant(p.id, p.name, e.id, m, p.amount);
            lotLeft.set(`${p.id} ${m}`, p.amount);
          }
        // A regular eats lunch most days, some breakfasts and dinners; every 9th regular stopped 4–6 days ago.
        const regular = n % 4 !== 3;
        const stoppedOn = regular && n % 9 === 0 ? addDays(today, -rnd.int(4, 6)) : null;
        for (let day = first; day < today; day = addDays(day, 1)) {
          if (!openMonths.has(day.slice(0, 7)) || (stoppedOn && day >= stoppedOn)) continue;
          const paid = new Map<string, { fen: number; meals: number }>();
          for (const period of ['breakfast', 'lunch', 'dinner'] as MealPeriod[]) {
            const p = period === 'lunch' ? (regular ? 0.85 : 0.2) : regular ? 0.25 : 0.05;
            if (!rnd.chance(p)) continue;
            const menu = menus.get(`${c.id} ${day} ${period}`) ?? [];
            const staple = menu.filter((d) => d.category === 'staple');
            const main = menu.filter((d) => d.category !== 'staple');
            const items = [
              ...(staple.length ? [{ ...rnd.pick(staple), qty: 1 }] : []),
              ...(main.length ? [{ ...rnd.pick(main), qty: 1 }] : []),
            ];
            const totalFen = items.reduce((a, i) => a + i.price * i.qty, 0);
            const month = day.slice(0, 7);
            const plan = planSubsidy({
              lots: lots.map((pol) => {
                const i = policyRows.indexOf(pol);
                return {
                  policy_id: pol.id,
                  name: pol.name,
                  per_meal_fen: POLICIES[i].rule,
                  daily_cap_fen: POLICIES[i].dailyCapFen ?? null,
                  daily_meals: POLICIES[i].dailyMeals ?? null,
                  period_key: month,
                  remaining: lotLeft.get(`${pol.id} ${month}`) ?? 0,
                };
              }),
              paidToday: paid,
              period,
              totalFen,
              balanceFen: Number.MAX_SAFE_INTEGER,
            });
            const id = randomUUID();
            const eatenAt = new Date(`${day}T${HOURS[period]}:00+08:00`);
            const refunded = rnd.chance(0.01);
            const subsidyFen = plan.reduce((a, x) => a + x.amountFen, 0);
            if (subsidyFen > 0) {
              book.capture(id, e.id, c.id, eatenAt, plan, month);
              if (refunded) book.refund(id, e.id, c.id, new Date(eatenAt.getTime() + 15 * 60_000), plan, month);
            }
            if (!refunded)
              for (const x of plan) {
                lotLeft.set(`${x.policyId} ${month}`, (lotLeft.get(`${x.policyId} ${month}`) ?? 0) - x.amountFen);
                const u = paid.get(x.policyId) ?? { fen: 0, meals: 0 };
                paid.set(x.policyId, { fen: u.fen + x.amountFen, meals: u.meals + 1 });
              }
            const ticketKey = `${c.id} ${day}`;
            const ticket = (tickets.get(ticketKey) ?? 0) + 1;
            tickets.set(ticketKey, ticket);
            const selfPayFen = totalFen - subsidyFen;
            mealRows.push({
              id,
              ticketNo: `${period[0].toUpperCase()}${String(ticket).padStart(3, '0')}`,
              canteenId: c.id,
              elderId: e.id,
              regionCode: e.region_code,
              day,
              period,
              eatenAt,
              items: items.map((i) => ({ dishId: i.id, name: i.name, priceFen: i.price, qty: i.qty })),
              totalFen,
              subsidyFen,
              selfPayFen,
              payMethod: selfPayFen === 0 ? 'none' : rnd.chance(0.6) ? 'mobile' : 'cash',
              status: refunded ? 'refunded' : 'served',
              idempotencyKey: `demo-${id}`,
              requestHash: 'demo',
              refundedAt: refunded ? new Date(eatenAt.getTime() + 15 * 60_000) : null,
              refundReason: refunded ? '老人临时有事，未取餐' : null,
              createdAt: eatenAt,
            });
            for (const x of plan)
              subsidyRows.push({ mealId: id, policyId: x.policyId, elderId: e.id, day, amountFen: x.amountFen });
          }
        }
      }
    }
    await chunked(tx, meals, mealRows);
    await chunked(tx, mealSubsidies, subsidyRows);
    await chunked(
      tx,
      canteenTicketCounters,
      [...tickets].map(([k, last]) => ({ canteenId: k.split(' ')[0], day: k.split(' ')[1], last })),
    );
    await book.write();
  });
  await runMissedMealCheck(ctx, today);
}

/**
 * The meals' money in bulk, posted as the checkout posts it: a monthly grant per policy lot, a
 * capture per subsidised meal from the wallet to the canteen, a refund back, the draws on the
 * lots; balances and lots are brought up to date at the end.
 */
type Plan = Array<{ policyId: string; amountFen: number }>;

class MealBook {
  private readonly txs: Array<typeof ledgerTransactions.$inferInsert> = [];
  private readonly entries: Array<{ transactionId: string; key: string; amount: number; createdAt: Date }> = [];
  private readonly grants: Array<typeof policyGrants.$inferInsert> = [];
  private readonly draws: Array<typeof grantDraws.$inferInsert> = [];
  private readonly delta = new Map<string, number>();

  constructor(private readonly tx: DbOrTx) {}

  private post(
    kind: 'grant' | 'capture' | 'refund',
    at: Date,
    legs: Array<[string, number]>,
    ref: { elderId: string; orderId?: string; policyId?: string; memo: string },
  ) {
    const id = randomUUID();
    this.txs.push({
      id,
      kind,
      currency: 'fen',
      elderId: ref.elderId,
      orderId: ref.orderId ?? null,
      policyId: ref.policyId ?? null,
      memo: ref.memo,
      createdAt: at,
    });
    for (const [key, amount] of legs) {
      this.entries.push({ transactionId: id, key, amount, createdAt: at });
      this.delta.set(key, (this.delta.get(key) ?? 0) + amount);
    }
    return id;
  }

  grant(policyId: string, name: string, elderId: string, month: string, amount: number) {
    const at = new Date(`${month}-01T00:10:00+08:00`);
    const transactionId = this.post(
      'grant',
      at,
      [
        [`fund:${policyId}`, -amount],
        [`elder:${elderId}`, amount],
      ],
      {
        elderId,
        policyId,
        memo: `${name} ${month}`,
      },
    );
    this.grants.push({ policyId, elderId, periodKey: month, amount, remaining: amount, transactionId, createdAt: at });
  }

  /** A subsidised meal: its policies' parts move from the elder's wallet to the canteen. */
  capture(mealId: string, elderId: string, canteenId: string, at: Date, plan: Plan, month: string) {
    this.move('capture', 1, '助餐', mealId, elderId, canteenId, at, plan, month);
  }

  /** A refunded meal: the same parts back to the wallet, and back onto the lots. */
  refund(mealId: string, elderId: string, canteenId: string, at: Date, plan: Plan, month: string) {
    this.move('refund', -1, '助餐退餐：老人临时有事，未取餐', mealId, elderId, canteenId, at, plan, month);
  }

  private move(
    kind: 'capture' | 'refund',
    sign: 1 | -1,
    memo: string,
    mealId: string,
    elderId: string,
    canteenId: string,
    at: Date,
    plan: Plan,
    month: string,
  ) {
    const fen = sign * plan.reduce((a, p) => a + p.amountFen, 0);
    const legs: Array<[string, number]> = [
      [`elder:${elderId}`, -fen],
      [`provider:${canteenId}`, fen],
    ];
    const transactionId = this.post(kind, at, sign === 1 ? legs : legs.reverse(), { elderId, orderId: mealId, memo });
    for (const p of plan)
      this.draws.push({
        policyId: p.policyId,
        elderId,
        periodKey: month,
        transactionId,
        orderId: mealId,
        amount: sign * p.amountFen,
        createdAt: at,
      });
  }

  async write() {
    const tx = this.tx;
    // The accounts, existing or new (an elder may already hold a fen wallet from other policies).
    const keys = [...this.delta.keys()];
    const parts = keys.map((k) => {
      const [kind, owner] = k.split(':');
      return { key: k, kind, owner };
    });
    for (let i = 0; i < parts.length; i += 1000)
      await tx.execute(sql`
        INSERT INTO ledger_accounts (kind, currency, owner_id)
        VALUES ${sql.join(
          parts.slice(i, i + 1000).map((p) => sql`(${p.kind}, 'fen', ${p.owner}::uuid)`),
          sql`, `,
        )}
        ON CONFLICT (kind, currency, COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'::uuid)) DO NOTHING`);
    const idOf = new Map<string, string>();
    for (let i = 0; i < parts.length; i += 1000) {
      const owners = parts.slice(i, i + 1000).map((p) => p.owner);
      const rows = await queryRows<{ id: string; kind: string; owner_id: string }>(
        tx,
        sql`SELECT id, kind, owner_id FROM ledger_accounts WHERE currency = 'fen' AND owner_id IN ${owners}`,
      );
      for (const r of rows) idOf.set(`${r.kind}:${r.owner_id}`, r.id);
    }
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
    const moves = [...this.delta].filter(([, d]) => d !== 0);
    for (let i = 0; i < moves.length; i += 1000)
      await tx.execute(sql`
        UPDATE ledger_accounts a SET balance = a.balance + m.delta
        FROM (VALUES ${sql.join(
          moves.slice(i, i + 1000).map(([k, d]) => sql`(${idOf.get(k)}::uuid, ${d}::bigint)`),
          sql`, `,
        )}) AS m(id, delta)
        WHERE a.id = m.id`);
    // Lots: what is left after the draws.
    const drawn = new Map<string, number>();
    for (const d of this.draws) {
      const k = `${d.policyId} ${d.elderId} ${d.periodKey}`;
      drawn.set(k, (drawn.get(k) ?? 0) + d.amount);
    }
    await chunked(
      tx,
      policyGrants,
      this.grants.map((g) => ({ ...g, remaining: g.amount - (drawn.get(`${g.policyId} ${g.elderId} ${g.periodKey}`) ?? 0) })),
    );
    await chunked(tx, grantDraws, this.draws);
  }
}
