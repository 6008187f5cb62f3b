import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate, cstDayStart } from '../lib/dates.ts';
import { maskPhone } from '../lib/http.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { users } from '../modules/users/users.schema.ts';
import * as bank from '../modules/volunteers/timebank.repo.ts';
import { creditTask } from '../modules/volunteers/timebank.service.ts';
import * as repo from '../modules/volunteers/volunteers.repo.ts';
import { neighbourhoodPoints, volunteerRelatives, volunteers, volunteerTasks } from '../modules/volunteers/volunteers.schema.ts';
import * as ledger from '../modules/wallets/ledger.repo.ts';
import { communityCode } from './district.ts';
import { seededRandom } from './random.ts';
import type { DemoState } from './seed.ts';

const NAMES = [
  '周晓燕',
  '吴建华',
  '郑小红',
  '王立群',
  '冯丽娟',
  '陈国强',
  '褚秀兰',
  '卫志刚',
  '蒋玉梅',
  '沈海燕',
  '韩冬梅',
  '杨晓东',
  '朱桂芳',
  '秦永红',
  '尤佳琪',
  '许文博',
  '何雨萱',
  '吕子涵',
  '施明辉',
  '张春兰',
];
const KINDS = ['resident', 'younger_elder', 'student', 'other'] as const;
const SKILLS = ['companionship', 'shopping', 'escort', 'repair', 'haircut', 'health', 'legal', 'tech'] as const;
const TASK_KINDS = ['call', 'visit', 'shopping', 'hospital'] as const;
/** How many days of volunteer tasks the demo has behind it. */
export const DEMO_VOLUNTEER_DAYS = 28;

/**
 * Demo step `volunteers`: 20 volunteers of 锦华街道 (the first is the login demo-volunteer; two wait
 * 待审核), three 睦邻点 with their weekly activities, four weeks of tasks done and confirmed with
 * their hours credited on the ledger, open tasks for today, and one redemption by demo-volunteer
 * for their mother. Deterministic; a re-run adds nothing (volunteers exist).
 */
export async function seedVolunteers(ctx: AppContext, state: DemoState) {
  const [had] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM volunteers WHERE is_demo`);
  if (had.n > 0) return;
  const rnd = seededRandom(20261126);
  const today = cstDate();
  const hash = await hashPassword(state.demoPassword);
  const communities = [0, 1, 2].map((c) => communityCode(0, c));
  const elders = await queryRows<{ id: string; region_code: string }>(
    ctx.db,
    sql`SELECT id, region_code FROM elders WHERE region_code IN ${communities} AND status = 'active' ORDER BY id LIMIT 300`,
  );
  if (!elders.length) return;
  await ctx.db.transaction(async (tx) => {
    const ids: Array<{ id: string; region: string; approved: boolean }> = [];
    for (let i = 0; i < NAMES.length; i++) {
      const region = communities[i % communities.length];
      const phone = `1390026${String(1000 + i).slice(-4)}`;
      const [u] = await tx
        .insert(users)
        .values({
          username: i === 0 ? 'demo-volunteer' : `demo-volunteer-${String(i + 1).padStart(2, '0')}`,
          displayName: NAMES[i],
          role: 'volunteer',
          regionCode: i === 0 ? communityCode(0, 0) : region,
          passwordHash: hash,
          mustChangePassword: false,
          isDemo: true,
        })
        .returning({ id: users.id });
      const approved = i < NAMES.length - 2;
      const [v] = await tx
        .insert(volunteers)
        .values({
          userId: u.id,
          name: NAMES[i],
          phoneEnc: ctx.cipher.encrypt(phone),
          phoneIndex: ctx.cipher.blindIndex(phone, 'volunteer-phone'),
          phoneMasked: maskPhone(phone) ?? '',
          regionCode: i === 0 ? communityCode(0, 0) : region,
          status: approved ? 'approved' : 'pending',
          source: i % 3 === 0 ? 'self' : 'staff',
          kind: KINDS[i % KINDS.length],
          skills: [SKILLS[i % SKILLS.length], SKILLS[(i + 3) % SKILLS.length]],
          availability: [
            { weekday: 1 + (i % 7), start: '09:00', end: '11:30' },
            { weekday: 1 + ((i + 3) % 7), start: '14:00', end: '17:00' },
          ],
          reviewedAt: approved ? new Date() : null,
          isDemo: true,
        })
        .returning({ id: volunteers.id });
      ids.push({ id: v.id, region: i === 0 ? communityCode(0, 0) : region, approved });
    }
    const active = ids.filter((v) => v.approved);

    await tx.insert(neighbourhoodPoints).values([
      {
        regionCode: communities[0],
        name: '锦华路睦邻点',
        address: '锦华路社区活动中心一楼',
        lat: 30.6532,
        lng: 104.0821,
        activities: [
          { weekday: 2, start: '09:00', end: '11:00', title: '手工编织' },
          { weekday: 4, start: '14:30', end: '16:00', title: '健康讲座' },
          { weekday: 6, start: '09:30', end: '11:00', title: '智能手机教学' },
        ],
        isDemo: true,
      },
      {
        regionCode: communities[1],
        name: '青石巷睦邻点',
        address: '青石巷12号院',
        lat: 30.6561,
        lng: 104.0855,
        activities: [
          { weekday: 1, start: '15:00', end: '17:00', title: '棋牌娱乐' },
          { weekday: 3, start: '09:00', end: '10:30', title: '太极拳' },
        ],
        isDemo: true,
      },
      {
        regionCode: communities[2],
        name: '书院街睦邻点',
        address: '书院街社区党群服务中心',
        lat: 30.6498,
        lng: 104.0792,
        activities: [{ weekday: 5, start: '14:00', end: '16:00', title: '读书会' }],
        isDemo: true,
      },
    ]);

    // Four weeks of tasks, two or three a day, done and confirmed; the hours credited once each.
    for (let d = DEMO_VOLUNTEER_DAYS; d >= 1; d--) {
      const day = addDays(today, -d);
      for (let k = rnd.int(2, 3); k > 0; k--) {
        const v = active[rnd.int(0, active.length - 1)];
        const sameCommunity = elders.filter((e) => e.region_code === v.region);
        const elder = rnd.pick(sameCommunity.length ? sameCommunity : elders);
        const kind = rnd.pick(TASK_KINDS);
        const minutes = kind === 'call' ? rnd.int(2, 4) * 10 : rnd.int(4, 12) * 10;
        const at = new Date(cstDayStart(day).getTime() + rnd.int(9, 16) * 3_600_000);
        const t = await repo.insertTask(tx, {
          regionCode: elder.region_code,
          elderId: elder.id,
          kind,
          scheduledOn: day,
          plannedMinutes: minutes,
          status: 'confirmed',
          volunteerId: v.id,
          assignedAt: at,
          acceptedAt: at,
          checkedInAt: at,
          checkInMethod: kind === 'call' ? 'call' : rnd.chance(0.5) ? 'qr' : 'gps',
          doneAt: new Date(at.getTime() + minutes * 60_000),
          reportedMinutes: minutes,
          confirmedMinutes: minutes,
          creditedMinutes: minutes,
          confirmedAt: new Date(at.getTime() + 86_400_000),
          isDemo: true,
        });
        const txId = await creditTask(tx, { taskId: t.id, volunteerId: v.id, minutes, actorId: null });
        await tx.execute(sql`UPDATE volunteer_tasks SET credit_tx_id = ${txId} WHERE id = ${t.id}`);
      }
    }

    // demo-volunteer: today's tasks to do, and a redemption for their mother.
    const me = ids[0];
    const mine = elders.filter((e) => e.region_code === me.region);
    for (const [n, kind] of (['visit', 'call'] as const).entries())
      await repo.insertTask(tx, {
        regionCode: me.region,
        elderId: mine[n + 1]?.id ?? elders[n].id,
        kind,
        scheduledOn: today,
        plannedMinutes: kind === 'call' ? 30 : 60,
        notes: kind === 'call' ? '每周电话问候' : '陪老人聊天，看看家中是否安全',
        status: 'assigned',
        volunteerId: me.id,
        assignedAt: new Date(),
        isDemo: true,
      });
    const mother = mine[0] ?? elders[0];
    await tx.insert(volunteerRelatives).values({ volunteerId: me.id, elderId: mother.id, relation: 'parent' });
    const account = await ledger.ensureAccount(tx, 'volunteer', 'minutes', me.id);
    const balance = await ledger.lockBalance(tx, account.id);
    if (balance >= 60) {
      const fund = await ledger.ensureAccount(tx, 'fund', 'minutes', null);
      const r = await bank.insertRedemption(tx, {
        volunteerId: me.id,
        elderId: mother.id,
        regionCode: mother.region_code,
        beneficiary: 'relative',
        relation: 'parent',
        kind: 'hospital',
        minutes: 60,
        serviceMinutes: 60,
        scheduledOn: addDays(today, 2),
        note: '陪同母亲去医院复查',
        isDemo: true,
      });
      const key = `redemption:${r.id}`;
      await bank.claimPosting(tx, { idemKey: key, kind: 'redeem', volunteerId: me.id, redemptionId: r.id, minutes: 60 });
      const txId = await ledger.post(tx, {
        kind: 'redeem',
        currency: 'minutes',
        memo: key,
        legs: [
          { accountId: account.id, amount: -60 },
          { accountId: fund.id, amount: 60 },
        ],
      });
      await bank.setPostingTx(tx, key, txId);
      const [task] = await tx
        .insert(volunteerTasks)
        .values({
          regionCode: mother.region_code,
          elderId: mother.id,
          kind: 'hospital',
          scheduledOn: addDays(today, 2),
          plannedMinutes: 60,
          notes: '陪同母亲去医院复查',
          source: 'redemption',
          redemptionId: r.id,
          isDemo: true,
        })
        .returning({ id: volunteerTasks.id });
      await bank.updateRedemption(tx, r.id, { transactionId: txId, taskId: task.id });
    }
  });
}
