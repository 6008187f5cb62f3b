import {
  DATA_EXCHANGE_LAYOUT_VERSION,
  DEATH_SOURCES,
  EXCHANGE_DATASETS,
  EXCHANGE_LAYOUTS,
  type ExchangeDataset,
  type ExchangeFormat,
  type ExchangeImportKind,
  type ExchangeImportReport,
  type ExchangeRecord,
} from '@zhiyang/shared';
import { Alert, Button, Card, DatePicker, Select, Space, Table, Tag, Typography, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataExchangeApi, exchangeExportUrl } from '../../api/data-exchange.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { SpreadsheetPicker } from '../common/SpreadsheetPicker.tsx';

/*
 * 数据交换 for the district: export a dataset for the provincial / national systems, import
 * reference data (dry run first, then apply), and the history of both. zh-CN only, like the
 * other 综合监管 pages; the layouts are documented in docs/data-exchange.md.
 */

type Source = (typeof DEATH_SOURCES)[number];
type Change = ExchangeImportReport['changesList'][number];

const FORMAT_LABELS: Record<ExchangeFormat, string> = {
  xlsx: 'Excel 表格（xlsx）',
  csv: '逗号分隔文本（csv）',
  json: 'JSON 数据',
};
const IMPORT_LABELS: Record<ExchangeImportKind, string> = { regions: '行政区划代码', deaths: '死亡信息' };
const SOURCE_LABELS: Record<Source, string> = { police: '公安', health: '卫健', funeral: '殡葬' };
const ACTION_LABELS: Record<Change['action'], { text: string; color: string }> = {
  create: { text: '新增', color: 'green' },
  rename: { text: '更名', color: 'blue' },
  unchanged: { text: '无变化', color: 'default' },
  record: { text: '登记死亡', color: 'red' },
  already_recorded: { text: '已登记', color: 'default' },
  unmatched: { text: '档案中无此人', color: 'orange' },
};
const MODE_LABELS: Record<ExchangeRecord['mode'], string> = { download: '导出', preview: '导入预览', apply: '导入' };
const datasetLabel = (d: string) =>
  d in EXCHANGE_LAYOUTS ? EXCHANGE_LAYOUTS[d as ExchangeDataset].title : (IMPORT_LABELS[d as ExchangeImportKind] ?? d);

function ExportCard() {
  const [dataset, setDataset] = useState<ExchangeDataset>('elders');
  const [format, setFormat] = useState<ExchangeFormat>('xlsx');
  const [since, setSince] = useState<Dayjs | null>(null);
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const href = exchangeExportUrl({ dataset, format, since: since?.format('YYYY-MM-DD'), regionCode });
  return (
    <Card title="数据导出">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          按省、国家养老服务信息系统的格式（第{DATA_EXCHANGE_LAYOUT_VERSION}
          版）导出本区数据。选择“变更起始日期”只导出该日（北京时间）以后新增或变更的记录；不选则导出全部。
          导出老年人基本信息含完整证件号码，每次导出都记入审计日志。
        </Typography.Paragraph>
        <Space wrap size="middle">
          <Space>
            <span>数据集</span>
            <Select<ExchangeDataset>
              aria-label="数据集"
              style={{ width: 200 }}
              value={dataset}
              onChange={setDataset}
              options={EXCHANGE_DATASETS.map((d) => ({ value: d, label: EXCHANGE_LAYOUTS[d].title }))}
            />
          </Space>
          <Space>
            <span>格式</span>
            <Select<ExchangeFormat>
              aria-label="格式"
              style={{ width: 200 }}
              value={format}
              onChange={setFormat}
              options={(Object.keys(FORMAT_LABELS) as ExchangeFormat[]).map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
            />
          </Space>
          <Space>
            <span>变更起始日期</span>
            <DatePicker aria-label="变更起始日期" value={since} onChange={setSince} placeholder="全部" />
          </Space>
          <Space>
            <span>范围</span>
            <div style={{ width: 220 }}>
              <RegionTreeSelect value={regionCode} onChange={(v) => setRegionCode(v || undefined)} placeholder="全区" />
            </div>
          </Space>
        </Space>
        <Button type="primary" href={href} data-testid="exchange-download">
          下载
        </Button>
      </Space>
    </Card>
  );
}

function ImportCard({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ExchangeImportKind>('regions');
  const [source, setSource] = useState<Source>('police');
  const [file, setFile] = useState<UploadFile | null>(null);
  const [report, setReport] = useState<ExchangeImportReport | null>(null);
  const [error, setError] = useState<{ text: string; rows: Array<{ path: string; message: string }> } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);
  const reset = () => {
    setReport(null);
    setError(null);
  };

  async function send(apply: boolean) {
    if (!file?.originFileObj) return;
    setBusy(apply ? 'apply' : 'preview');
    setError(null);
    const body = new FormData();
    body.append('file', file.originFileObj, file.name);
    const query = kind === 'deaths' ? { kind, source } : { kind };
    try {
      setReport(await (apply ? dataExchangeApi.applyImport : dataExchangeApi.previewImport)({ query, body }));
    } catch (err) {
      setReport(null);
      const rows = err instanceof ApiError ? (err.problem.errors ?? []).filter((e) => e.path.startsWith('row.')) : [];
      setError({
        text: rows.length ? `文件中有${rows.length}行不正确，未做任何修改。请改正后重新上传。` : problemText(err, t),
        rows,
      });
    } finally {
      setBusy(null);
      onDone();
    }
  }

  return (
    <Card title="参考数据导入">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          先预览将要发生的变化，确认后再导入。导入全部成功或全部不做；同一文件再次导入不会重复修改。行政区划代码文件需有“区划代码”“名称”两列；死亡信息文件需有“身份证号”“死亡日期”两列（可带“姓名”列用于核对）。
        </Typography.Paragraph>
        <Space wrap size="middle">
          <Space>
            <span>导入内容</span>
            <Select<ExchangeImportKind>
              aria-label="导入内容"
              style={{ width: 180 }}
              value={kind}
              onChange={(k) => {
                setKind(k);
                reset();
              }}
              options={(Object.keys(IMPORT_LABELS) as ExchangeImportKind[]).map((k) => ({ value: k, label: IMPORT_LABELS[k] }))}
            />
          </Space>
          {kind === 'deaths' && (
            <Space>
              <span>数据来源</span>
              <Select<Source>
                aria-label="数据来源"
                style={{ width: 120 }}
                value={source}
                onChange={(s) => {
                  setSource(s);
                  reset();
                }}
                options={DEATH_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))}
              />
            </Space>
          )}
        </Space>
        <SpreadsheetPicker
          file={file}
          onPick={(f) => {
            setFile(f);
            reset();
          }}
          onUpload={() => void send(false)}
          uploading={busy === 'preview'}
          pickText="点击或拖入 Excel 或 csv 文件"
          uploadText="预览变化"
        />
        {error && (
          <Alert
            type="error"
            showIcon
            data-testid="exchange-import-error"
            message={error.text}
            description={
              error.rows.length ? (
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {error.rows.slice(0, 50).map((r) => (
                    <li key={r.path}>
                      第{r.path.slice(4)}行：{r.message}
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        {report && (
          <>
            <Alert
              type={report.applied ? 'success' : 'info'}
              showIcon
              data-testid="exchange-import-summary"
              message={
                report.applied
                  ? `已导入：共${report.rows}行，修改${report.changes}项，${report.unchanged}项无需修改。`
                  : `预览：共${report.rows}行，将修改${report.changes}项，${report.unchanged}项无需修改。尚未做任何修改。`
              }
              action={
                !report.applied && report.changes > 0 ? (
                  <Button type="primary" danger={kind === 'deaths'} loading={busy === 'apply'} onClick={() => void send(true)}>
                    确认导入
                  </Button>
                ) : undefined
              }
            />
            <Table<Change>
              size="small"
              rowKey="row"
              data-testid="exchange-import-changes"
              pagination={report.changesList.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              dataSource={report.changesList}
              columns={[
                { title: '行', dataIndex: 'row', width: 70 },
                {
                  title: '变化',
                  dataIndex: 'action',
                  width: 130,
                  render: (a: Change['action']) => <Tag color={ACTION_LABELS[a].color}>{ACTION_LABELS[a].text}</Tag>,
                },
                { title: kind === 'regions' ? '区划代码' : '身份证号', dataIndex: 'key' },
                { title: kind === 'regions' ? '名称' : '姓名', dataIndex: 'name', render: (v: string | null) => v ?? '—' },
                {
                  title: kind === 'regions' ? '原名称' : '死亡日期',
                  dataIndex: 'detail',
                  render: (v: string | null) => v ?? '—',
                },
                ...(kind === 'deaths'
                  ? [
                      {
                        title: '高龄津贴',
                        dataIndex: 'stopsAllowance',
                        render: (v: boolean) => (v ? <Tag color="red">停发</Tag> : '—'),
                      },
                    ]
                  : []),
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}

export function DataExchangePage() {
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const history = useFetch(
    (signal) => dataExchangeApi.listExchanges({ query: { page, limit: 20 }, signal }),
    `data-exchange-history-${page}`,
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        数据交换
      </Typography.Title>
      <ExportCard />
      {can('exchange:import') && <ImportCard onDone={history.reload} />}
      <Card title="交换记录">
        <Table<ExchangeRecord>
          size="small"
          rowKey="id"
          data-testid="exchange-history"
          loading={history.loading}
          dataSource={history.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: history.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: '时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 16).replace('T', ' '), width: 150 },
            { title: '操作', dataIndex: 'mode', render: (m: ExchangeRecord['mode']) => MODE_LABELS[m], width: 100 },
            { title: '数据', dataIndex: 'dataset', render: datasetLabel },
            {
              title: '格式或文件',
              render: (_: unknown, r) => r.filename ?? (r.format ? FORMAT_LABELS[r.format as ExchangeFormat] : '—'),
            },
            {
              title: '变更起始日期',
              width: 120,
              render: (_: unknown, r) => (r.direction === 'import' ? '—' : (r.since ?? '全部')),
            },
            { title: '区划代码', dataIndex: 'regionCode', width: 130 },
            { title: '行数', dataIndex: 'rows', render: (v: number | null) => v ?? '—', width: 80 },
            { title: '修改', dataIndex: 'changes', render: (v: number | null) => v ?? '—', width: 80 },
            { title: '操作人', dataIndex: 'actorName', width: 120 },
          ]}
        />
      </Card>
    </Space>
  );
}
