import { DEFAULT_CARE_SCRIPT } from '@zhiyang/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Actor, SYSTEM_ACTOR } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { callAgents, callHotlines, callQueues, calls, kbArticles } from '../modules/calls/calls.schema.ts';
import { titleInitials } from '../modules/calls/pinyin.ts';
import { careCallTasks, careVisitTasks } from '../modules/campaigns/campaigns.schema.ts';
import { createCampaign } from '../modules/campaigns/campaigns.service.ts';
import { buildDailyLists } from '../modules/campaigns/lists.service.ts';
import { recordResult } from '../modules/campaigns/results.service.ts';
import { elders } from '../modules/elders/elders.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { communityCode, DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';
import type { DemoState } from './seed.ts';

/** The demo call centre's agents besides demo-operator (password: the demo password). */
export const DEMO_AGENTS = [
  { username: 'demo-agent-1', displayName: '黄丽（呼叫中心坐席）' },
  { username: 'demo-agent-2', displayName: '杨帆（呼叫中心坐席）' },
  { username: 'demo-agent-3', displayName: '何静（呼叫中心坐席）' },
  { username: 'demo-agent-4', displayName: '罗斌（呼叫中心坐席）' },
  { username: 'demo-agent-5', displayName: '梁敏（呼叫中心坐席）' },
];

/**
 * Wuhan's 一键通 calls of 2016 by kind (助餐应急 13.4 %, 家政服务 37.6 %, 康复护理 3.9 %,
 * 心理慰藉 36.2 %, 其他 8.9 %), the 其他 share spread over the remaining categories.
 */
const CATEGORY_MIX: Array<[string, number]> = [
  ['meals', 13.4],
  ['housekeeping', 37.6],
  ['rehab', 3.9],
  ['comfort', 36.2],
  ['enquiry_allowance', 2.2],
  ['enquiry_card', 1.2],
  ['enquiry_policy', 1.5],
  ['device', 1.3],
  ['complaint', 0.8],
  ['emergency', 0.6],
  ['misdial', 0.7],
  ['other', 0.6],
];

const ARTICLES: Array<{ title: string; category: string | null; keywords: string; body: string }> = [
  {
    title: '高龄津贴申领条件',
    category: 'enquiry_allowance',
    keywords: '高龄补贴 津贴 80岁 申领',
    body: '本区户籍、年满 80 周岁的老人可申领高龄津贴。80–89 岁每人每月 100 元，90–99 岁每月 300 元，100 岁及以上每月 600 元。由本人或家属持身份证、户口簿到社区服务站申请，经街道审核、区民政局审批后次月起按月发放。每年需完成一次生存认证。',
  },
  {
    title: '老年人优待证办理',
    category: 'enquiry_card',
    keywords: '优待证 老年证 免费乘车 公园',
    body: '年满 60 周岁的老人（不限户籍，常住即可）可办理老年人优待证，凭证享受公交、公园景点等优待。持身份证和近期一寸照片到社区服务站办理，当场受理，10 个工作日内领证；行动不便的可由家属代办。',
  },
  {
    title: '居家养老服务积分怎么用',
    category: 'enquiry_service',
    keywords: '积分 服务券 政府购买 居家养老',
    body: '符合条件的老人每月获得居家养老服务积分，1 积分抵 1 元，可预约助餐、助洁、助浴、助医等服务。积分当年有效，不能兑换现金。余额可在老人首页或拨打热线查询。',
  },
  {
    title: '一键通终端使用说明',
    category: 'device',
    keywords: '一键通 红键 绿键 呼叫器 终端',
    body: '红色键为紧急求助：按下后呼叫中心立即处置并通知家属和网格员。绿色键为生活服务：接通坐席后说明需要（订餐、保洁、维修等）。终端需保持通电，电量低时会自动提醒。',
  },
  {
    title: '长寿食堂助餐补贴',
    category: 'meals',
    keywords: '助餐 食堂 送餐 补贴',
    body: '60 岁以上老人在长寿食堂就餐每餐补贴 2 元，80 岁以上或低保、特困老人每餐补贴 5 元。行动不便的老人可申请送餐上门，送餐费由服务积分支付。',
  },
  {
    title: '家政服务预约须知',
    category: 'housekeeping',
    keywords: '保洁 助洁 维修 预约',
    body: '家政服务需提前一天预约，服务时间 8:00–18:00。坐席建单后由系统派给就近服务商，服务人员上门前会电话联系。服务结束后请老人或家属确认并评价。',
  },
  {
    title: '心理慰藉与聊天陪伴',
    category: 'comfort',
    keywords: '聊天 陪伴 孤独 心理',
    body: '独居、空巢老人可以随时拨打热线聊天。坐席耐心倾听，必要时转介心理咨询师或安排志愿者上门探访。发现老人情绪低落、言语异常时，记录并通知社区工作人员跟进。',
  },
  {
    title: '投诉处理流程',
    category: 'complaint',
    keywords: '投诉 建议 回访',
    body: '接到投诉后坐席登记投诉并告知老人处理时限（48 小时内回访）。投诉转服务商和街道核实，处理完毕由呼叫中心回访老人，满意后结案。',
  },
];

/**
 * The demo call centre: the hotline with its two queues, six agents (demo-operator and five
 * more), the knowledge base, and three months of inbound calls whose category mix follows the
 * Wuhan figures. Callers are demo elders (their phone's encrypted value and blind index are
 * copied as they are). Deterministic.
 */
export async function seedCalls(ctx: AppContext, state: DemoState) {
  const rnd = seededRandom(20261126);
  const hash = await hashPassword(state.demoPassword);
  await ctx.db
    .insert(users)
    .values(
      DEMO_AGENTS.map((a) => ({
        username: a.username,
        displayName: a.displayName,
        role: 'operator' as const,
        regionCode: DEMO_DISTRICT.code,
        passwordHash: hash,
        mustChangePassword: false,
        isDemo: true,
      })),
    )
    .onConflictDoNothing();
  const agentRows = await queryRows<{ id: string; username: string }>(
    ctx.db,
    sql`SELECT id, username FROM users WHERE username = 'demo-operator' OR username LIKE 'demo-agent-%' ORDER BY username`,
  );
  const [hotline] = await ctx.db
    .insert(callHotlines)
    .values({ number: '968962', name: '智养为老服务热线', regionCode: DEMO_DISTRICT.code, isDemo: true })
    .onConflictDoNothing()
    .returning();
  if (!hotline) return; // already there (a data directory from before this step was remembered)
  const [general] = await ctx.db
    .insert(callQueues)
    .values([
      { hotlineId: hotline.id, name: '综合服务', skill: null, overflowSeconds: 60 },
      { hotlineId: hotline.id, name: '紧急求助', skill: 'emergency', overflowSeconds: 20 },
    ])
    .returning();
  await ctx.db
    .insert(callAgents)
    .values(
      agentRows.map((a, i) => ({
        userId: a.id,
        extension: String(8001 + i),
        skills: a.username === 'demo-operator' || i % 2 === 0 ? ['emergency'] : [],
        regionCode: DEMO_DISTRICT.code,
      })),
    )
    .onConflictDoNothing();
  await ctx.db.insert(kbArticles).values(
    ARTICLES.map((a) => ({
      title: a.title,
      body: a.body,
      keywords: a.keywords,
      titleInitials: titleInitials(a.title),
      categoryCode: a.category,
      regionCode: DEMO_DISTRICT.code,
      isDemo: true,
    })),
  );

  const callers = await queryRows<{ id: string; region_code: string; phone_enc: string; phone_hash: string }>(
    ctx.db,
    sql`SELECT id, region_code, phone_enc, phone_hash FROM elders WHERE is_demo AND phone_hash IS NOT NULL ORDER BY id LIMIT 1500`,
  );
  if (!callers.length) return;
  const total = CATEGORY_MIX.reduce((n, [, w]) => n + w, 0);
  const category = () => {
    let x = rnd.next() * total;
    for (const [code, w] of CATEGORY_MIX) {
      x -= w;
      if (x < 0) return code;
    }
    return 'other';
  };
  // A few elders call often (loneliness, a pending service): the repeat callers of the report.
  const regulars = callers.slice(0, 40);
  const rows: Array<typeof calls.$inferInsert> = [];
  const today = new Date();
  // Three months up to the moment the demo is seeded: today's calls so far included.
  for (let d = 90; d >= 0; d--) {
    const dayStartUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - d) - 8 * 3_600_000;
    const n = rnd.int(28, 48);
    for (let k = 0; k < n; k++) {
      // 8:00–20:00 China time, busiest in the morning.
      const hour = 8 + Math.floor(12 * rnd.next() ** 1.6);
      const offered = new Date(dayStartUtc + (hour * 3600 + rnd.int(0, 3599)) * 1000);
      if (offered.getTime() > today.getTime() - 20 * 60_000) continue;
      const elder = rnd.chance(0.2) ? rnd.pick(regulars) : rnd.pick(callers);
      const fate = rnd.next();
      const base = {
        direction: 'inbound' as const,
        hotlineId: hotline.id,
        queueId: general.id,
        callerEnc: elder.phone_enc,
        callerHash: elder.phone_hash,
        partyKind: 'elder' as const,
        elderId: elder.id,
        regionCode: elder.region_code,
        offeredAt: offered,
        lastEventAt: offered,
        isDemo: true,
      };
      if (fate < 0.04) {
        const gaveUp = new Date(offered.getTime() + rnd.int(8, 90) * 1000);
        rows.push({ ...base, outcome: 'abandoned', endedAt: gaveUp, lastEventAt: gaveUp });
        continue;
      }
      // Mostly answered at once; a tail when every agent is busy.
      const wait = rnd.chance(0.85) ? rnd.int(2, 14) : rnd.int(15, 110);
      const answered = new Date(offered.getTime() + wait * 1000);
      const ended = new Date(answered.getTime() + rnd.int(45, 540) * 1000);
      const wrapped = new Date(ended.getTime() + rnd.int(10, 110) * 1000);
      const agent = rnd.pick(agentRows);
      rows.push({
        ...base,
        agentUserId: agent.id,
        ringingAt: new Date(answered.getTime() - Math.min(wait, 5) * 1000),
        answeredAt: answered,
        endedAt: ended,
        wrapUpEndedAt: wrapped,
        outcome: 'answered',
        categoryCode: category(),
        lastEventAt: wrapped,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) await ctx.db.insert(calls).values(rows.slice(i, i + 1000));
}

/**
 * The demo's two care-call campaigns (主动关爱): weekly for 独居 elders of 80 and over, monthly for
 * 空巢 elders of 70 and over, 09:00–17:30, retried after 2 h, a home visit after 3 days unreached.
 * Today's lists are built at once, so the agents' 今日关爱外呼 has work on a first start; the daily
 * job builds the next ones.
 */
export async function seedCareCampaigns(ctx: AppContext) {
  const base = {
    regionCode: DEMO_DISTRICT.code,
    script: DEFAULT_CARE_SCRIPT,
    workStart: '09:00',
    workEnd: '17:30',
    retryAfterMinutes: 120,
    maxAttemptsPerDay: 3,
    visitAfterDays: 3,
    active: true,
  };
  const weekly = await createCampaign(ctx, SYSTEM_ACTOR, {
    ...base,
    name: '独居老人 80 岁以上 · 每周关爱',
    frequency: 'weekly',
    target: { livingSituations: ['alone'], minAge: 80 },
  });
  await createCampaign(ctx, SYSTEM_ACTOR, {
    ...base,
    name: '空巢老人 70 岁以上 · 每月关爱',
    frequency: 'monthly',
    target: { livingSituations: ['empty_nest'], minAge: 70 },
  });
  await buildDailyLists(ctx, new Date());
  await seedCareResults(ctx);
  await seedVisitTasks(ctx, weekly.id);
}

const NEEDS = ['希望有人上门打扫卫生', '想问问高龄津贴怎么申领', '腿脚不方便，想请人陪同去医院复查', '家里水龙头漏水'];

/**
 * The morning's care calls so far: about half of today's list already dialled by its agents,
 * through the same service the console posts to (each dial a call record, answers kept), so the
 * 外呼关爱 report and the call log have something to show on a first start. Most elders pick up
 * and answer the script; some do not answer or are busy and wait for their retry.
 */
async function seedCareResults(ctx: AppContext) {
  const tasks = await ctx.db
    .select({ id: careCallTasks.id, agentUserId: careCallTasks.agentUserId })
    .from(careCallTasks)
    .where(eq(careCallTasks.status, 'open'))
    .orderBy(asc(careCallTasks.id));
  const agents = new Map<string, Actor>();
  for (const u of await ctx.db.select().from(users).where(sql`${users.username} LIKE 'demo-%'`))
    agents.set(u.id, {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      regionCode: u.regionCode,
      orgId: u.orgId,
    });
  const rnd = seededRandom(1426);
  const now = new Date();
  for (const [i, t] of tasks.entries()) {
    const actor = t.agentUserId ? agents.get(t.agentUserId) : undefined;
    if (!actor || i % 2 === 1) continue;
    const r = rnd.next();
    if (r < 0.72) {
      const health = rnd.next();
      const meals = rnd.next();
      await recordResult(
        ctx,
        actor,
        t.id,
        {
          result: 'answered',
          answers: {
            health: health < 0.55 ? 'good' : health < 0.9 ? 'fair' : 'poor',
            meals: meals < 0.8 ? 'regular' : meals < 0.93 ? 'irregular' : 'needs_help',
            mood: 3 + Math.floor(rnd.next() * 3) - (health >= 0.9 ? 1 : 0),
            ...(rnd.next() < 0.25 ? { needs: rnd.pick(NEEDS) } : {}),
          },
        },
        now,
      );
    } else {
      const result = r < 0.9 ? 'no_answer' : r < 0.97 ? 'busy' : 'refused';
      await recordResult(ctx, actor, t.id, { result }, now);
    }
  }
}

/**
 * Home visits for demo-community's list (上门探访任务): three elders living alone in 锦华路社区 whom
 * last week's calls did not reach on three days, one of them visited already. Written directly:
 * the calls that would make them lie before the demo's first day.
 */
async function seedVisitTasks(ctx: AppContext, campaignId: string) {
  const community = communityCode(0, 0);
  const alone = await ctx.db
    .select({ id: elders.id })
    .from(elders)
    .where(and(eq(elders.regionCode, community), eq(elders.livingSituation, 'alone'), eq(elders.status, 'active')))
    .orderBy(asc(elders.birthDate), asc(elders.name))
    .limit(3);
  const daysAgo = (d: number, hour: number) => new Date(Date.now() - d * 86_400_000 + (hour - 12) * 3_600_000);
  await ctx.db.insert(careVisitTasks).values(
    alone.map((e, i) => ({
      elderId: e.id,
      regionCode: community,
      reason: 'unreached' as const,
      detail: { days: 3, attempts: 9 - i, campaignIds: [campaignId] },
      createdAt: daysAgo(i + 1, 7),
      ...(i === 2 ? { doneAt: daysAgo(1, 15), doneNote: '老人在家，身体尚可；手机欠费停机，已联系女儿充值。' } : {}),
    })),
  );
}
