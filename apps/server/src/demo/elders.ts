import { ASSESSMENT_ITEMS, type AssessmentBackground, buildIdNumber, ELDER_CATEGORIES, scoreAssessment } from '@zhiyang/shared';
import { inArray } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { assessments } from '../modules/assessments/assessments.schema.ts';
import { encodeElder } from '../modules/elders/elders.fields.ts';
import { elderContacts, elders } from '../modules/elders/elders.schema.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { communityCode, DEMO_DISTRICT, roadOf } from './district.ts';
import { type Random, seededRandom } from './random.ts';

/** Given names by sex: an elder's name is drawn from the list of the sex the ID number carries. */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤';
export const FEMALE_GIVEN_NAMES: readonly string[] = [
  '秀英',
  '桂英',
  '秀兰',
  '玉兰',
  '桂兰',
  '淑芬',
  '凤英',
  '玉珍',
  '秀珍',
  '素芳',
  '兰英',
  '翠花',
  '玉梅',
  '凤兰',
  '淑英',
  '秀芳',
  '桂芳',
  '玉英',
  '秀华',
  '桂珍',
  '淑珍',
  '素珍',
  '丽华',
  '琼英',
];
export const MALE_GIVEN_NAMES: readonly string[] = [
  '建国',
  '国华',
  '德明',
  '志强',
  '文华',
  '明华',
  '建华',
  '国强',
  '德华',
  '永福',
  '长福',
  '金山',
  '正华',
  '振华',
  '玉山',
  '树林',
  '福生',
  '连生',
  '春生',
  '国庆',
  '德胜',
  '世民',
  '光明',
  '学文',
];
const CHRONIC = ['高血压', '糖尿病', '冠心病', '慢阻肺', '骨关节病', '脑卒中后遗症', '白内障', '骨质疏松'];
const DIET = ['低盐', '低糖', '低脂', '软食', '清真', '流食'];
const RELATION = ['子女', '子女', '子女', '配偶', '孙子女', '兄弟姐妹', '邻居', '其他亲属'];
const COUNT = 3000;
/** A fixed "today" keeps ages and due dates the same on every machine and every year. */
const REFERENCE = new Date(Date.UTC(2026, 5, 30));

const day = (d: Date) => d.toISOString().slice(0, 10);
const uuid = (rnd: Random) => {
  const h = Array.from({ length: 32 }, () => Math.floor(rnd.next() * 16).toString(16));
  h[12] = '4';
  h[16] = ((Math.floor(rnd.next() * 4) + 8) as number).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};
const phone = (rnd: Random) =>
  `1${rnd.pick(['3', '5', '8', '9'])}${rnd.int(0, 9)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;

/** Ages 60–103, most in their sixties and seventies, few centenarians (an exponential tail). */
const age = (rnd: Random) => Math.min(103, 60 + Math.floor(-Math.log(1 - rnd.next() * 0.9999) * 8.5));

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * One ability profile per elder: physical and cognitive decline, from 0 (none) to 1 (complete),
 * both more likely with age. Every answer on the assessment sheet is derived from it, so the
 * answers agree with each other (nobody "recognises no one, not even themselves" with full
 * marks for memory) and the total, the level and the dementia flag follow from them.
 */
export interface AbilityProfile {
  physical: number;
  cognitive: number;
}
export function abilityProfile(rnd: Random, years: number): AbilityProfile {
  const ageing = clamp01((years - 62) / 38);
  const physical = clamp01(ageing * (0.2 + rnd.next() * 1.1) + (rnd.chance(0.06) ? rnd.next() * 0.5 : 0));
  const cognitive = rnd.chance(0.04 + ageing * 0.25) ? clamp01(0.3 + rnd.next() * 0.7) : clamp01(ageing * rnd.next() * 0.35);
  return { physical, cognitive };
}

/**
 * How soon each item is lost as the decline grows (1 = in step with it; above 1 earlier, below 1
 * later): bathing and stairs go before eating; memory and time before recognising people.
 */
const ITEM_SENSITIVITY: Record<string, (p: AbilityProfile) => number> = {
  eating: (p) => p.physical * 0.6,
  grooming: (p) => Math.max(p.physical * 0.9, p.cognitive * 0.6),
  bathing: (p) => Math.max(p.physical * 1.3, p.cognitive * 0.8),
  dressing_upper: (p) => Math.max(p.physical * 0.9, p.cognitive * 0.6),
  dressing_lower: (p) => Math.max(p.physical * 1.1, p.cognitive * 0.6),
  urination: (p) => Math.max(p.physical * 0.8, p.cognitive * 0.7),
  defecation: (p) => Math.max(p.physical * 0.7, p.cognitive * 0.6),
  bed_mobility: (p) => p.physical * 0.7,
  bed_chair_transfer: (p) => p.physical * 0.9,
  stairs: (p) => p.physical * 1.4,
  time_orientation: (p) => p.cognitive * 1.2,
  place_orientation: (p) => p.cognitive * 1.0,
  person_orientation: (p) => p.cognitive * 0.75,
  memory: (p) => p.cognitive * 1.3,
  comprehension: (p) => p.cognitive * 0.9,
  expression: (p) => p.cognitive * 0.85,
  vision: (p) => p.physical * 0.5,
  transport: (p) => Math.max(p.physical * 1.3, p.cognitive * 1.2),
  social: (p) => Math.max(p.physical * 0.6, p.cognitive * 1.0),
};

/** The GB/T 42195 sheet an assessor would fill in for this profile (no randomness of its own). */
export function sheetFor(profile: AbilityProfile): Record<string, number> {
  return Object.fromEntries(
    ASSESSMENT_ITEMS.map((it) => {
      const loss = clamp01(ITEM_SENSITIVITY[it.key]?.(profile) ?? profile.physical);
      return [it.key, Math.round(it.max * (1 - loss))];
    }),
  );
}

/** 3,000 elders over the 36 demo communities with contacts, and a signed assessment for about half. */
export async function seedElders(ctx: AppContext) {
  const rnd = seededRandom(3_000_2026);
  const communityRows = await ctx.db
    .select()
    .from(regions)
    .where(
      inArray(
        regions.code,
        Array.from({ length: 36 }, (_, i) => communityCode(Math.floor(i / 6), i % 6)),
      ),
    );
  const communities = communityRows.sort((a, b) => a.code.localeCompare(b.code));
  if (communities.length === 0) return;
  const staff = await ctx.db
    .select({ id: users.id, name: users.displayName, username: users.username })
    .from(users)
    .where(inArray(users.username, ['demo-community', 'demo-street']));
  const assessorA = staff.find((u) => u.username === 'demo-community');
  const assessorB = staff.find((u) => u.username === 'demo-street');
  const ids = new Set<string>();
  const elderRows: Array<typeof elders.$inferInsert> = [];
  const contactRows: Array<typeof elderContacts.$inferInsert> = [];
  const assessmentRows: Array<typeof assessments.$inferInsert> = [];

  for (let i = 0; i < COUNT; i++) {
    const years = age(rnd);
    // The sex comes first; the given name is drawn from that sex's list and the ID number's 17th
    // digit carries it, so the three always agree (郑秀英, the demo elder, is a woman).
    const drawn = rnd.chance(0.45 - (years - 60) / 200) ? 'male' : 'female';
    const sex = i === 0 ? 'female' : drawn;
    const birth = new Date(REFERENCE.getTime() - (years * 365.25 + rnd.int(1, 360)) * 86400_000);
    let idNumber = buildIdNumber(DEMO_DISTRICT.code, day(birth), rnd.int(0, 499), sex);
    for (let k = 0; ids.has(idNumber); k++) idNumber = buildIdNumber(DEMO_DISTRICT.code, day(birth), k, sex);
    ids.add(idNumber);
    // The first community holds more elders so the demo community account has a real list.
    const community = i < 300 ? communities[0] : rnd.pick(communities);
    const name =
      i === 0
        ? '郑秀英'
        : `${SURNAMES[Math.floor(rnd.next() ** 1.6 * SURNAMES.length)]}${rnd.pick(sex === 'male' ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES)}`;
    const categories = ELDER_CATEGORIES.filter((c) => {
      if (c === 'centenarian') return years >= 100;
      const p = {
        tekun: 0.02,
        dibao: 0.06,
        dibao_edge: 0.03,
        disabled_care: 0.04 + years / 1500,
        severe_disability: 0.03,
        special_family: 0.015,
        entitled: 0.02,
      }[c];
      return rnd.chance(p);
    });
    const living = rnd.next();
    const hukouLocal = rnd.chance(0.85);
    const fields = {
      name,
      idType: 'resident_id' as const,
      idNumber,
      phone: rnd.chance(0.65) ? phone(rnd) : null,
      regionCode: community.code,
      // Local residents' hukou is the district; for the others the origin was not recorded.
      hukouRegionCode: hukouLocal ? DEMO_DISTRICT.code : null,
      hukouLocal,
      address: `${roadOf(community.name)}${rnd.int(1, 120)}号${rnd.int(1, 12)}栋${rnd.int(1, 4)}单元${rnd.int(1, 18)}0${rnd.int(1, 4)}`,
      lat: (community.lat ?? DEMO_DISTRICT.lat) + (rnd.next() - 0.5) * 0.006,
      lng: (community.lng ?? DEMO_DISTRICT.lng) + (rnd.next() - 0.5) * 0.006,
      livingSituation: (living < 0.18
        ? 'alone'
        : living < 0.48
          ? 'empty_nest'
          : living < 0.96
            ? 'with_family'
            : 'institution') as 'alone',
      categories,
      disabilityLevel: categories.includes('severe_disability') ? rnd.int(1, 2) : null,
      medicalInsurance: rnd.pick(['employee', 'resident', 'resident', 'employee', 'none'] as const),
      chronicConditions: CHRONIC.filter(() => rnd.chance(0.2)),
      allergies: rnd.chance(0.08) ? [rnd.pick(['青霉素', '磺胺', '海鲜', '花粉'])] : [],
      dietRestrictions: DIET.filter(() => rnd.chance(0.1)),
    };
    const id = uuid(rnd);
    // 建档: two to six years before the reference day, so before every assessment (at most 420
    // days back), device install (700) and order or alarm (92 and 60 days back from today).
    const archivedAt = new Date(REFERENCE.getTime() - rnd.int(730, 2190) * 86400_000 + rnd.int(9 * 60, 17 * 60) * 60_000);
    const row: typeof elders.$inferInsert = {
      id,
      ...encodeElder(ctx.cipher, fields, { idNumber, birthDate: day(birth), sex }),
      isDemo: true,
      createdAt: archivedAt,
      updatedAt: archivedAt,
    };
    const contacts = rnd.chance(0.88) ? rnd.int(1, 3) : 0;
    for (let c = 0; c < contacts; c++) {
      const p = phone(rnd);
      contactRows.push({
        elderId: id,
        name: `${c === 0 ? name[0] : rnd.pick([...SURNAMES.slice(0, 20)])}${rnd.pick([...MALE_GIVEN_NAMES, ...FEMALE_GIVEN_NAMES])}`,
        relationship: rnd.pick(RELATION),
        phoneEnc: ctx.cipher.encrypt(p),
        phoneHash: ctx.cipher.blindIndex(p, 'phone'),
        callOrder: c + 1,
        isGuardian: c === 0,
        holdsKey: c === 0 ? rnd.chance(0.7) : rnd.chance(0.2),
      });
    }
    if (rnd.chance(0.5) && assessorA && assessorB) {
      const assessedOn = day(new Date(REFERENCE.getTime() - rnd.int(5, 420) * 86400_000));
      const profile = abilityProfile(rnd, years);
      const scores = sheetFor(profile);
      const background: AssessmentBackground & { diagnoses: string[] } = {
        coma: false,
        // A diagnosis only where the sheet shows marked cognitive decline.
        dementiaOrMentalDisorder: profile.cognitive >= 0.5,
        riskEvents30d: rnd.chance(0.02 + profile.physical * 0.15) ? [{ type: 'fall', count: rnd.int(1, 3) }] : [],
        diagnoses: fields.chronicConditions,
      };
      const result = scoreAssessment(scores, background);
      const signedAt = new Date(`${assessedOn}T10:00:00+08:00`);
      const nextDue = `${Number(assessedOn.slice(0, 4)) + 1}${assessedOn.slice(4)}`.replace('-02-29', '-02-28');
      assessmentRows.push({
        elderId: id,
        regionCode: community.code,
        reason: rnd.chance(0.7) ? 'first' : 'routine',
        assessedOn,
        location: '老人家中',
        background,
        scores,
        ...result,
        status: 'signed',
        assessor1Id: assessorA.id,
        assessor1Name: assessorA.name,
        assessor1SignedAt: signedAt,
        assessor2Id: assessorB.id,
        assessor2Name: assessorB.name,
        assessor2SignedAt: signedAt,
        nextDue,
        createdBy: assessorA.id,
        createdAt: signedAt,
        updatedAt: signedAt,
      });
      row.abilityLevel = result.level;
      row.nextAssessmentDue = nextDue;
    }
    elderRows.push(row);
  }

  await ctx.db.transaction(async (tx) => {
    for (let i = 0; i < elderRows.length; i += 500) await tx.insert(elders).values(elderRows.slice(i, i + 500));
    for (let i = 0; i < contactRows.length; i += 1000) await tx.insert(elderContacts).values(contactRows.slice(i, i + 1000));
    for (let i = 0; i < assessmentRows.length; i += 500) await tx.insert(assessments).values(assessmentRows.slice(i, i + 500));
    // The demo elder and family accounts belong to 郑秀英, the first elder.
    await tx
      .update(users)
      .set({ elderId: elderRows[0].id as string })
      .where(inArray(users.username, ['demo-elder', 'demo-family']));
  });
}
