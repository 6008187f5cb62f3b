import { ELDER_STATUS_LABELS_ZH } from '@zhiyang/shared';
import { auditEntriesAbout } from '../audit/audit.repo.ts';
import * as repo from './elders.repo.ts';
import type { TimelineSource } from './timeline.ts';

/** The archive's own timeline sources: record created / changed, contacts changed, status changes. */

const ARCHIVE_ACTIONS: Record<string, string> = {
  'elder.update': '档案信息修改',
  'elder.import': '批量导入更新档案',
  'elder.contact.create': '新增联系人',
  'elder.contact.update': '修改联系人',
  'elder.contact.delete': '删除联系人',
  'elder.contact.reorder': '调整联系人呼叫顺序',
  'family.bind': '家属通过邀请码绑定',
};

export const archiveTimeline: TimelineSource = {
  name: 'archive',
  async fetch(ctx, elderId, q) {
    const rows = await auditEntriesAbout(ctx.db, 'elder', elderId, Object.keys(ARCHIVE_ACTIONS), q.before, q.limit);
    // "Created" comes from the record itself, so imported and migrated records have it too.
    const elder = await repo.findElder(ctx.db, elderId);
    const created =
      elder && elder.createdAt < q.before
        ? [{ at: elder.createdAt.toISOString(), source: 'archive', kind: 'elder.created', title: '建档' }]
        : [];
    return [
      ...created,
      ...rows.map((r) => ({
        at: r.at.toISOString(),
        source: 'archive',
        kind: r.action,
        title: `${ARCHIVE_ACTIONS[r.action]}（${r.actorName ?? '系统'}）`,
        detail: r.detail?.changed ? { changed: r.detail.changed } : undefined,
      })),
    ];
  },
};

export const statusTimeline: TimelineSource = {
  name: 'status',
  async fetch(ctx, elderId, q) {
    const rows = await repo.statusChangesBefore(ctx.db, elderId, q.before, q.limit);
    return rows.map((r) => ({
      at: r.createdAt.toISOString(),
      source: 'status',
      kind: 'elder.status-changed',
      title: `状态变更：${ELDER_STATUS_LABELS_ZH[r.fromStatus]} → ${ELDER_STATUS_LABELS_ZH[r.toStatus]}`,
      detail: { from: r.fromStatus, to: r.toStatus, date: r.statusDate, reason: r.reason },
      refId: r.id,
    }));
  },
};
