/**
 * Names people read for the audit log's action codes and object types, in both languages. The
 * unit test beside this file fails when a route in the shared contracts declares an audit action
 * (route().audit) or the server records one (recordAudit's `action: '…'`) that has no name here.
 */
type Label = { zh: string; en: string };

export const AUDIT_ACTION_LABELS: Record<string, Label> = {
  'alarm.acknowledge': { zh: '受理告警', en: 'Acknowledge alarm' },
  'alarm.action': { zh: '记录告警处置', en: 'Record alarm action' },
  'alarm.dispatch': { zh: '派遣响应人', en: 'Dispatch responder' },
  'alarm.resolve': { zh: '关闭告警', en: 'Resolve alarm' },
  'alarm.respond': { zh: '响应人回复', en: 'Responder answer' },
  'alarm.review': { zh: '复核告警', en: 'Review alarm' },
  'alarm.sos': { zh: '老人一键呼救', en: 'Elder SOS' },
  'alarm.sos-cancel': { zh: '老人取消呼救', en: 'Elder cancels SOS' },
  'assessment.create': { zh: '新建评估', en: 'Create assessment' },
  'assessment.read': { zh: '查看评估', en: 'Read assessment' },
  'assessment.report': { zh: '查看评估报告', en: 'Read assessment report' },
  'assessment.settings': { zh: '修改评估设置', en: 'Change assessment settings' },
  'assessment.sign': { zh: '评估签字', en: 'Sign assessment' },
  'assessment.update': { zh: '修改评估', en: 'Edit assessment' },
  'auth.change-password': { zh: '修改密码', en: 'Change password' },
  'auth.login': { zh: '登录', en: 'Log in' },
  'auth.logout': { zh: '退出登录', en: 'Log out' },
  'catalogue.create': { zh: '新增服务项目', en: 'Add service item' },
  'catalogue.update': { zh: '修改服务项目', en: 'Edit service item' },
  'complaint.follow-up': { zh: '投诉回访', en: 'Follow up complaint' },
  'device.command': { zh: '下发设备指令', en: 'Send device command' },
  'device.create': { zh: '登记设备', en: 'Register device' },
  'device.import': { zh: '批量导入设备', en: 'Import devices' },
  'device.rotate-secret': { zh: '更换设备密钥', en: 'Rotate device secret' },
  'device.update': { zh: '修改设备', en: 'Edit device' },
  'elder.contact.create': { zh: '新增紧急联系人', en: 'Add contact' },
  'elder.contact.delete': { zh: '删除紧急联系人', en: 'Delete contact' },
  'elder.contact.reorder': { zh: '调整联系人顺序', en: 'Reorder contacts' },
  'elder.contact.update': { zh: '修改紧急联系人', en: 'Edit contact' },
  'elder.contacts.read': { zh: '查看紧急联系人', en: 'Read contacts' },
  'elder.create': { zh: '新建老人档案', en: 'Create elder record' },
  'elder.export': { zh: '导出老人档案', en: 'Export elder records' },
  'elder.import': { zh: '批量导入老人', en: 'Import elders' },
  'elder.invite-code.create': { zh: '生成家属邀请码', en: 'Create family invite code' },
  'elder.read': { zh: '查看老人档案', en: 'Read elder record' },
  'elder.read-brief': { zh: '查看老人摘要', en: 'Read elder summary' },
  'elder.reveal': { zh: '查看完整证件号/电话', en: 'Reveal ID number / phone' },
  'elder.search': { zh: '查询老人', en: 'Search elders' },
  'elder.status-change': { zh: '变更老人状态', en: 'Change elder status' },
  'elder.timeline.read': { zh: '查看老人时间线', en: 'Read elder timeline' },
  'elder.update': { zh: '修改老人档案', en: 'Edit elder record' },
  'family.bind': { zh: '家属绑定', en: 'Family binding' },
  'family.safety.read': { zh: '家属查看安全状况', en: 'Family reads safety' },
  'notification.read': { zh: '阅读提醒', en: 'Read notice' },
  'order.accept': { zh: '服务商接单', en: 'Accept order' },
  'order.assign': { zh: '指派服务人员', en: 'Assign worker' },
  'order.auto-confirm': { zh: '工单自动确认', en: 'Auto-confirm order' },
  'order.cancel': { zh: '取消工单', en: 'Cancel order' },
  'order.check-in': { zh: '上门签到', en: 'Check in' },
  'order.check-out': { zh: '上门签退', en: 'Check out' },
  'order.confirm': { zh: '确认服务', en: 'Confirm service' },
  'order.create': { zh: '新建工单', en: 'Create order' },
  'order.dispatch': { zh: '自动派单', en: 'Dispatch order' },
  'order.dispatch-manual': { zh: '人工派单', en: 'Dispatch by hand' },
  'order.en-route': { zh: '服务人员出发', en: 'Worker en route' },
  'order.rate': { zh: '服务评价', en: 'Rate service' },
  'order.record-edit': { zh: '修改服务记录', en: 'Edit visit record' },
  'order.reject': { zh: '服务商拒单', en: 'Reject order' },
  'order.review': { zh: '异常审核', en: 'Review anomaly' },
  'order.review-clear': { zh: '异常审核通过', en: 'Clear anomaly' },
  'order.review-reject': { zh: '异常审核驳回', en: 'Reject anomaly' },
  'org.create': { zh: '新建机构', en: 'Create organisation' },
  'org.update': { zh: '修改机构', en: 'Edit organisation' },
  'policy.activate': { zh: '启用补贴政策', en: 'Activate policy' },
  'policy.create': { zh: '新建补贴政策', en: 'Create policy' },
  'policy.end': { zh: '停止补贴政策', en: 'End policy' },
  'policy.grant': { zh: '发放补贴', en: 'Grant subsidy' },
  'policy.run': { zh: '立即发放补贴', en: 'Run policy' },
  'policy.update': { zh: '修改补贴政策', en: 'Edit policy' },
  'provider.approve': { zh: '服务商准入', en: 'Approve provider' },
  'provider.areas': { zh: '修改服务范围', en: 'Change service areas' },
  'provider.create': { zh: '新增服务商', en: 'Add provider' },
  'provider.dishonest': { zh: '失信名单变更', en: 'Dishonesty list change' },
  'provider.licence-add': { zh: '上传资质证照', en: 'Add licence' },
  'provider.offerings': { zh: '修改服务项目与价格', en: 'Change offerings' },
  'provider.reinstate': { zh: '恢复服务商', en: 'Reinstate provider' },
  'provider.reject': { zh: '服务商不予准入', en: 'Reject provider' },
  'provider.site-add': { zh: '新增服务站点', en: 'Add site' },
  'provider.staff-add': { zh: '新增服务人员', en: 'Add staff' },
  'provider.staff-update': { zh: '修改服务人员', en: 'Edit staff' },
  'provider.suspend': { zh: '暂停服务商', en: 'Suspend provider' },
  'provider.update': { zh: '修改服务商', en: 'Edit provider' },
  'region.create': { zh: '新建行政区划', en: 'Create region' },
  'region.delete': { zh: '删除行政区划', en: 'Delete region' },
  'region.import': { zh: '导入行政区划', en: 'Import regions' },
  'region.update': { zh: '修改行政区划', en: 'Edit region' },
  'responder.status': { zh: '响应人状态变更', en: 'Responder status' },
  'safety-rules.update': { zh: '修改安全规则', en: 'Edit safety rules' },
  'service-settings.update': { zh: '修改服务设置', en: 'Edit service settings' },
  'service-hotline.update': { zh: '修改服务中心电话', en: 'Edit service centre hotline' },
  'settlement.approve': { zh: '审批结算单', en: 'Approve settlement' },
  'settlement.confirm': { zh: '服务商确认结算单', en: 'Confirm settlement' },
  'settlement.draw-up': { zh: '生成结算单', en: 'Draw up settlement' },
  'user.create': { zh: '新建用户', en: 'Create user' },
  'user.reset-password': { zh: '重置密码', en: 'Reset password' },
  'user.unlock': { zh: '解锁用户', en: 'Unlock user' },
  'user.update': { zh: '修改用户', en: 'Edit user' },
  'visit.photo-add': { zh: '上传服务照片', en: 'Add visit photo' },
  'visit.photo-read': { zh: '查看服务照片', en: 'View visit photo' },
  'wallet.adjust': { zh: '调整账户余额', en: 'Adjust wallet' },
  'wallet.read': { zh: '查看账户余额', en: 'Read wallet' },
};

/** The audit log's object types (recordAudit's targetType). */
export const AUDIT_TARGET_LABELS: Record<string, Label> = {
  alarm: { zh: '告警', en: 'Alarm' },
  assessment: { zh: '评估', en: 'Assessment' },
  device: { zh: '设备', en: 'Device' },
  elder: { zh: '老人', en: 'Elder' },
  elder_import: { zh: '老人导入批次', en: 'Elder import' },
  notification: { zh: '提醒', en: 'Notice' },
  organization: { zh: '机构', en: 'Organisation' },
  policy: { zh: '补贴政策', en: 'Policy' },
  provider_licence: { zh: '资质证照', en: 'Licence' },
  provider_site: { zh: '服务站点', en: 'Site' },
  region: { zh: '行政区划', en: 'Region' },
  service_complaint: { zh: '投诉', en: 'Complaint' },
  service_item: { zh: '服务项目', en: 'Service item' },
  service_order: { zh: '服务工单', en: 'Service order' },
  service_settings: { zh: '服务设置', en: 'Service settings' },
  settlement: { zh: '结算单', en: 'Settlement' },
  user: { zh: '用户', en: 'User' },
  wallet: { zh: '账户', en: 'Wallet' },
  visit_photo: { zh: '服务照片', en: 'Visit photo' },
};

const pick = (label: Label | undefined, lang: string) => (label ? (lang === 'en-US' ? label.en : label.zh) : undefined);

/** The action's name in the viewer's language; an unknown code is shown as it is (the unit test keeps that from happening). */
export function auditActionLabel(action: string, lang: string): string {
  return pick(AUDIT_ACTION_LABELS[action], lang) ?? action;
}
export function auditTargetLabel(type: string, lang: string): string {
  return pick(AUDIT_TARGET_LABELS[type], lang) ?? type;
}

/** The console page of an audited object, where there is one. */
export function auditTargetPath(type: string, id: string | null): string | null {
  if (!id) return null;
  if (type === 'elder') return `/console/elders/${id}`;
  if (type === 'assessment') return `/console/assessments/${id}`;
  return null;
}
