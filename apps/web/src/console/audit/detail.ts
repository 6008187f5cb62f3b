import { ROLES, type Role, SERVICE_CATEGORY_LABELS_ZH } from '@zhiyang/shared';
import i18next from 'i18next';
import { formatTimeSeconds } from '../../app/format.ts';

/**
 * The audit log's row detail as lines people read: each key of the stored detail named in the
 * viewer's language, each value formatted (yes/no, money in yuan, times, roles, from → to), nested
 * objects as indented lines. A key without a name here is shown as it is, never as a JSON blob.
 */
type Label = { zh: string; en: string };

export const AUDIT_DETAIL_KEYS: Record<string, Label> = {
  action: { zh: '动作', en: 'Action' },
  alarmId: { zh: '告警', en: 'Alarm' },
  amount: { zh: '额度', en: 'Amount' },
  amountFen: { zh: '金额', en: 'Amount' },
  assessedOn: { zh: '评估日期', en: 'Assessed on' },
  badRows: { zh: '有误的行', en: 'Rows with errors' },
  before: { zh: '修改前', en: 'Before' },
  bootstrap: { zh: '初始化创建', en: 'Created at first start' },
  bytes: { zh: '大小（字节）', en: 'Size (bytes)' },
  changed: { zh: '修改内容', en: 'Changed' },
  channel: { zh: '渠道', en: 'Channel' },
  codes: { zh: '编码', en: 'Codes' },
  command: { zh: '指令', en: 'Command' },
  complaintId: { zh: '投诉', en: 'Complaint' },
  conditions: { zh: '条件', en: 'Conditions' },
  contact: { zh: '联系人', en: 'Contact' },
  contentType: { zh: '文件类型', en: 'File type' },
  correctsId: { zh: '更正的评估', en: 'Corrects' },
  count: { zh: '数量', en: 'Count' },
  created: { zh: '新建', en: 'Created' },
  creditCode: { zh: '统一社会信用代码', en: 'Credit code' },
  date: { zh: '日期', en: 'Date' },
  distanceM: { zh: '距离（米）', en: 'Distance (m)' },
  elderId: { zh: '老人', en: 'Elder' },
  expired: { zh: '到期作废', en: 'Expired' },
  failures: { zh: '失败次数', en: 'Failures' },
  field: { zh: '字段', en: 'Field' },
  fields: { zh: '字段', en: 'Fields' },
  file: { zh: '录音文件', en: 'Recording file' },
  files: { zh: '文件数', en: 'Files' },
  format: { zh: '格式', en: 'Format' },
  range: { zh: '字节范围', en: 'Byte range' },
  retentionDays: { zh: '保存期限（天）', en: 'Kept (days)' },
  seconds: { zh: '时长（秒）', en: 'Length (s)' },
  filename: { zh: '文件名', en: 'File name' },
  filters: { zh: '筛选条件', en: 'Filters' },
  flags: { zh: '异常标记', en: 'Flags' },
  from: { zh: '原值', en: 'From' },
  granted: { zh: '发放人数', en: 'Granted' },
  held: { zh: '暂扣单数', en: 'Held' },
  hotline: { zh: '服务中心电话', en: 'Hotline' },
  intervalMonths: { zh: '间隔（月）', en: 'Interval (months)' },
  kind: { zh: '类型', en: 'Kind' },
  lat: { zh: '纬度', en: 'Latitude' },
  level: { zh: '等级', en: 'Level' },
  lng: { zh: '经度', en: 'Longitude' },
  locked: { zh: '已锁定', en: 'Locked' },
  merged: { zh: '已合并', en: 'Merged' },
  method: { zh: '方式', en: 'Method' },
  minutes: { zh: '分钟', en: 'Minutes' },
  name: { zh: '名称', en: 'Name' },
  nextDue: { zh: '下次到期', en: 'Next due' },
  no: { zh: '编号', en: 'Number' },
  note: { zh: '备注', en: 'Note' },
  noted: { zh: '附处理说明', en: 'With a note' },
  offerId: { zh: '派单邀约', en: 'Offer' },
  onDuty: { zh: '在岗', en: 'On duty' },
  orderId: { zh: '工单', en: 'Order' },
  orders: { zh: '工单数', en: 'Orders' },
  orgId: { zh: '所属机构', en: 'Organisation' },
  outcome: { zh: '处置结果', en: 'Outcome' },
  payment: { zh: '支付方式', en: 'Payment' },
  period: { zh: '期间', en: 'Period' },
  periodKey: { zh: '发放期间', en: 'Period' },
  phone: { zh: '电话', en: 'Phone' },
  photoId: { zh: '照片', en: 'Photo' },
  points: { zh: '积分', en: 'Points' },
  previous: { zh: '原服务人员', en: 'Previous worker' },
  providerId: { zh: '服务商', en: 'Provider' },
  reason: { zh: '原因', en: 'Reason' },
  releasedTasks: { zh: '退回待派的任务', en: 'Tasks released' },
  replaced: { zh: '原服务商', en: 'Replaced provider' },
  responderId: { zh: '响应人', en: 'Responder' },
  visitId: { zh: '上门巡诊', en: 'Home visit' },
  results: { zh: '结果', en: 'Results' },
  role: { zh: '角色', en: 'Role' },
  rows: { zh: '行数', en: 'Rows' },
  score: { zh: '评分', en: 'Score' },
  shown: { zh: '显示条数', en: 'Rows shown' },
  slot: { zh: '签字顺序', en: 'Signature' },
  stage: { zh: '阶段', en: 'Stage' },
  status: { zh: '状态', en: 'Status' },
  tel: { zh: '电话', en: 'Phone' },
  to: { zh: '新值', en: 'To' },
  total: { zh: '总分', en: 'Total' },
  totalFen: { zh: '总金额', en: 'Total' },
  type: { zh: '类型', en: 'Type' },
  updated: { zh: '更新', en: 'Updated' },
  username: { zh: '用户名', en: 'User name' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  via: { zh: '途径', en: 'Via' },
  wasLocked: { zh: '原已锁定', en: 'Was locked' },
  withinWindow: { zh: '在撤销时限内', en: 'Within the cancel window' },
  workerId: { zh: '服务人员', en: 'Worker' },
  covers: { zh: '适用服务', en: 'Covers' },
  categories: { zh: '服务类别', en: 'Categories' },
  itemIds: { zh: '服务项目', en: 'Items' },
  // Fields of the service rules (service-settings.update lists them under `changed`).
  checkInRadiusM: { zh: '签到半径（米）', en: 'Check-in radius (m)' },
  acceptMinutes: { zh: '接单时限（分钟）', en: 'Accept within (min)' },
  autoConfirmHours: { zh: '自动确认（小时）', en: 'Auto-confirm (h)' },
  lockHours: { zh: '服务记录锁定（小时）', en: 'Record lock (h)' },
  complaintFollowUpHours: { zh: '差评回访时限（小时）', en: 'Complaint follow-up (h)' },
  checkInReasonMinutes: { zh: '签到偏离预约需说明（分钟）', en: 'Check-in reason beyond (min)' },
  pointsRateFen: { zh: '积分结算价（分/积分）', en: 'Points rate (fen/point)' },
};

/** The search filters a search entry lists (`filters`: elder.search, call.search), by their query names. */
const FILTER_LABELS: Record<string, Label> = {
  q: { zh: '搜索词', en: 'Search text' },
  regionCode: { zh: '区域', en: 'Region' },
  category: { zh: '分类', en: 'Category' },
  livingSituation: { zh: '居住状况', en: 'Living situation' },
  abilityLevel: { zh: '能力等级', en: 'Ability level' },
  status: { zh: '状态', en: 'Status' },
  ageMin: { zh: '最小年龄', en: 'Minimum age' },
  ageMax: { zh: '最大年龄', en: 'Maximum age' },
  direction: { zh: '方向', en: 'Direction' },
  outcome: { zh: '结果', en: 'Outcome' },
  agent: { zh: '坐席', en: 'Agent' },
  elderId: { zh: '老人', en: 'Elder' },
  from: { zh: '开始时间', en: 'From' },
  to: { zh: '结束时间', en: 'To' },
};

/** Values that are codes, named per key. */
const VALUE_LABELS: Record<string, Record<string, Label>> = {
  payment: {
    points: { zh: '积分', en: 'Points' },
    purchase: { zh: '政府购买', en: 'Government purchase' },
    self: { zh: '自费', en: 'Self-paid' },
  },
  channel: {
    console: { zh: '后台', en: 'Console' },
    api: { zh: '接口', en: 'API' },
    app: { zh: '手机', en: 'Phone' },
    elder: { zh: '老人手机', en: "Elder's phone" },
    family: { zh: '家属手机', en: "Family's phone" },
    terminal: { zh: '终端', en: 'Terminal' },
    hotline: { zh: '热线', en: 'Hotline' },
  },
  method: { gps: { zh: '定位', en: 'GPS' }, qr: { zh: '扫码', en: 'QR code' } },
  via: { alarm: { zh: '告警处置', en: 'Alarm handling' } },
};

export interface DetailLine {
  key: string;
  label: string;
  /** The formatted value; empty when the value is shown as the nested lines below. */
  text: string;
  children?: DetailLine[];
}

const pick = (l: Label, lang: string) => (lang === 'en-US' ? l.en : l.zh);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function keyLabel(key: string, lang: string): string {
  const l = AUDIT_DETAIL_KEYS[key];
  return l ? pick(l, lang) : key;
}

function scalar(key: string, v: unknown, lang: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return lang === 'en-US' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  if (typeof v === 'number') {
    if (/Fen$/.test(key)) return lang === 'en-US' ? `¥${(v / 100).toFixed(2)}` : `${(v / 100).toFixed(2)} 元`;
    return v.toLocaleString(lang === 'en-US' ? 'en-US' : 'zh-CN');
  }
  const s = String(v);
  if (key === 'role' && ROLES.includes(s as Role)) return i18next.t(`roles.${s as Role}`, { lng: lang });
  if (key === 'categories' && lang !== 'en-US' && s in SERVICE_CATEGORY_LABELS_ZH)
    return SERVICE_CATEGORY_LABELS_ZH[s as keyof typeof SERVICE_CATEGORY_LABELS_ZH];
  const named = VALUE_LABELS[key]?.[s];
  if (named) return pick(named, lang);
  if (ISO_INSTANT.test(s)) return formatTimeSeconds(s);
  return s;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function line(key: string, value: unknown, lang: string, depth: number): DetailLine {
  const label = keyLabel(key, lang);
  if (Array.isArray(value)) {
    if (value.every((x) => !isPlainObject(x) && !Array.isArray(x))) {
      // A list of field names (changed: ['name', 'phone']) reads as their names.
      const asKeys = key === 'changed' || key === 'fields';
      const sep = lang === 'en-US' ? ', ' : '、';
      const named = (x: unknown) =>
        key === 'filters' && FILTER_LABELS[String(x)]
          ? pick(FILTER_LABELS[String(x)], lang)
          : asKeys
            ? keyLabel(String(x), lang)
            : scalar(key, x, lang);
      return { key, label, text: value.map(named).join(sep) || '—' };
    }
    return { key, label, text: '', children: value.map((x, i) => line(String(i + 1), x, lang, depth + 1)) };
  }
  if (isPlainObject(value)) {
    // { from, to } reads as "before → after".
    const ks = Object.keys(value);
    const plain = (v: unknown) => !isPlainObject(v) && !Array.isArray(v);
    if (ks.length === 2 && 'from' in value && 'to' in value && plain(value.from) && plain(value.to))
      return { key, label, text: `${scalar(key, value.from, lang)} → ${scalar(key, value.to, lang)}` };
    // Deeper than a few levels nobody reads: show the count of fields.
    if (depth >= 3) return { key, label, text: '…' };
    return { key, label, text: '', children: detailLines(value, lang, depth + 1) };
  }
  return { key, label, text: scalar(key, value, lang) };
}

/** The detail's lines in the viewer's language (`lang` zh-CN or en-US). */
export function detailLines(detail: Record<string, unknown>, lang: string, depth = 0): DetailLine[] {
  return Object.entries(detail).map(([k, v]) => line(k, v, lang, depth));
}
