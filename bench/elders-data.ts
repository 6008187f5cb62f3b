// 100,000 synthetic elders over the 36 demo communities, encoded exactly as the archive stores
// them (encrypted ID and phone, blind indexes of the ID tails, pinyin). Shared by the search and
// import benchmarks. Deterministic (fixed seed); the cipher key is fixed for the run.
import { buildIdNumber, ELDER_CATEGORIES } from '@zhiyang/shared';
import { communityCode } from '../apps/server/src/demo/district.ts';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import type { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { encodeElder } from '../apps/server/src/modules/elders/elders.fields.ts';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤';
const GIVEN = [
  '秀英',
  '桂英',
  '秀兰',
  '玉兰',
  '桂兰',
  '淑芬',
  '凤英',
  '玉珍',
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
  '金山',
  '振华',
  '树林',
  '福生',
  '春生',
  '国庆',
  '丽华',
  '素珍',
  '翠花',
  '淑珍',
  '光明',
  '学文',
];
const LIVING = ['alone', 'empty_nest', 'with_family', 'with_family', 'institution'] as const;
const LEVELS = ['intact', 'mild', 'moderate', 'severe', 'total', null, null] as const;

export interface RawElder {
  name: string;
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
  phone: string | null;
  regionCode: string;
  livingSituation: (typeof LIVING)[number];
  categories: string[];
}

export function* rawElders(count: number, seed = 100_000) {
  const rnd = seededRandom(seed);
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const years = Math.min(103, 60 + Math.floor(-Math.log(1 - rnd.next() * 0.9999) * 8.5));
    const sex = rnd.chance(0.46) ? 'male' : 'female';
    const birth = new Date(Date.UTC(2026, 5, 30) - (years * 365.25 + rnd.int(1, 360)) * 86400_000).toISOString().slice(0, 10);
    let idNumber = buildIdNumber('990101', birth, rnd.int(0, 499), sex);
    for (let k = 0; used.has(idNumber); k++) idNumber = buildIdNumber('990101', birth, k, sex);
    used.add(idNumber);
    const r = rnd.int(0, 35);
    yield {
      name: `${SURNAMES[Math.floor(rnd.next() ** 1.6 * SURNAMES.length)]}${rnd.pick(GIVEN)}`,
      idNumber,
      birthDate: birth,
      sex,
      phone: rnd.chance(0.7) ? `1${rnd.pick(['3', '5', '8'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}` : null,
      regionCode: communityCode(Math.floor(r / 6), r % 6),
      livingSituation: rnd.pick(LIVING),
      categories: ELDER_CATEGORIES.filter(() => rnd.chance(0.04)),
    } satisfies RawElder;
  }
}

export function encodeRaw(cipher: FieldCipher, e: RawElder, rnd: ReturnType<typeof seededRandom>) {
  return {
    ...encodeElder(
      cipher,
      { ...e, idType: 'resident_id', categories: e.categories },
      { idNumber: e.idNumber, birthDate: e.birthDate, sex: e.sex },
    ),
    abilityLevel: rnd.pick(LEVELS),
  };
}
