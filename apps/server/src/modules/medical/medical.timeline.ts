import { MEDICAL_VISIT_SOURCE_LABELS_ZH } from '@zhiyang/shared';
import type { TimelineSource } from '../elders/timeline.ts';
import { medicalEventsOfElder } from './timeline.repo.ts';

type Source = keyof typeof MEDICAL_VISIT_SOURCE_LABELS_ZH;

/** 上门医疗 made and 家庭病床 admitted / discharged on the elder's 360° timeline (who came, not what they found). */
export const medicalTimeline: TimelineSource = {
  name: 'medical',
  async fetch(ctx, elderId, q) {
    const rows = await medicalEventsOfElder(ctx.db, elderId, q.before, q.limit);
    return rows.map((r) => {
      const at = new Date(r.at).toISOString();
      if (r.kind === 'visit') {
        const why = r.source ? MEDICAL_VISIT_SOURCE_LABELS_ZH[r.source as Source] : '';
        return {
          at,
          source: 'medical',
          kind: 'medical.visit.done',
          title: `上门医疗：${r.team_name}${r.member_name ? ` ${r.member_name}` : ''}已上门${why ? `（${why}）` : ''}`,
          detail: { team: r.team_name, doctor: r.member_name, source: r.source },
          refId: r.id,
        };
      }
      return {
        at,
        source: 'medical',
        kind: r.kind === 'admitted' ? 'medical.home-bed.admitted' : 'medical.home-bed.discharged',
        title: `${r.kind === 'admitted' ? '家庭病床建床' : '家庭病床撤床'}：${r.team_name}`,
        detail: { team: r.team_name },
        refId: r.id,
      };
    });
  },
};
