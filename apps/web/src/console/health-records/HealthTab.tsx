import { VITAL_LABELS_ZH, VITAL_UNITS, type VitalCode } from '@zhiyang/shared';
import { Alert, AutoComplete, Button, Card, Col, Descriptions, Empty, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthRecordsApi } from '../../api/health-records.ts';
import { ApiError } from '../../app/api.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from '../call-reports/EChart.tsx';

/** The charts of the tab: one per sign, blood pressure with both values. */
const CHARTS: Array<{ key: string; codes: VitalCode[]; color: string[] }> = [
  { key: 'bp', codes: ['systolic', 'diastolic'], color: ['#cf1322', '#fa8c16'] },
  { key: 'heart_rate', codes: ['heart_rate'], color: ['#1677ff'] },
  { key: 'spo2', codes: ['spo2'], color: ['#13c2c2'] },
  { key: 'glucose', codes: ['glucose'], color: ['#722ed1'] },
  { key: 'temperature', codes: ['temperature'], color: ['#d4380d'] },
  { key: 'resp_rate', codes: ['resp_rate'], color: ['#389e0d'] },
];

const needsReason = (err: unknown) =>
  err instanceof ApiError && err.status === 400 && err.problem.errors?.some((e) => e.path === 'query.reason');

/**
 * 健康档案 on the elder's page: conditions, allergies and medications from the archive, the latest
 * readings, trends of the last 30 / 90 days from the devices, and the annual physicals. Staff
 * who are not the elder's doctors give a reason first (the server asks for it and audits it).
 */
export function HealthTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<string>();
  const [draft, setDraft] = useState('');
  const [days, setDays] = useState<30 | 90>(30);
  const summary = useFetch(
    (signal) => healthRecordsApi.getHealth({ params: { id: elderId }, query: reason ? { reason } : {}, signal }),
    `health:${elderId}:${reason ?? ''}`,
  );
  const trends = useFetch(
    (signal) =>
      summary.data
        ? healthRecordsApi.getVitals({ params: { id: elderId }, query: { days, ...(reason ? { reason } : {}) }, signal })
        : Promise.resolve(undefined),
    `vitals:${elderId}:${days}:${reason ?? ''}:${summary.data ? 1 : 0}`,
  );

  if (needsReason(summary.error)) {
    const options = Object.values(t('healthRecords.reason.options', { returnObjects: true }) as Record<string, string>);
    return (
      <Card title={t('healthRecords.reason.title')} style={{ maxWidth: 560 }}>
        <Typography.Paragraph type="secondary">{t('healthRecords.reason.hint')}</Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <AutoComplete
            aria-label={t('healthRecords.reason.placeholder')}
            style={{ flex: 1 }}
            options={options.map((o) => ({ value: o }))}
            value={draft}
            onChange={setDraft}
            placeholder={t('healthRecords.reason.placeholder')}
          />
          <Button type="primary" disabled={draft.trim().length < 2} onClick={() => setReason(draft.trim())}>
            {t('healthRecords.reason.open')}
          </Button>
        </Space.Compact>
      </Card>
    );
  }
  if (summary.error) return <Alert type="error" showIcon message={problemText(summary.error, t)} />;
  const h = summary.data;
  if (!h) return <Card loading />;
  const list = (items: string[]) => (items.length ? items.map((c) => <Tag key={c}>{c}</Tag>) : t('healthRecords.none'));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Descriptions column={3} size="small">
          <Descriptions.Item label={t('healthRecords.conditions')}>{list(h.chronicConditions)}</Descriptions.Item>
          <Descriptions.Item label={t('healthRecords.allergies')}>{list(h.allergies)}</Descriptions.Item>
          <Descriptions.Item label={t('healthRecords.medications')}>
            {h.medications.length
              ? h.medications.map((m) => <Tag key={m.id}>{[m.name, m.dose, m.frequency].filter(Boolean).join(' ')}</Tag>)
              : t('healthRecords.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('healthRecords.latest')} span={3}>
            <Space wrap>
              {h.latest.map((l) => (
                <Tag key={l.code} color="blue">
                  {VITAL_LABELS_ZH[l.code]} {l.value} {VITAL_UNITS[l.code]}（{new Date(l.observedAt).toLocaleDateString('zh-CN')}
                  ）
                </Tag>
              ))}
              {!h.latest.length && t('healthRecords.noReadings')}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={t('healthRecords.trends')}
        extra={
          <Segmented
            value={days}
            onChange={(v) => setDays(v as 30 | 90)}
            options={[
              { value: 30, label: t('healthRecords.days.d30') },
              { value: 90, label: t('healthRecords.days.d90') },
            ]}
          />
        }
      >
        <Trends data={trends.data} loading={trends.loading} />
      </Card>
      <Card size="small" title={t('healthRecords.physicals')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={h.physicals}
          locale={{ emptyText: t('healthRecords.noPhysicals') }}
          columns={[
            { title: t('healthRecords.col.year'), dataIndex: 'examYear', width: 70 },
            { title: t('healthRecords.col.date'), dataIndex: 'examDate', width: 110 },
            { title: t('healthRecords.col.institution'), dataIndex: 'institution' },
            { title: t('healthRecords.col.bmi'), dataIndex: 'bmi', width: 70 },
            {
              title: t('healthRecords.col.bp'),
              width: 100,
              render: (_, p) => (p.systolic ? `${p.systolic}/${p.diastolic ?? '-'}` : ''),
            },
            { title: t('healthRecords.col.heartRate'), dataIndex: 'heartRate', width: 70 },
            { title: t('healthRecords.col.glucose'), dataIndex: 'fastingGlucose', width: 90 },
            { title: t('healthRecords.col.cholesterol'), dataIndex: 'totalCholesterol', width: 90 },
            { title: t('healthRecords.col.conclusion'), dataIndex: 'conclusion' },
          ]}
        />
      </Card>
    </Space>
  );
}

function Trends({
  data,
  loading,
}: {
  data: Awaited<ReturnType<typeof healthRecordsApi.getVitals>> | undefined;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const charts = useMemo(() => {
    if (!data) return [];
    const byCode = new Map(data.series.map((s) => [s.code, s.points]));
    return CHARTS.filter((c) => c.codes.some((code) => byCode.get(code)?.length)).map((c) => {
      const label = c.key === 'bp' ? '血压' : VITAL_LABELS_ZH[c.codes[0]];
      const option: EChartsOption = {
        title: { text: `${label}（${VITAL_UNITS[c.codes[0]]}）`, textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 12, top: 36, bottom: 24 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', scale: true },
        color: c.color,
        legend: c.codes.length > 1 ? { right: 0, top: 0 } : undefined,
        series: c.codes.map((code) => ({
          name: VITAL_LABELS_ZH[code],
          type: 'line',
          showSymbol: false,
          data: (byCode.get(code) ?? []).map((p) => [p.day, p.avg]),
        })),
      };
      return { key: c.key, option };
    });
  }, [data]);
  if (loading && !data) return <Card loading bordered={false} />;
  if (!charts.length) return <Empty description={t('healthRecords.noReadings')} />;
  return (
    <Row gutter={[12, 12]}>
      {charts.map((c) => (
        <Col key={c.key} xs={24} lg={12} data-testid={`vital-chart-${c.key}`}>
          <Chart option={c.option} height={200} />
        </Col>
      ))}
    </Row>
  );
}
