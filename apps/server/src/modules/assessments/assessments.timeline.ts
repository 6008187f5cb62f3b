import { ABILITY_LEVEL_LABELS_ZH, ASSESSMENT_REASON_LABELS_ZH } from '@zhiyang/shared';
import type { TimelineSource } from '../elders/timeline.ts';
import * as repo from './assessments.repo.ts';

/** Signed (and superseded) assessments on the elder's timeline. */
export const assessmentsTimeline: TimelineSource = {
  name: 'assessments',
  async fetch(ctx, elderId, q) {
    const rows = await repo.signedBefore(ctx.db, elderId, q.before, q.limit);
    return rows.map((a) => ({
      at: (a.assessor2SignedAt ?? a.updatedAt).toISOString(),
      source: 'assessments',
      kind: a.status === 'superseded' ? 'assessment.superseded' : 'assessment.signed',
      title: `能力评估（${ASSESSMENT_REASON_LABELS_ZH[a.reason]}）：${a.total}分，${ABILITY_LEVEL_LABELS_ZH[a.level]}${a.status === 'superseded' ? '（已更正）' : ''}`,
      detail: { total: a.total, level: a.level, assessedOn: a.assessedOn },
      refId: a.id,
    }));
  },
};
