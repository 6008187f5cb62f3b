import type { TimelineSource } from '../elders/timeline.ts';
import * as repo from './allowances.repo.ts';

/** What each step of an application is called on the elder's 360° timeline. */
export const STEP_TITLES_ZH: Record<string, string> = {
  proposed: '系统提示已达高龄津贴年龄，待社区确认',
  applied: '申请高龄津贴',
  confirmed: '社区确认高龄津贴申请',
  approved_community: '高龄津贴社区审核通过',
  approved_street: '高龄津贴街道审核通过',
  approved_district: '高龄津贴区审核通过，进入公示',
  rejected_community: '高龄津贴社区审核未通过',
  rejected_street: '高龄津贴街道审核未通过',
  rejected_district: '高龄津贴区审核未通过',
  objection: '高龄津贴公示期收到异议',
  objection_upheld: '高龄津贴异议成立，申请不予通过',
  objection_dismissed: '高龄津贴异议不成立',
  notice_ended: '高龄津贴公示期满，开始发放',
  suspended_verification: '高龄津贴暂停发放（生存认证）',
  suspended_moved_out: '高龄津贴暂停发放（迁出）',
  suspended_manual: '高龄津贴暂停发放',
  resumed: '高龄津贴恢复发放',
  stopped_death: '高龄津贴停发（死亡）',
  verified_passed: '生存认证通过',
  verified_failed: '生存认证未通过',
  survival_visit_task: '刷脸认证3次未通过，待社区上门认证',
};

/** Allowance steps on the elder's timeline. */
export const allowancesTimeline: TimelineSource = {
  name: 'allowances',
  async fetch(ctx, elderId, q) {
    const rows = await repo.eventsOfElder(ctx.db, elderId, q.before, q.limit);
    return rows.map((e) => ({
      at: e.at.toISOString(),
      source: 'allowances',
      kind: `allowance.${e.action}`,
      title: STEP_TITLES_ZH[e.action] ?? '高龄津贴',
      detail: { status: e.toStatus, reason: e.reason },
      refId: e.applicationId,
    }));
  },
};
