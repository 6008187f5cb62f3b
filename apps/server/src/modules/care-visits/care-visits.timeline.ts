import { CARE_FINDING_LABELS_ZH, type CareFindingType } from '@zhiyang/shared';
import type { TimelineSource } from '../elders/timeline.ts';
import { visitsOfElder } from './visits.repo.ts';

/** Recorded 关爱巡访 visits on the elder's 360° timeline, with what they found. */
export const careVisitsTimeline: TimelineSource = {
  name: 'care-visits',
  async fetch(ctx, elderId, q) {
    const rows = await visitsOfElder(ctx.db, elderId, q.before, q.limit);
    return rows.map((v) => {
      const found = [...new Set(v.findings ?? [])].filter((f) => f !== 'not_home');
      const what =
        v.outcome === 'not_home'
          ? '未见到老人'
          : found.length
            ? `发现${found.map((f) => CARE_FINDING_LABELS_ZH[f as CareFindingType] ?? f).join('、')}`
            : '未发现问题';
      return {
        at: new Date(v.at).toISOString(),
        source: 'care-visits',
        kind: 'care-visit.recorded',
        title: `关爱巡访：${what}`,
        detail: { outcome: v.outcome, findings: v.findings ?? [], by: v.by },
        refId: v.id,
      };
    });
  },
};
