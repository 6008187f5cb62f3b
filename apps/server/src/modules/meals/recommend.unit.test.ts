import { describe, expect, it } from 'vitest';
import { inferPeriod } from './periods.ts';
import { type DishForRecommendation, readDiet, recommendDishes } from './recommend.ts';
import { planSubsidy } from './subsidy.ts';

const dish = (name: string, extra: Partial<DishForRecommendation> = {}): DishForRecommendation => ({
  id: name,
  name,
  category: 'meat',
  priceFen: 1000,
  healthTags: [],
  allergens: [],
  ...extra,
});

describe('dish recommendation', () => {
  it('reads the archive: conditions and restrictions into tags, allergies into allergens', () => {
    const d = readDiet({
      chronicConditions: ['高血压', '2型糖尿病'],
      dietRestrictions: ['清真'],
      allergies: ['对花生过敏', '海鲜'],
    });
    expect([...d.wanted.keys()].sort()).toEqual(['halal', 'low_salt', 'low_sugar']);
    expect([...d.hard]).toEqual(['halal']);
    expect([...d.allergens.keys()].sort()).toEqual(['fish', 'peanut', 'seafood', 'shellfish']);
  });

  it('never recommends an allergen, warns in one Chinese line, explains each recommendation', () => {
    const out = recommendDishes({ chronicConditions: ['高血压'], dietRestrictions: [], allergies: ['花生'] }, [
      dish('宫保鸡丁', { allergens: ['peanut'], healthTags: ['low_salt'] }),
      dish('清蒸鸡', { healthTags: ['low_salt', 'low_fat'] }),
      dish('红烧肉'),
    ]);
    expect(out.map((r) => [r.name, r.recommended])).toEqual([
      ['清蒸鸡', true],
      ['红烧肉', false],
      ['宫保鸡丁', false],
    ]);
    expect(out[0].reason).toBe('推荐：高血压宜低盐');
    expect(out[2].warnings).toEqual(['含花生，老人对花生过敏']);
    expect(out[2].reason).toBe('不推荐：含花生，老人对花生过敏');
    expect(out[1].reason).toBe('未标注低盐，可选但不优先');
  });

  it('a seafood dish is a warning for a fish allergy and the other way round', () => {
    const out = recommendDishes({ chronicConditions: [], dietRestrictions: [], allergies: ['鱼'] }, [
      dish('海鲜粥', { allergens: ['seafood'] }),
    ]);
    expect(out[0]).toMatchObject({ recommended: false, warnings: ['含海鲜，老人对鱼过敏'] });
  });

  it('a hard restriction (清真, 素食) turns other dishes into warnings; no needs: everything fits', () => {
    const [veg, meat] = recommendDishes({ chronicConditions: [], dietRestrictions: ['素食'], allergies: [] }, [
      dish('红烧肉'),
      dish('清炒时蔬', { category: 'vegetable', healthTags: ['vegetarian'] }),
    ]);
    expect(veg).toMatchObject({ name: '清炒时蔬', recommended: true, reason: '推荐：要求素食' });
    expect(meat).toMatchObject({ recommended: false, warnings: ['非素食菜品，老人要求素食'] });
    const [any] = recommendDishes({ chronicConditions: [], dietRestrictions: [], allergies: [] }, [
      dish('米饭', { category: 'staple' }),
    ]);
    expect(any).toMatchObject({ recommended: true, reason: '老人无饮食禁忌，主食可放心选用' });
  });
});

describe('meal period and subsidy plan', () => {
  it('takes the period whose hours hold the time, else the nearest (China time)', () => {
    const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+08:00`);
    expect(inferPeriod([], at('07:10'))).toBe('breakfast');
    expect(inferPeriod([], at('12:00'))).toBe('lunch');
    expect(inferPeriod([], at('15:50'))).toBe('dinner');
    expect(inferPeriod([], at('23:00'))).toBe('dinner');
    expect(inferPeriod([{ period: 'lunch', start: '11:00', end: '12:30' }], at('07:00'))).toBe('lunch');
  });

  it('adds the policies’ parts within per-meal amount, daily caps, the lot, the price and the balance', () => {
    const lot = (id: string, per: number, extra: Record<string, unknown> = {}) => ({
      policy_id: id,
      name: id,
      per_meal_fen: { lunch: per },
      daily_cap_fen: null,
      daily_meals: null,
      period_key: '2026-03',
      remaining: 10_000,
      ...extra,
    });
    const plan = (lots: ReturnType<typeof lot>[], paid = new Map(), totalFen = 1500, balanceFen = 100_000) =>
      planSubsidy({ lots, paidToday: paid, period: 'lunch', totalFen, balanceFen }).map((p) => p.amountFen);
    expect(plan([lot('a', 500), lot('b', 300)])).toEqual([500, 300]);
    expect(plan([lot('a', 500, { daily_cap_fen: 600 })], new Map([['a', { fen: 400, meals: 1 }]]))).toEqual([200]);
    expect(plan([lot('a', 500, { daily_meals: 1 })], new Map([['a', { fen: 500, meals: 1 }]]))).toEqual([]);
    expect(plan([lot('a', 500, { remaining: 120 })])).toEqual([120]);
    expect(plan([lot('a', 500), lot('b', 300)], new Map(), 600)).toEqual([500, 100]);
    expect(plan([lot('a', 500)], new Map(), 1500, 50)).toEqual([50]);
    expect(
      planSubsidy({ lots: [lot('a', 500)], paidToday: new Map(), period: 'dinner', totalFen: 900, balanceFen: 900 }),
    ).toEqual([]);
  });
});
