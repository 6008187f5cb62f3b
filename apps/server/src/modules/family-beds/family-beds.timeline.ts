import { FAMILY_BED_MONTH_STATUS_LABELS_ZH } from '@zhiyang/shared';
import { cstDayStart } from '../../lib/dates.ts';
import type { TimelineEntry, TimelineSource } from '../elders/timeline.ts';
import * as repo from './family-beds.repo.ts';

/**
 * The family care bed on the elder's 360° timeline: applied, went live, each suspension and
 * resumption, each monthly check with its result, ended. Built from the bed's own rows (days are
 * placed at the start of the China day; a month's check at its time).
 */
export const familyBedsTimeline: TimelineSource = {
  name: 'family-beds',
  async fetch(ctx, elderId, q) {
    const beds = await repo.bedsOfElder(ctx.db, elderId);
    if (!beds.length) return [];
    const ids = beds.map((b) => b.id);
    const [months, suspensions] = await Promise.all([repo.monthsOf(ctx.db, ids), repo.suspensionsOf(ctx.db, ids)]);
    const day = (d: string) => cstDayStart(d).toISOString();
    const out: TimelineEntry[] = [];
    const entry = (at: string, kind: string, title: string, refId: string, detail?: Record<string, unknown>) =>
      out.push({ at, source: 'family-beds', kind, title, refId, ...(detail ? { detail } : {}) });
    for (const b of beds) {
      entry(b.createdAt.toISOString(), 'family-bed.applied', '家庭照护床位：建床申请', b.id, { level: b.abilityLevel });
      if (b.activatedOn)
        entry(day(b.activatedOn), 'family-bed.activated', '家庭照护床位：安装完成，启用床位', b.id, {
          visitsPerWeek: b.visitsPerWeek,
        });
      if (b.endedOn) entry(day(b.endedOn), 'family-bed.ended', '家庭照护床位：终止', b.id, { reason: b.statusReason });
    }
    for (const p of suspensions) {
      entry(day(p.fromDay), 'family-bed.suspended', '家庭照护床位：暂停服务', p.bedId, { reason: p.reason, toDay: p.toDay });
      if (p.toDay)
        entry(
          new Date(cstDayStart(p.toDay).getTime() + 86400_000).toISOString(),
          'family-bed.resumed',
          '家庭照护床位：恢复服务',
          p.bedId,
          { fromDay: p.fromDay },
        );
    }
    for (const m of months)
      entry(
        m.checkedAt.toISOString(),
        'family-bed.month-checked',
        `家庭照护床位：${m.month} 服务核验 ${FAMILY_BED_MONTH_STATUS_LABELS_ZH[m.status]}（上门 ${m.delivered}/${m.required} 次）`,
        m.bedId,
        { month: m.month, status: m.status, delivered: m.delivered, required: m.required },
      );
    return out
      .filter((e) => e.at < q.before.toISOString())
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .slice(0, q.limit);
  },
};
