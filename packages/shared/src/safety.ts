/** Device types of the device protocol v1 (specs/device-protocol.md). */
export const DEVICE_TYPES = [
  'sos_terminal',
  'pendant',
  'watch',
  'smoke',
  'gas',
  'door',
  'presence',
  'bed',
  'fall_radar',
  'water_leak',
  'other',
  /** Blood-pressure and glucose meters (health record, issue 20): spot readings the elder takes. */
  'bp_meter',
  'glucose_meter',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/**
 * How an alarm ended: every resolution names one (no alarm closes without an outcome).
 * Server and console share the codes and their Chinese names, which also go into the
 * notices sent to families.
 */
export const ALARM_OUTCOMES = [
  'false_alarm',
  'assisted_at_home',
  'taken_to_hospital',
  'fire_brigade',
  'police',
  'found_deceased',
  'device_fault',
  'device_fixed',
  'no_action_needed',
  'other',
] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];

export const ALARM_OUTCOME_LABELS_ZH: Record<AlarmOutcome, string> = {
  false_alarm: '误报',
  assisted_at_home: '上门协助',
  taken_to_hospital: '送医',
  fire_brigade: '消防处置',
  police: '公安处置',
  found_deceased: '发现已故',
  device_fault: '设备故障',
  device_fixed: '设备已修复',
  no_action_needed: '无需处置',
  other: '其他',
};

/**
 * Technical alarms (设备技术告警): about the devices, not about a person in danger. The alarm
 * centre keeps them in their own tab with their own SLA, so a flood of them (a street's
 * terminals going offline) never pushes a fall down the queue nor drags the life-safety figure.
 */
export const TECHNICAL_ALARM_TYPES = [
  'device_offline',
  'devices_offline_mass',
  'battery_low',
  'not_worn',
  'no_monthly_test',
  'tamper',
] as const;
/** Which side of the alarm centre an alarm belongs to: life safety (生命安全) or technical (设备技术). */
export const ALARM_KINDS = ['life', 'technical'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];
export const alarmKindOf = (type: string): AlarmKind =>
  (TECHNICAL_ALARM_TYPES as readonly string[]).includes(type) ? 'technical' : 'life';

/** Chinese names of the alarm types, as the console shows them and family notices say them. */
export const ALARM_TYPE_LABELS_ZH = {
  sos: '一键呼救',
  fall: '跌倒',
  smoke: '烟雾',
  gas: '燃气泄漏',
  vitals_critical: '生命体征危急',
  water_leak: '水浸',
  vitals_warning: '生命体征异常',
  inactivity: '长时间无活动',
  geofence_exit: '离开安全区域',
  night_bed_exit: '夜间离床未归',
  inactivity_warning: '无活动预警',
  call_report: '来电求助',
  visit_finding: '巡访发现',
  patrol_missed: '安防巡查漏检',
  sos_cancelled: '已取消的呼救',
  device_offline: '设备离线',
  devices_offline_mass: '大面积设备离线',
  battery_low: '电量低',
  not_worn: '未佩戴',
  no_monthly_test: '本月未测试',
  tamper: '设备被拆',
};
