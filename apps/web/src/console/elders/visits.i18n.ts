/**
 * Texts of the home-visit task list 上门探访任务 (`elders.visits.*`): elders the care calls could
 * not reach, for the community workers. Kept beside the elders' catalogue so that file only names this section.
 */
export const visitsZhCN = {
  title: '上门探访任务',
  open: '待探访',
  done: '已探访',
  all: '全部',
  visit: '探访',
  elder: '老人',
  community: '所在社区',
  reason: '原因',
  reasonUnreached: '连续 {{days}} 天未接通（共拨打 {{attempts}} 次）',
  reasonUnreachedShort: '关爱电话多次未接通',
  campaigns: '关爱外呼活动',
  createdAt: '生成时间',
  markDone: '登记已探访',
  markDoneTitle: '登记上门探访：{{name}}',
  note: '探访情况',
  notePlaceholder: '如：老人在家，身体尚可，手机欠费已提醒家属充值',
  doneSaved: '已登记探访',
  none: '没有待探访的老人',
  noneAll: '还没有上门探访任务',
};

export type VisitsTexts = typeof visitsZhCN;
