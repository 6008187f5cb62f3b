import { z } from 'zod';
import { DEATH_SOURCES } from './allowance-back-office.ts';
import { pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * Data exchange 数据交换 (issue 21): the datasets a district sends to the provincial / national
 * elderly-care information systems, and the reference data it takes back (region codes, death
 * records). The layouts below are a public contract, documented column by column in
 * docs/data-exchange.md: a change to a column is a new `DATA_EXCHANGE_LAYOUT_VERSION`.
 */

export const DATA_EXCHANGE_LAYOUT_VERSION = '1';
export const EXCHANGE_DATASETS = ['elders', 'institutions', 'beds', 'services', 'subsidies'] as const;
export type ExchangeDataset = (typeof EXCHANGE_DATASETS)[number];
export const EXCHANGE_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];
export const EXCHANGE_IMPORT_KINDS = ['regions', 'deaths'] as const;
export type ExchangeImportKind = (typeof EXCHANGE_IMPORT_KINDS)[number];

/**
 * How a column's value is written, the same in every format:
 * `text` as is; `code` a code from the dictionary the column names; `codes` several, joined by `;`;
 * `date` YYYY-MM-DD; `datetime` ISO 8601 in China time (`2026-11-26T14:05:00+08:00`); `month` YYYY-MM;
 * `int` a whole number; `flag` 1 or 0. An absent value is an empty cell (CSV, xlsx) or `null` (JSON).
 */
export type ExchangeColumnType = 'text' | 'code' | 'codes' | 'date' | 'datetime' | 'month' | 'int' | 'flag';
export interface ExchangeColumn {
  /** The JSON key. */
  key: string;
  /** The Chinese column header of the CSV and xlsx files. */
  header: string;
  type: ExchangeColumnType;
  /** The dictionary of a `code` / `codes` column (EXCHANGE_DICTIONARIES). */
  dict?: keyof typeof EXCHANGE_DICTIONARIES;
}

/** Code → Chinese meaning, for every coded column (docs/data-exchange.md prints them). */
export const EXCHANGE_DICTIONARIES = {
  sex: { '1': '男', '2': '女' },
  idType: { resident_id: '居民身份证', passport: '护照', other: '其他证件' },
  livingSituation: { alone: '独居', empty_nest: '空巢', with_family: '与家人同住', institution: '入住机构' },
  elderCategory: {
    tekun: '特困供养',
    dibao: '低保',
    dibao_edge: '低保边缘',
    disabled_care: '失能照护',
    severe_disability: '重度残疾',
    special_family: '计生特殊家庭',
    entitled: '优抚对象',
    centenarian: '百岁老人',
  },
  abilityLevel: { intact: '能力完好', mild: '轻度失能', moderate: '中度失能', severe: '重度失能', total: '完全失能' },
  elderStatus: { active: '在册', moved_away: '迁出', in_hospital: '住院', deceased: '死亡' },
  ownership: { public: '公办', private: '民办', public_private: '公建民营' },
  orgStatus: { active: '正常', suspended: '暂停', closed: '关闭' },
  bedStatus: { free: '空闲', occupied: '已入住', reserved: '已预留', out_of_service: '停用' },
  orderChannel: { console: '平台代下单', elder: '老人自助', family: '家属代下单', api: '外部系统' },
  orderStatus: {
    created: '待派单',
    dispatched: '已派单',
    accepted: '已接单',
    assigned: '已指派',
    en_route: '出发中',
    in_service: '服务中',
    served: '已服务',
    confirmed: '已确认',
    settled: '已结算',
    cancelled: '已取消',
    voided: '已作废',
  },
  payment: { points: '积分支付', purchase: '政府购买', self: '自费', package: '家庭照护床位服务包' },
  subsidyKind: { allowance: '高龄津贴', points: '服务积分' },
  subsidyUnit: { fen: '分', points: '积分' },
  subsidyStatus: { paid: '已发放', returned: '银行退回', recovery_due: '待追回', granted: '已发放' },
} as const satisfies Record<string, Record<string, string>>;

const c = (key: string, header: string, type: ExchangeColumnType, dict?: ExchangeColumn['dict']): ExchangeColumn =>
  dict ? { key, header, type, dict } : { key, header, type };

/** The columns of each dataset, in file order. */
export const EXCHANGE_LAYOUTS: Record<ExchangeDataset, { title: string; columns: ExchangeColumn[] }> = {
  elders: {
    title: '老年人基本信息',
    columns: [
      c('elderId', '老人编号', 'text'),
      c('name', '姓名', 'text'),
      c('idType', '证件类型', 'code', 'idType'),
      c('idNumber', '证件号码', 'text'),
      c('sex', '性别', 'code', 'sex'),
      c('birthDate', '出生日期', 'date'),
      c('regionCode', '居住地行政区划代码', 'text'),
      c('regionName', '居住社区', 'text'),
      c('hukouLocal', '本地户籍', 'flag'),
      c('livingSituation', '居住状况', 'code', 'livingSituation'),
      c('categories', '政策对象类别', 'codes', 'elderCategory'),
      c('abilityLevel', '能力等级', 'code', 'abilityLevel'),
      c('status', '状态', 'code', 'elderStatus'),
      c('statusDate', '状态日期', 'date'),
      c('updatedAt', '变更时间', 'datetime'),
    ],
  },
  institutions: {
    title: '养老机构',
    columns: [
      c('orgId', '机构编号', 'text'),
      c('name', '机构名称', 'text'),
      c('regionCode', '所在地行政区划代码', 'text'),
      c('ownership', '机构性质', 'code', 'ownership'),
      c('licenceNo', '许可证号', 'text'),
      c('filingNo', '备案号', 'text'),
      c('filedOn', '备案日期', 'date'),
      c('capacity', '核定床位数', 'int'),
      c('bedsInService', '在用床位数', 'int'),
      c('bedsOccupied', '已入住床位数', 'int'),
      c('status', '状态', 'code', 'orgStatus'),
      c('updatedAt', '变更时间', 'datetime'),
    ],
  },
  beds: {
    title: '养老机构床位',
    columns: [
      c('bedId', '床位编号', 'text'),
      c('orgId', '机构编号', 'text'),
      c('orgName', '机构名称', 'text'),
      c('regionCode', '所在地行政区划代码', 'text'),
      c('building', '楼栋', 'text'),
      c('floor', '楼层', 'text'),
      c('room', '房间', 'text'),
      c('label', '床号', 'text'),
      c('nursing', '护理型床位', 'flag'),
      c('status', '床位状态', 'code', 'bedStatus'),
      c('elderId', '入住老人编号', 'text'),
      c('updatedAt', '变更时间', 'datetime'),
    ],
  },
  services: {
    title: '居家养老服务工单',
    columns: [
      c('orderNo', '工单号', 'text'),
      c('elderId', '老人编号', 'text'),
      c('regionCode', '服务地行政区划代码', 'text'),
      c('itemCode', '服务项目代码', 'text'),
      c('itemName', '服务项目', 'text'),
      c('providerName', '服务机构', 'text'),
      c('channel', '下单渠道', 'code', 'orderChannel'),
      c('status', '工单状态', 'code', 'orderStatus'),
      c('scheduledAt', '预约服务时间', 'datetime'),
      c('servedAt', '服务完成时间', 'datetime'),
      c('durationMinutes', '服务时长（分钟）', 'int'),
      c('payment', '支付方式', 'code', 'payment'),
      c('points', '积分', 'int'),
      c('amountFen', '金额（分）', 'int'),
      c('updatedAt', '变更时间', 'datetime'),
    ],
  },
  subsidies: {
    title: '补贴发放',
    columns: [
      c('recordId', '发放记录编号', 'text'),
      c('kind', '补贴类型', 'code', 'subsidyKind'),
      c('elderId', '老人编号', 'text'),
      c('regionCode', '居住地行政区划代码', 'text'),
      c('month', '所属月份', 'month'),
      c('amount', '金额', 'int'),
      c('unit', '单位', 'code', 'subsidyUnit'),
      c('status', '发放状态', 'code', 'subsidyStatus'),
      c('updatedAt', '变更时间', 'datetime'),
    ],
  },
};

const regionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a region code of 6, 9 or 12 digits');

export const exchangeExportQuery = z.object({
  dataset: z.enum(EXCHANGE_DATASETS),
  format: z.enum(EXCHANGE_FORMATS),
  /** Rows changed on or after this China day; absent: everything. */
  since: isoDay('filter').optional(),
  /** A street or community inside the caller's district; absent: the caller's whole region. */
  regionCode: regionCode.optional(),
});
export type ExchangeExportQuery = z.input<typeof exchangeExportQuery>;

export const exchangeImportQuery = z.object({
  kind: z.enum(EXCHANGE_IMPORT_KINDS),
  /** Where a death list comes from (公安 / 卫健 / 殡葬); required for `deaths`. */
  source: z.enum(DEATH_SOURCES).optional(),
});

/** One row of an import and what it does (or would do, in a preview). */
export const exchangeImportChange = z.object({
  row: z.number().int(),
  /** regions: create / rename / unchanged; deaths: record / already_recorded / unmatched. */
  action: z.enum(['create', 'rename', 'unchanged', 'record', 'already_recorded', 'unmatched']),
  /** regions: the code; deaths: the masked ID number (never the full one). */
  key: z.string(),
  /** regions: the new name; deaths: the elder's name (null when unmatched). */
  name: z.string().nullable(),
  /** regions: the current name when renamed; deaths: the death date. */
  detail: z.string().nullable(),
  /** deaths: the elder's allowance stops (paid or suspended now). */
  stopsAllowance: z.boolean(),
});

export const exchangeImportReport = z.object({
  kind: z.enum(EXCHANGE_IMPORT_KINDS),
  applied: z.boolean(),
  rows: z.number().int(),
  /** Rows that change something (created, renamed, deaths recorded). */
  changes: z.number().int(),
  unchanged: z.number().int(),
  changesList: z.array(exchangeImportChange),
  exchangeId: z.uuid(),
});
export type ExchangeImportReport = z.output<typeof exchangeImportReport>;

export const exchangeRecord = z.object({
  id: z.uuid(),
  direction: z.enum(['export', 'import']),
  /** A dataset for an export, an import kind for an import. */
  dataset: z.string(),
  format: z.string().nullable(),
  mode: z.enum(['download', 'preview', 'apply']),
  since: z.string().nullable(),
  regionCode: z.string(),
  filename: z.string().nullable(),
  rows: z.number().int().nullable(),
  changes: z.number().int().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
});
export type ExchangeRecord = z.output<typeof exchangeRecord>;

const tags = ['data-exchange'];

/**
 * The export itself (`GET /data-exchange/export?dataset=&format=&since=&regionCode=`) answers a
 * streamed file, which route() cannot describe: the server registers it by hand and the web
 * builds its URL with `exchangeExportUrl` (apps/web/src/api/data-exchange.ts).
 */
export const dataExchangeContract = {
  previewImport: route({
    method: 'POST',
    path: '/data-exchange/imports/preview',
    permission: 'exchange:import',
    audit: 'exchange.import.preview',
    upload: true,
    query: exchangeImportQuery,
    tags,
    summary: 'Dry run of a reference-data import: what each row would change (writes nothing but the history)',
    description: 'A file with a bad row answers 422 with `errors` naming each row; nothing is changed.',
    response: exchangeImportReport,
  }),
  applyImport: route({
    method: 'POST',
    path: '/data-exchange/imports/apply',
    permission: 'exchange:import',
    audit: 'exchange.import.apply',
    upload: true,
    query: exchangeImportQuery,
    tags,
    summary: 'Apply a reference-data import, all rows or none; the same file again changes nothing',
    response: exchangeImportReport,
  }),
  listExchanges: route({
    method: 'GET',
    path: '/data-exchange/history',
    permission: 'exchange:export',
    query: pageQuery,
    tags,
    summary: 'The exchanges of my district, newest first',
    response: z.object({ items: z.array(exchangeRecord), total: z.number().int() }),
  }),
};
