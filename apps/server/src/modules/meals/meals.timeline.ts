import { MEAL_PERIOD_LABELS_ZH } from '@zhiyang/shared';
import type { TimelineSource } from '../elders/timeline.ts';
import { elderMealHistory } from './meals.repo.ts';

const yuan = (fen: number | null) => ((fen ?? 0) / 100).toFixed(2);

/** Meals' contribution to the elder's 360° timeline: each meal, each refund, each missed-meal signal. */
export const mealsTimeline: TimelineSource = {
  name: 'meals',
  async fetch(ctx, elderId, q) {
    const rows = await elderMealHistory(ctx.db, elderId, q.before, q.limit);
    return rows.map((r) => {
      const period = r.period ? MEAL_PERIOD_LABELS_ZH[r.period] : '';
      const title =
        r.kind === 'served'
          ? `长寿食堂就餐：${r.canteen_name} ${period} ${yuan(r.total_fen)} 元（补贴 ${yuan(r.subsidy_fen)} 元）`
          : r.kind === 'refunded'
            ? `助餐退餐：${r.canteen_name} ${period}（${r.reason ?? ''}）`
            : `未就餐提醒：已连续 ${r.days_absent} 天未到${r.canteen_name ?? '长寿食堂'}就餐`;
      return {
        at: new Date(r.at).toISOString(),
        source: 'meals',
        kind: `meal.${r.kind}`,
        title,
        refId: r.ref_id,
      };
    });
  },
};
