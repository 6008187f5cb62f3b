import { DownloadOutlined } from '@ant-design/icons';
import type { InboundReport } from '@zhiyang/shared';
import { Alert, Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callReportsApi, inboundReportXlsxUrl } from '../../api/call-reports.ts';
import { outsideRange } from '../../app/date-limits.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from './EChart.tsx';
import { OutboundReport } from './OutboundReport.tsx';

type Bucket = InboundReport['bucket'];

/** China-time label of a bucket's first instant. */
const label = (start: string, bucket: Bucket) =>
  dayjs(start).format(bucket === 'hour' ? 'MM-DD HH:00' : bucket === 'day' ? 'MM-DD' : 'YYYY-MM');

/**
 * 话务报表: two tabs — 呼入话务, the hotline's inbound report, and 外呼关爱, the care-call
 * campaigns' coverage this period (OutboundReport.tsx) — each with its Excel export.
 */
export function CallReportsPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      destroyOnHidden
      items={[
        { key: 'inbound', label: t('callReports.tabInbound'), children: <InboundReportView /> },
        { key: 'outbound', label: t('callReports.outbound.tab'), children: <OutboundReport /> },
      ]}
    />
  );
}

/**
 * 呼入话务: the inbound service level against its targets (answered within 15 s and 60 s),
 * volumes per hour / day / month, the category mix, the agents and repeat callers, for a period
 * (the last 30 days by default); the same report as an Excel workbook.
 */
function InboundReportView() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day').startOf('day'), dayjs().endOf('day')]);
  const [bucket, setBucket] = useState<Bucket>('day');
  const query = { from: range[0].startOf('day').format(), to: range[1].add(1, 'day').startOf('day').format(), bucket };
  const report = useFetch(
    (signal) => callReportsApi.inbound({ query, signal }),
    `call-report-${query.from}-${query.to}-${bucket}`,
  );
  const r = report.data;
  const secs = (v: number | null | undefined) => (v == null ? '—' : t('callReports.seconds', { v: Math.round(v) }));
  const pctOf = (v: number | null | undefined, target?: number) => (
    <Statistic
      value={v ?? '—'}
      suffix={v == null ? undefined : '%'}
      valueStyle={{ color: v == null || target === undefined ? undefined : v >= target ? '#389e0d' : '#cf1322' }}
    />
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', minWidth: 0 }}>
      <Card
        title={t('callReports.title')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              disabledDate={outsideRange('filter')}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
            <Segmented<Bucket>
              value={bucket}
              onChange={setBucket}
              options={(['hour', 'day', 'month'] as const).map((b) => ({ value: b, label: t(`callReports.bucket.${b}`) }))}
            />
            <Button icon={<DownloadOutlined />} href={inboundReportXlsxUrl(query)} data-testid="call-report-export">
              {t('callReports.export')}
            </Button>
          </Space>
        }
      >
        {report.error !== undefined && <Alert type="error" showIcon title={problemText(report.error, t)} />}
        {r && r.totals.offered === 0 && <Empty description={t('callReports.none')} />}
        {r && r.totals.offered > 0 && (
          <Row gutter={[16, 16]} data-testid="call-report-totals">
            <Col span={4}>
              <Statistic title={t('callReports.offered')} value={r.totals.offered} />
            </Col>
            <Col span={4}>
              <Statistic title={t('callReports.answered')} value={r.totals.answered} />
            </Col>
            <Col span={4}>
              <Statistic
                title={t('callReports.abandoned')}
                value={r.totals.abandoned}
                suffix={`(${r.totals.pctAbandoned ?? 0}%)`}
              />
            </Col>
            <Col span={4}>
              <Typography.Text type="secondary">{t('callReports.within15')}</Typography.Text>
              {pctOf(r.totals.pctWithin15s, r.targets.pctWithin15s)}
              <Typography.Text type="secondary">{t('callReports.target', { v: r.targets.pctWithin15s })}</Typography.Text>
            </Col>
            <Col span={4}>
              <Typography.Text type="secondary">{t('callReports.within60')}</Typography.Text>
              {pctOf(r.totals.pctWithin60s, r.targets.pctWithin60s)}
              <Typography.Text type="secondary">{t('callReports.target', { v: r.targets.pctWithin60s })}</Typography.Text>
            </Col>
            <Col span={4}>
              <Typography.Text type="secondary">{t('callReports.within180')}</Typography.Text>
              {pctOf(r.totals.pctWithin180s)}
            </Col>
            <Col span={6}>
              <Statistic title={t('callReports.avgWait')} value={secs(r.totals.avgWaitSeconds)} />
            </Col>
            <Col span={6}>
              <Statistic title={t('callReports.p90Wait')} value={secs(r.totals.p90WaitSeconds)} />
            </Col>
            <Col span={6}>
              <Statistic title={t('callReports.avgTalk')} value={secs(r.totals.avgTalkSeconds)} />
            </Col>
            <Col span={6}>
              <Statistic title={t('callReports.avgWrap')} value={secs(r.totals.avgWrapUpSeconds)} />
            </Col>
            <Col span={24}>
              <Typography.Text>{t('callReports.repeat', r.repeatCallers)}</Typography.Text>
            </Col>
          </Row>
        )}
      </Card>
      {r && r.totals.offered > 0 && (
        <Row gutter={16}>
          <Col span={14}>
            <Card title={t('callReports.volumes')}>
              <Chart
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0, data: [t('callReports.offered'), t('callReports.answered'), t('callReports.abandoned')] },
                  grid: { left: 48, right: 16, top: 40, bottom: 32 },
                  xAxis: { type: 'category', data: r.buckets.map((b) => label(b.start, r.bucket)) },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [
                    {
                      name: t('callReports.offered'),
                      type: 'bar',
                      data: r.buckets.map((b) => b.offered),
                      itemStyle: { color: '#69b1ff' },
                    },
                    {
                      name: t('callReports.answered'),
                      type: 'bar',
                      data: r.buckets.map((b) => b.answered),
                      itemStyle: { color: '#36cfc9' },
                    },
                    {
                      name: t('callReports.abandoned'),
                      type: 'bar',
                      data: r.buckets.map((b) => b.abandoned),
                      itemStyle: { color: '#ff7875' },
                    },
                  ],
                }}
              />
            </Card>
          </Col>
          <Col span={10}>
            <Card title={t('callReports.categories')}>
              <Chart
                option={{
                  tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
                  series: [
                    {
                      type: 'pie',
                      radius: ['30%', '55%'],
                      label: { formatter: '{b}\n{d}%', overflow: 'none' },
                      data: r.byCategory.map((c) => ({ name: c.name ?? t('callReports.uncategorised'), value: c.calls })),
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        </Row>
      )}
      {r && r.byAgent.length > 0 && (
        <Card title={t('callReports.agents')}>
          <Table
            rowKey="userId"
            size="small"
            pagination={false}
            dataSource={r.byAgent}
            columns={[
              { title: t('callReports.agent'), dataIndex: 'name' },
              { title: t('callReports.answered'), dataIndex: 'answered' },
              { title: t('callReports.avgTalk'), dataIndex: 'avgTalkSeconds', render: secs },
              { title: t('callReports.avgWrap'), dataIndex: 'avgWrapUpSeconds', render: secs },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
