import { DownloadOutlined } from '@ant-design/icons';
import {
  type IndicatorDef,
  indicatorUnitZh,
  type PeriodType,
  type SeriesQuery,
  STATISTICS_INDICATORS,
  STATISTICS_SECTION_LABELS_ZH,
  STATISTICS_SECTIONS,
  type StatisticsSeries,
} from '@zhiyang/shared';
import { Alert, Button, Card, DatePicker, Flex, Form, Segmented, Select, Skeleton, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import quarterOfYear from 'dayjs/plugin/quarterOfYear';
import type * as echarts from 'echarts';
import { useMemo, useState } from 'react';
import { seriesXlsxUrl, statisticsApi } from '../../api/statistics.ts';
import { ApiError } from '../../app/api.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from '../call-reports/EChart.tsx';
import { formatFigure, LEVEL_ZH } from './format.ts';

dayjs.extend(quarterOfYear);

type Level = 'district' | 'street' | 'community';
const LEVELS: Level[] = ['district', 'street', 'community'];
const PERIOD_ZH: Record<PeriodType, string> = { month: '按月', quarter: '按季度', year: '按年' };

/** The period key of a day: 2026-11, 2026-Q4 or 2026. */
function keyOf(type: PeriodType, d: Dayjs) {
  if (type === 'year') return d.format('YYYY');
  if (type === 'quarter') return `${d.year()}-Q${d.quarter()}`;
  return d.format('YYYY-MM');
}
/** The default range: the last twelve months, four quarters or three years up to now. */
function defaultRange(type: PeriodType): [Dayjs, Dayjs] {
  const now = dayjs();
  if (type === 'year') return [now.subtract(2, 'year'), now];
  if (type === 'quarter') return [now.subtract(3, 'quarter'), now];
  return [now.subtract(11, 'month'), now];
}

const indicatorOptions = STATISTICS_SECTIONS.map((s) => ({
  label: STATISTICS_SECTION_LABELS_ZH[s].replace(/^[一二三四五六七八九十]+、/, ''),
  options: STATISTICS_INDICATORS.filter((i) => i.section === s).map((i) => ({ value: i.id, label: i.name })),
}));

/** A CSV of the table (UTF-8 with a byte-order mark, so Excel reads the Chinese), saved by the browser. */
function downloadCsv(s: StatisticsSeries, totalRow: boolean) {
  const cell = (v: string | number | null) => {
    const t = v === null ? '' : typeof v === 'number' ? String(s.indicator.unit === 'fen' ? v / 100 : v) : v;
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const lines = [
    ['地区', ...s.periods.map((p) => p.label)],
    ...(totalRow ? [[`${s.region.name}（全辖区）`, ...s.total]] : []),
    ...s.rows.map((r) => [r.name, ...r.values]),
  ].map((row) => row.map(cell).join(','));
  const blob = new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${s.region.name}-${s.indicator.name}.csv`;
  a.click();
  URL.revokeObjectURL(a.href);
}

function SeriesChart({ s, indicator }: { s: StatisticsSeries; indicator: IndicatorDef }) {
  const option = useMemo<echarts.EChartsOption>(() => {
    const conv = (v: number | null) => (v === null ? null : indicator.unit === 'fen' ? v / 100 : v);
    const bar = s.periods.length === 1;
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 56, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: s.periods.map((p) => p.label) },
      yAxis: { type: 'value', name: indicatorUnitZh(indicator), min: 0 },
      series: s.rows.map((r) => ({
        name: r.name,
        type: bar ? 'bar' : 'line',
        data: r.values.map(conv),
        connectNulls: false,
      })),
    };
  }, [s, indicator]);
  return <Chart option={option} height={340} />;
}

/**
 * 自定义统计: one indicator of the catalogue over a range of months, quarters or years, for the
 * region chosen in the header and its streets or communities — a chart, a table and an export.
 */
export function AdhocStatisticsPage() {
  const { selected, find, tree } = useRegions();
  const base = (selected ? find(selected) : tree[0]) ?? tree[0];
  const baseLevel: Level = (base?.level as Level | undefined) ?? 'district';
  const [indicatorId, setIndicatorId] = useState('elders.total');
  const [period, setPeriod] = useState<PeriodType>('month');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => defaultRange('month'));
  const [levelChoice, setLevel] = useState<Level | null>(null);
  const levels = LEVELS.filter((l) => LEVELS.indexOf(l) >= LEVELS.indexOf(baseLevel));
  const level = levelChoice && levels.includes(levelChoice) ? levelChoice : (levels[1] ?? levels[0]);
  const indicator = STATISTICS_INDICATORS.find((i) => i.id === indicatorId) ?? STATISTICS_INDICATORS[0];

  const query: SeriesQuery = {
    indicator: indicator.id,
    period,
    first: keyOf(period, range[0]),
    last: keyOf(period, range[1]),
    level,
    ...(selected ? { regionCode: selected } : {}),
  };
  const res = useFetch((signal) => statisticsApi.series({ query, signal }), `series:${JSON.stringify(query)}`);
  const s = res.data;
  const breakdown = !!s && !(s.rows.length === 1 && s.rows[0].code === s.region.code);

  const tableRows = s
    ? [...(breakdown ? [{ code: '__total', name: `${s.region.name}（全辖区）`, values: s.total }] : []), ...s.rows]
    : [];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        自定义统计
      </Typography.Title>
      <Card size="small">
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label="统计指标">
            <Select
              aria-label="统计指标"
              showSearch
              optionFilterProp="label"
              style={{ width: 260 }}
              value={indicatorId}
              onChange={setIndicatorId}
              options={indicatorOptions}
            />
          </Form.Item>
          <Form.Item label="统计周期">
            <Segmented
              value={period}
              onChange={(v) => {
                const p = v as PeriodType;
                setPeriod(p);
                setRange(defaultRange(p));
              }}
              options={(['month', 'quarter', 'year'] as const).map((p) => ({ value: p, label: PERIOD_ZH[p] }))}
            />
          </Form.Item>
          <Form.Item label="时间范围">
            <DatePicker.RangePicker
              picker={period}
              allowClear={false}
              value={range}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
              disabledDate={(d) => d.isAfter(dayjs(), period)}
            />
          </Form.Item>
          <Form.Item label="区域层级">
            <Select
              aria-label="区域层级"
              style={{ width: 140 }}
              value={level}
              onChange={setLevel}
              options={levels.map((l) => ({
                value: l,
                label: l === baseLevel ? `本级（${base?.name ?? LEVEL_ZH[l]}）` : `按${LEVEL_ZH[l]}`,
              }))}
            />
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          口径：{indicator.definition}（单位：{indicatorUnitZh(indicator)}）
        </Typography.Paragraph>
      </Card>
      {res.error ? (
        <Alert
          type="error"
          showIcon
          message={
            res.error instanceof ApiError && res.error.status === 404
              ? '所选区域不在您的管辖范围内'
              : res.error instanceof ApiError && res.error.status === 400
                ? '查询条件有误：时间范围最多36个周期'
                : '统计加载失败，请稍后重试'
          }
        />
      ) : null}
      {!s && !res.error && <Skeleton active />}
      {s && (
        <>
          <Card size="small" title={`${s.region.name} · ${s.indicator.name}`} data-testid="adhoc-chart">
            <SeriesChart s={s} indicator={indicator} />
          </Card>
          <Card
            size="small"
            title="统计表"
            extra={
              <Flex gap={8}>
                <Button size="small" icon={<DownloadOutlined />} href={seriesXlsxUrl(query)}>
                  导出电子表格
                </Button>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadCsv(s, breakdown)}>
                  导出逗号分隔文本
                </Button>
              </Flex>
            }
          >
            <Table
              size="small"
              bordered
              rowKey="code"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={tableRows}
              columns={[
                { title: '地区', dataIndex: 'name', fixed: 'left', width: 180 },
                ...s.periods.map((p, i) => ({
                  title: p.label,
                  key: p.key,
                  align: 'right' as const,
                  render: (_: unknown, row: (typeof tableRows)[number]) => formatFigure(s.indicator.unit, row.values[i]),
                })),
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              “—”表示该期没有数据（来源只保留当前状态，或无可计算的基数），并非零。
            </Typography.Paragraph>
          </Card>
        </>
      )}
    </Space>
  );
}
