import type { Role } from '@zhiyang/shared';
import type { AppContext } from '../lib/context.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { DEMO_CENTRE, demoCommunityPoint, demoStreetPoint } from './lattice.ts';
import { seededRandom } from './random.ts';
import type { DemoState } from './seed.ts';

/** The fictional demo district. 99 is no province, so the code can never clash with a real one. */
export const DEMO_DISTRICT = { code: '990101', name: '智养示范区', ...DEMO_CENTRE };

export const DEMO_STREETS = ['锦华街道', '青松街道', '望江街道', '桂溪街道', '玉林街道', '双楠街道'];
const COMMUNITY_NAMES = [
  '锦华路',
  '芙蓉',
  '百花',
  '金桂',
  '银杏',
  '翠竹',
  '青松',
  '松林',
  '长青',
  '柏树',
  '梅园',
  '兰亭',
  '望江',
  '江滨',
  '合江',
  '九眼桥',
  '临江',
  '滨河',
  '桂溪',
  '桂花',
  '丹桂',
  '和平',
  '永安',
  '新康',
  '玉林',
  '芳草',
  '紫荆',
  '南苑',
  '东篱',
  '西岭',
  '双楠',
  '楠园',
  '龙井',
  '红星',
  '光华',
  '清水河',
];

/**
 * The road an address in a community lies on: the community's name without 社区, with 路 added
 * unless it already names a road or street (锦华路社区 → 锦华路, never 锦华路路).
 */
export const roadOf = (communityName: string) => {
  const base = communityName.replace(/社区$/, '');
  return /[路街巷道]$/.test(base) ? base : `${base}路`;
};

export const streetCode = (i: number) => `${DEMO_DISTRICT.code}${String(i + 1).padStart(3, '0')}`;
export const communityCode = (street: number, c: number) => `${streetCode(street)}${String(c + 1).padStart(3, '0')}`;

/** The demo accounts, one per role. Usernames are documented in README.md. */
export const DEMO_ACCOUNTS: Array<{
  username: string;
  role: Role;
  displayName: string;
  scope: 'district' | 'street' | 'community' | 'provider' | 'canteen' | 'institution' | 'none';
}> = [
  { username: 'demo-district', role: 'district_admin', displayName: '王建国（区民政局）', scope: 'district' },
  { username: 'demo-street', role: 'street_staff', displayName: '李红梅（锦华街道）', scope: 'street' },
  { username: 'demo-community', role: 'community_staff', displayName: '张丽（锦华路社区）', scope: 'community' },
  { username: 'demo-operator', role: 'operator', displayName: '陈静（呼叫中心坐席）', scope: 'district' },
  { username: 'demo-provider', role: 'provider_admin', displayName: '刘强（康乐居家服务）', scope: 'provider' },
  { username: 'demo-worker', role: 'service_worker', displayName: '赵敏（服务人员）', scope: 'provider' },
  { username: 'demo-responder', role: 'responder', displayName: '孙伟（网格员）', scope: 'community' },
  { username: 'demo-canteen', role: 'canteen_staff', displayName: '周芳（长寿食堂）', scope: 'canteen' },
  { username: 'demo-institution', role: 'institution_staff', displayName: '吴磊（福寿养老院）', scope: 'institution' },
  { username: 'demo-elder', role: 'elder', displayName: '郑秀英（老人）', scope: 'none' },
  { username: 'demo-family', role: 'family', displayName: '郑小明（家属）', scope: 'none' },
];

/** Regions, organisations and one account per role. */
export async function seedDistrict(ctx: AppContext, state: DemoState) {
  const rnd = seededRandom(20261122);
  const regionRows: Array<typeof regions.$inferInsert> = [
    { ...DEMO_DISTRICT, level: 'district', parentCode: null, isDemo: true },
  ];
  // Points are the centres of the demo outlines' cells (demo/boundaries.ts), so every elder placed
  // around a community's point lies inside its outline. The draws stay, so the rest of the
  // district (phone numbers …) comes out as before.
  DEMO_STREETS.forEach((name, s) => {
    rnd.next();
    rnd.next();
    const { lat, lng } = demoStreetPoint(s);
    regionRows.push({ code: streetCode(s), parentCode: DEMO_DISTRICT.code, level: 'street', name, lat, lng, isDemo: true });
    for (let c = 0; c < 6; c++) {
      rnd.next();
      rnd.next();
      regionRows.push({
        code: communityCode(s, c),
        parentCode: streetCode(s),
        level: 'community',
        name: `${COMMUNITY_NAMES[s * 6 + c]}社区`,
        ...demoCommunityPoint(s, c),
        isDemo: true,
      });
    }
  });
  const hash = await hashPassword(state.demoPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(regions).values(regionRows).onConflictDoNothing();
    const org = (type: typeof organizations.$inferInsert.type, name: string, regionCode: string) => ({
      type,
      name,
      regionCode,
      contactName: null,
      contactPhone: `028-8${String(rnd.int(1000000, 9999999))}`,
      address: null,
      isDemo: true,
    });
    const orgRows = [
      org('bureau', '智养示范区民政局', DEMO_DISTRICT.code),
      org('call_centre', '智养示范区养老服务呼叫中心', DEMO_DISTRICT.code),
      ...DEMO_STREETS.map((n, s) => org('street_office', `${n}办事处`, streetCode(s))),
      ...DEMO_STREETS.flatMap((_, s) =>
        Array.from({ length: 6 }, (_x, c) =>
          org('community_centre', `${COMMUNITY_NAMES[s * 6 + c]}社区养老服务站`, communityCode(s, c)),
        ),
      ),
      org('provider', '康乐居家养老服务有限公司', streetCode(0)),
      org('canteen', '锦华路社区长寿食堂', communityCode(0, 0)),
      org('institution', '福寿养老院', streetCode(1)),
      org('institution', '康宁护理院', streetCode(3)),
    ];
    const inserted = await tx.insert(organizations).values(orgRows).returning();
    const byType = (t: string) => inserted.find((o) => o.type === t)?.id ?? null;
    await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          username: a.username,
          displayName: a.displayName,
          role: a.role,
          regionCode:
            a.scope === 'district'
              ? DEMO_DISTRICT.code
              : a.scope === 'street'
                ? streetCode(0)
                : a.scope === 'community'
                  ? communityCode(0, 0)
                  : null,
          orgId:
            a.scope === 'provider'
              ? byType('provider')
              : a.scope === 'canteen'
                ? byType('canteen')
                : a.scope === 'institution'
                  ? byType('institution')
                  : null,
          passwordHash: hash,
          mustChangePassword: false,
          isDemo: true,
        })),
      )
      .onConflictDoNothing();
  });
}
