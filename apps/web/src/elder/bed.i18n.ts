/**
 * Texts of the family care bed card (家庭养老照护床位) on the phone pages (/elder and /family,
 * 适老化). Namespace `phoneBed`. Device names come from `safety.devices.types`.
 */
export const phoneBedZhCN = {
  title: '家庭照护床位',
  status: { live: '服务中', suspended: '已暂停', held: '上月服务不足，补贴暂缓结算' },
  provider: '服务机构',
  call: '拨打电话 {{phone}}',
  noPhone: '服务机构未登记电话，请拨打服务中心',
  delivery: '本月上门服务',
  deliveryCount: '已完成 {{done}} 次，应完成 {{due}} 次',
  nextVisit: '下次上门',
  nextVisitAt: '{{when}} {{item}}',
  noNextVisit: '还没有安排，请联系服务机构',
  devices: '床位设备',
  online: '在线',
  offline: '离线',
  noDevices: '还没有安装设备',
  alarms: '未处理的告警',
  alarmsCount: '{{n}} 条',
  noAlarms: '没有',
};

export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
