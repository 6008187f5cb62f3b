import {
  ALLERGEN_LABELS_ZH,
  type Allergen,
  DISH_CATEGORY_LABELS_ZH,
  type DishCategory,
  HEALTH_TAG_LABELS_ZH,
  type HealthTag,
} from '@zhiyang/shared';

/**
 * Dish recommendation from the elder's archive: chronic conditions and diet restrictions say
 * which health tags suit the elder (高血压 → 低盐), allergies say which dishes must never be
 * recommended. The archive holds free Chinese text, so each rule matches by keyword. Pure: the
 * unit test holds the rules.
 */

/** Chronic condition keyword → the tags that suit it. */
const CONDITION_TAGS: Array<[RegExp, HealthTag[]]> = [
  [/高血压/, ['low_salt']],
  [/糖尿病|血糖/, ['low_sugar']],
  [/冠心病|心脏病|心衰/, ['low_fat', 'low_salt']],
  [/高血脂|高脂血|血脂/, ['low_fat']],
  [/痛风|尿酸/, ['low_purine']],
  [/肾/, ['low_salt']],
  [/脑卒中|中风|吞咽|咀嚼|牙/, ['soft']],
  [/便秘/, ['high_fiber']],
  [/肥胖|脂肪肝/, ['low_fat']],
];

/** Diet restriction keyword → tag; the hard ones exclude a dish without the tag. */
const DIET_TAGS: Array<[RegExp, HealthTag, boolean]> = [
  [/低盐|少盐|限盐/, 'low_salt', false],
  [/低糖|无糖|少糖/, 'low_sugar', false],
  [/低脂|少油/, 'low_fat', false],
  [/软食|软烂/, 'soft', false],
  [/流食|流质/, 'liquid', false],
  [/低嘌呤/, 'low_purine', false],
  [/清真/, 'halal', true],
  [/素食|吃素/, 'vegetarian', true],
];

/** Allergy keyword → allergen codes. */
const ALLERGY_CODES: Array<[RegExp, Allergen[]]> = [
  [/海鲜|海产/, ['seafood', 'fish', 'shellfish']],
  [/鱼/, ['fish']],
  [/虾|蟹|贝|蛤|螺/, ['shellfish']],
  [/花生/, ['peanut']],
  [/坚果|核桃|杏仁|腰果|榛子/, ['tree_nut']],
  [/蛋/, ['egg']],
  [/奶|乳/, ['milk']],
  [/大豆|黄豆|豆制品|豆腐/, ['soy']],
  [/小麦|麸质|面粉/, ['wheat']],
  [/芝麻/, ['sesame']],
];

export interface ElderDiet {
  chronicConditions: string[];
  dietRestrictions: string[];
  allergies: string[];
}

export interface DishForRecommendation {
  id: string;
  name: string;
  category: DishCategory;
  priceFen: number;
  healthTags: HealthTag[];
  allergens: Allergen[];
}

export interface Recommendation {
  dishId: string;
  name: string;
  category: DishCategory;
  priceFen: number;
  healthTags: HealthTag[];
  recommended: boolean;
  score: number;
  reason: string;
  warnings: string[];
}

/** What the elder needs: each wanted tag with the archive entry that asks for it, the hard tags, the allergens. */
export function readDiet(diet: ElderDiet) {
  const wanted = new Map<HealthTag, string>();
  const hard = new Set<HealthTag>();
  for (const c of diet.chronicConditions)
    for (const [re, tags] of CONDITION_TAGS) if (re.test(c)) for (const t of tags) if (!wanted.has(t)) wanted.set(t, c);
  for (const d of diet.dietRestrictions)
    for (const [re, tag, isHard] of DIET_TAGS)
      if (re.test(d)) {
        if (!wanted.has(tag)) wanted.set(tag, d);
        if (isHard) hard.add(tag);
      }
  const allergens = new Map<Allergen, string>();
  for (const a of diet.allergies) {
    for (const [re, codes] of ALLERGY_CODES)
      if (re.test(a)) for (const code of codes) if (!allergens.has(code)) allergens.set(code, a);
  }
  return { wanted, hard, allergens };
}

/** Does a dish marked with `dishAllergen` hold what an elder allergic to `elderAllergen` must avoid? */
function conflicts(dishAllergen: Allergen, elderAllergen: Allergen) {
  if (dishAllergen === elderAllergen) return true;
  const sea = new Set<Allergen>(['fish', 'shellfish']);
  return (dishAllergen === 'seafood' && sea.has(elderAllergen)) || (elderAllergen === 'seafood' && sea.has(dishAllergen));
}

/** Rank the dishes for the elder: recommended first (by how many needs they meet), then the rest; allergens are warnings. */
export function recommendDishes(diet: ElderDiet, dishes: DishForRecommendation[]): Recommendation[] {
  const { wanted, hard, allergens } = readDiet(diet);
  const out = dishes.map((d): Recommendation => {
    const warnings: string[] = [];
    const warned = new Set<Allergen>();
    for (const a of d.allergens)
      for (const [code, said] of allergens)
        if (conflicts(a, code) && !warned.has(a)) {
          warned.add(a);
          warnings.push(`含${ALLERGEN_LABELS_ZH[a]}，老人对${said}过敏`);
        }
    for (const tag of hard)
      if (!d.healthTags.includes(tag)) warnings.push(`非${HEALTH_TAG_LABELS_ZH[tag]}菜品，老人要求${HEALTH_TAG_LABELS_ZH[tag]}`);
    const met = [...wanted].filter(([tag]) => d.healthTags.includes(tag));
    const missing = [...wanted].filter(([tag]) => !d.healthTags.includes(tag) && !hard.has(tag));
    const recommended = warnings.length === 0 && (wanted.size === 0 || met.length > 0);
    let reason: string;
    if (warnings.length) reason = `不推荐：${warnings[0]}`;
    else if (met.length)
      reason = `推荐：${met.map(([tag, why]) => (why === HEALTH_TAG_LABELS_ZH[tag] ? `要求${why}` : `${why}宜${HEALTH_TAG_LABELS_ZH[tag]}`)).join('；')}`;
    else if (wanted.size) reason = `未标注${missing.map(([tag]) => HEALTH_TAG_LABELS_ZH[tag]).join('、')}，可选但不优先`;
    else reason = `老人无饮食禁忌，${DISH_CATEGORY_LABELS_ZH[d.category]}可放心选用`;
    return {
      dishId: d.id,
      name: d.name,
      category: d.category,
      priceFen: d.priceFen,
      healthTags: d.healthTags,
      recommended,
      score: recommended ? met.length * 2 + 1 : warnings.length ? -warnings.length : 0,
      reason,
      warnings,
    };
  });
  return out.sort((a, b) => b.score - a.score || a.priceFen - b.priceFen || a.name.localeCompare(b.name, 'zh'));
}
