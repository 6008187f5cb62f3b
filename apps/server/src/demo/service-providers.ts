import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { cstDate } from '../lib/dates.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { providerOfferings, serviceItems } from '../modules/catalogue/catalogue.schema.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { policies } from '../modules/policies/policies.schema.ts';
import {
  providerAreas,
  providerLicences,
  providerProfiles,
  providerSites,
  providerStaff,
} from '../modules/providers/providers.schema.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { communityCode, DEMO_STREETS, roadOf, streetCode } from './district.ts';
import { seededRandom } from './random.ts';
import type { DemoState } from './seed.ts';

const PROVIDER_NAMES = [
  '康乐居家养老服务有限公司',
  '七彩夕阳居家养老服务中心',
  '金龄养老服务中心',
  '柏寿老年服务社',
  '颐居通社区服务有限公司',
  '锦华家政养老服务部',
  '青松护理服务有限公司',
  '望江助老服务社',
  '桂溪长者之家',
  '玉林居家照护中心',
  '双楠爱心助老服务社',
  '安康到家养老服务有限公司',
  '福满堂居家服务中心',
  '乐龄社工服务中心',
  '同心助餐配送有限公司',
  '暖阳康复护理站',
  '邻里帮家政服务部',
  '益寿堂健康管理有限公司',
  '守望者心理咨询工作室',
  '惠民维修服务部',
];
const STAFF_SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹';
const STAFF_GIVEN = [
  '芳',
  '丽',
  '静',
  '敏',
  '娟',
  '霞',
  '红',
  '梅',
  '兰',
  '燕',
  '军',
  '伟',
  '强',
  '磊',
  '勇',
  '涛',
  '斌',
  '杰',
  '平',
  '华',
];
const CARE_LEVELS = ['junior', 'intermediate', 'senior', 'technician'] as const;
export const DEMO_PROVIDER_COUNT = 20;
export const DEMO_WORKERS_PER_PROVIDER = 10;

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode(i: number): string {
  const body = `52990101MJ${String(1000 + i * 37).padStart(6, '0')}X`.slice(0, 17).replace(/[IOZSV]/g, 'A');
  const sum = body.split('').reduce((a, c, k) => a + ALPHABET.indexOf(c) * WEIGHTS[k], 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * 20 providers (the district's own demo provider and 19 more), each serving its street's six
 * communities and some of the next street's, so every community has three to five; one or two
 * sites each; 10 workers each (200, `demo-worker` among them) with certificates, a few expired;
 * offerings at prices within the ceilings; the Wuhou-style points policy and three Guandu-style
 * purchased-service tiers, switched on.
 */
export async function seedServiceProviders(ctx: AppContext, state: DemoState) {
  const rnd = seededRandom(4_000_2026);
  const today = cstDate();
  const year = Number(today.slice(0, 4));
  const existing = await ctx.db.select().from(organizations).where(eq(organizations.type, 'provider'));
  const regionRows = await ctx.db.select().from(regions).where(sql`${regions.code} LIKE '990101%'`);
  const regionByCode = new Map(regionRows.map((r) => [r.code, r]));
  if (!regionByCode.size) return;
  const items = await ctx.db.select().from(serviceItems).where(eq(serviceItems.active, true));
  // One password hash for every demo worker keeps the step fast (argon2 is slow on purpose).
  const hash = await hashPassword(state.demoPassword);

  await ctx.db.transaction(async (tx) => {
    const orgIds: string[] = [];
    const demoOrg = existing.find((o) => o.name === PROVIDER_NAMES[0]);
    const newOrgs: Array<typeof organizations.$inferInsert> = [];
    for (let i = 0; i < DEMO_PROVIDER_COUNT; i++) {
      if (i === 0 && demoOrg) {
        orgIds.push(demoOrg.id);
        continue;
      }
      const id = randomUUID();
      orgIds.push(id);
      newOrgs.push({
        id,
        type: 'provider',
        name: PROVIDER_NAMES[i],
        regionCode: streetCode(i % DEMO_STREETS.length),
        contactName: `${STAFF_SURNAMES[i]}经理`,
        contactPhone: `028-8${String(rnd.int(1000000, 9999999))}`,
        address: `${DEMO_STREETS[i % DEMO_STREETS.length]}${rnd.int(1, 300)}号`,
        isDemo: true,
      });
    }
    if (newOrgs.length) await tx.insert(organizations).values(newOrgs);

    const profiles: Array<typeof providerProfiles.$inferInsert> = [];
    const licences: Array<typeof providerLicences.$inferInsert> = [];
    const areas: Array<typeof providerAreas.$inferInsert> = [];
    const sites: Array<typeof providerSites.$inferInsert> = [];
    const offerings: Array<typeof providerOfferings.$inferInsert> = [];
    orgIds.forEach((orgId, i) => {
      const street = i % DEMO_STREETS.length;
      // Provider 17 waits for approval, 18 is suspended, 19 is on the dishonesty list.
      const approvalStatus = i === 17 ? 'pending' : i === 18 ? 'suspended' : 'approved';
      const ratings = rnd.int(5, 60);
      profiles.push({
        orgId,
        creditCode: creditCode(i),
        legalPerson: `${STAFF_SURNAMES[(i * 7) % STAFF_SURNAMES.length]}${STAFF_GIVEN[i % STAFF_GIVEN.length]}`,
        approvalStatus,
        statusReason: i === 18 ? '投诉核查中，暂停派单' : null,
        dishonest: i === 19,
        dishonestReason: i === 19 ? '虚报服务工单（2025 年专项检查）' : null,
        dailyCapacity: rnd.int(30, 80),
        ratingSum: Math.round(ratings * (3.6 + rnd.next() * 1.3)),
        ratingCount: ratings,
        approvedAt: approvalStatus === 'pending' ? null : new Date(Date.UTC(year - 1, rnd.int(0, 11), rnd.int(1, 28))),
      });
      licences.push({
        orgId,
        kind: '营业执照',
        number: `YYZZ-${creditCode(i).slice(-8)}`,
        validUntil: `${year + rnd.int(1, 5)}-12-31`,
      });
      // Two providers' service licences run out within the warning window.
      const expiring = i === 3 || i === 11;
      licences.push({
        orgId,
        kind: '养老服务备案',
        number: `YLBA-${1000 + i}`,
        validUntil: expiring ? cstDate(new Date(Date.now() + (i === 3 ? 12 : 25) * 86400_000)) : `${year + rnd.int(1, 3)}-06-30`,
      });
      const served = new Set<string>();
      for (let c = 0; c < 6; c++) served.add(communityCode(street, c));
      const next = (street + 1) % DEMO_STREETS.length;
      for (let c = 0; c < 6; c++) if (rnd.chance(0.35)) served.add(communityCode(next, c));
      for (const code of served) if (regionByCode.has(code)) areas.push({ orgId, regionCode: code });
      const siteCount = rnd.chance(0.5) ? 2 : 1;
      for (let k = 0; k < siteCount; k++) {
        const code = communityCode(street, rnd.int(0, 5));
        const r = regionByCode.get(code);
        sites.push({
          orgId,
          name: `${PROVIDER_NAMES[i].slice(0, 4)}${r?.name ?? ''}服务站`,
          regionCode: code,
          address: `${r ? roadOf(r.name) : ''}${rnd.int(1, 99)}号`,
          lat: (r?.lat ?? 30.63) + (rnd.next() - 0.5) * 0.004,
          lng: (r?.lng ?? 104.06) + (rnd.next() - 0.5) * 0.004,
          isDemo: true,
        });
      }
      // The demo provider offers everything; the others a subset.
      for (const item of items) {
        if (i !== 0 && !rnd.chance(0.55)) continue;
        const price = item.refPriceFen + Math.round((rnd.next() * (item.ceilingPriceFen - item.refPriceFen)) / 100) * 100;
        offerings.push({ orgId, itemId: item.id, priceFen: Math.min(price, item.ceilingPriceFen) });
      }
    });
    await tx.insert(providerProfiles).values(profiles).onConflictDoNothing();
    await tx.insert(providerLicences).values(licences);
    await tx.insert(providerAreas).values(areas).onConflictDoNothing();
    await tx.insert(providerSites).values(sites);
    await tx.insert(providerOfferings).values(offerings).onConflictDoNothing();

    // 200 workers; demo-worker is the first of the demo provider.
    const demoWorker = (await tx.select().from(users).where(eq(users.username, 'demo-worker')))[0];
    const workerUsers: Array<typeof users.$inferInsert> = [];
    const staff: Array<typeof providerStaff.$inferInsert> = [];
    orgIds.forEach((orgId, i) => {
      for (let k = 0; k < DEMO_WORKERS_PER_PROVIDER; k++) {
        const n = i * DEMO_WORKERS_PER_PROVIDER + k;
        const name = `${STAFF_SURNAMES[(n * 7 + 3) % STAFF_SURNAMES.length]}${STAFF_GIVEN[(n * 3) % STAFF_GIVEN.length]}${k % 3 ? STAFF_GIVEN[(n * 11) % STAFF_GIVEN.length] : ''}`;
        let userId: string;
        if (i === 0 && k === 0 && demoWorker) userId = demoWorker.id;
        else {
          userId = randomUUID();
          workerUsers.push({
            id: userId,
            username: `demo-w-${String(n).padStart(3, '0')}`,
            displayName: `${name}（服务人员）`,
            role: 'service_worker',
            orgId,
            passwordHash: hash,
            mustChangePassword: false,
            isDemo: true,
          });
        }
        const expired = n % 23 === 7; // about 4 %: shown in red, cannot be assigned
        staff.push({
          userId,
          orgId,
          name: i === 0 && k === 0 ? '赵敏' : name,
          careLevel: CARE_LEVELS[n % CARE_LEVELS.length],
          careCertNo: `HLY-${year - rnd.int(1, 6)}-${String(n).padStart(4, '0')}`,
          careCertValidUntil: expired ? `${year - 1}-09-30` : `${year + rnd.int(1, 4)}-12-31`,
          healthCertValidUntil: `${year + 1}-0${rnd.int(1, 9)}-15`,
          isDemo: true,
        });
      }
    });
    for (let i = 0; i < workerUsers.length; i += 500)
      await tx
        .insert(users)
        .values(workerUsers.slice(i, i + 500))
        .onConflictDoNothing();
    await tx.insert(providerStaff).values(staff).onConflictDoNothing();

    // The demo elder's community must be served by the demo provider (its worker visits her).
    const demoElder = (await tx.select({ elderId: users.elderId }).from(users).where(eq(users.username, 'demo-elder')))[0];
    if (demoElder?.elderId) {
      await tx.execute(sql`
        INSERT INTO provider_areas (org_id, region_code)
        SELECT ${orgIds[0]}, region_code FROM elders WHERE id = ${demoElder.elderId}
        ON CONFLICT DO NOTHING`);
    }

    await tx.insert(policies).values(demoPolicies(year));
  });
}

/**
 * Wuhou (seed 000): 300 points a year to local residents 80+. Guandu (seed 002): 300/200/100 yuan a
 * month by category. Each names the catalogue categories it pays for; 适老化改造 (home adaptation)
 * is covered by none, so it is self-paid.
 */
export function demoPolicies(year: number): Array<typeof policies.$inferInsert> {
  const base = { regionCode: '990101', status: 'active' as const, isDemo: true, validFrom: `${year - 1}-01-01`, prorate: true };
  return [
    {
      ...base,
      name: '高龄老人居家养老服务积分（武侯模式）',
      kind: 'points_grant',
      amount: 300,
      period: 'year',
      conditions: { minAge: 80, hukouLocal: true },
      // Wuhou's points buy everyday help at home: 生活照料, 探访关爱, 精神慰藉, 委托代办.
      covers: { categories: ['daily_care', 'visiting', 'comfort', 'errands'], itemIds: [] },
      expireUnused: true,
    },
    {
      ...base,
      name: '政府购买居家养老服务 一档（特困/三无/五保 需护理）',
      kind: 'purchase_credit',
      amount: 30000,
      period: 'month',
      conditions: { minAge: 60, categoriesAny: ['tekun'], abilityLevels: ['mild', 'moderate', 'severe', 'total'] },
      // Elders who need care: daily care, basic care and health management.
      covers: { categories: ['daily_care', 'basic_care', 'health'], itemIds: [] },
      expireUnused: true,
    },
    {
      ...base,
      name: '政府购买居家养老服务 二档（低保失能 / 70 岁以上重残）',
      kind: 'purchase_credit',
      amount: 20000,
      period: 'month',
      conditions: { minAge: 60, categoriesAny: ['dibao', 'severe_disability'], abilityLevels: ['severe', 'total'] },
      covers: { categories: ['daily_care', 'basic_care'], itemIds: [] },
      expireUnused: true,
    },
    {
      ...base,
      name: '政府购买居家养老服务 三档（80 岁以上空巢）',
      kind: 'purchase_credit',
      amount: 10000,
      period: 'month',
      conditions: { minAge: 80, livingSituations: ['empty_nest', 'alone'] },
      // Living alone at 80+: everyday help, visits and someone to talk to.
      covers: { categories: ['daily_care', 'visiting', 'comfort'], itemIds: [] },
      expireUnused: true,
    },
  ];
}
