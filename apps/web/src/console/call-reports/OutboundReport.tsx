import { DownloadOutlined } from '@ant-design/icons';
import type { CampaignCoverage } from '@zhiyang/shared';
import { Alert, Button, Card, Col, Empty, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { outboundReportXlsxUrl } from '../../api/call-reports.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from './EChart.tsx';

type Question = CampaignCoverage['questions'][number];

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/**
 * 外呼关爱: each care-call campaign in its current period — targeted, reached and coverage, the
 * answered rate of the dials, what is still open, the elders not reached and their home visits,
 * the orders, alarms and complaints made from the calls — and the tallies of the script's
 * answers. The same figures as an Excel workbook.
 */

/** Short figures' headers and cells on one line (a narrow column would break 目标人数 after 人). */
const noWrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
export function OutboundReport() {
  const { t } = useTranslation();
  const cov = useFetch((signal) => campaignsApi.coverage({ signal }), 'care-coverage');
  const items = cov.data?.items ?? [];
  const percent = (rate: number | null) => {
    const v = pct(rate);
    return v === null ? '—' : `${v}%`;
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', minWidth: 0 }}>
      <Card
        title={t('callReports.outbound.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={outboundReportXlsxUrl} data-testid="outbound-report-export">
            {t('callReports.outbound.export')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('callReports.outbound.hint')}</Typography.Paragraph>
        {cov.error !== undefined && <Alert type="error" showIcon title={problemText(cov.error, t)} />}
        <Table<CampaignCoverage>
          rowKey="campaignId"
          size="small"
          loading={cov.loading}
          pagination={false}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('callReports.outbound.none')} /> }}
          data-testid="outbound-report"
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('callReports.outbound.campaign'),
              dataIndex: 'name',
              width: 220,
              render: (name: string, c) => (
                <Space size={4}>
                  {name}
                  {!c.active && <Tag>{t('callReports.outbound.paused')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('callReports.outbound.period'),
              onHeaderCell: noWrap,
              onCell: noWrap,
              render: (_: unknown, c) => (
                <span>
                  {t(`callReports.outbound.frequency.${c.frequency}`)} · {c.periodFrom.slice(5)} ~ {c.periodTo.slice(5)}
                </span>
              ),
            },
            { title: t('callReports.outbound.targeted'), dataIndex: 'targeted', align: 'right', onHeaderCell: noWrap },
            { title: t('callReports.outbound.reached'), dataIndex: 'reached', align: 'right', onHeaderCell: noWrap },
            {
              title: t('callReports.outbound.coverage'),
              width: 150,
              render: (_: unknown, c) =>
                c.reachedRate === null ? (
                  '—'
                ) : (
                  <Progress percent={pct(c.reachedRate) ?? 0} size="small" format={(v) => `${v}%`} />
                ),
            },
            {
              title: t('callReports.outbound.answeredRate'),
              onHeaderCell: noWrap,
              onCell: noWrap,
              render: (_: unknown, c) => (
                <span>
                  {percent(c.answeredRate)}{' '}
                  <Typography.Text type="secondary">
                    ({t('callReports.outbound.answeredOf', { answered: c.answeredAttempts, attempts: c.attempts })})
                  </Typography.Text>
                </span>
              ),
            },
            { title: t('callReports.outbound.open'), dataIndex: 'open', align: 'right', onHeaderCell: noWrap },
            { title: t('callReports.outbound.unreached'), dataIndex: 'unreached', align: 'right', onHeaderCell: noWrap },
            { title: t('callReports.outbound.visitTasks'), dataIndex: 'visitTasks', align: 'right', onHeaderCell: noWrap },
            {
              title: t('callReports.outbound.followUps'),
              render: (_: unknown, c) => (
                <Space size={4} wrap>
                  <Tag color={c.followUps.orders ? 'blue' : undefined}>
                    {t('callReports.outbound.orders')} {c.followUps.orders}
                  </Tag>
                  <Tag color={c.followUps.alarms ? 'red' : undefined}>
                    {t('callReports.outbound.alarms')} {c.followUps.alarms}
                  </Tag>
                  <Tag color={c.followUps.complaints ? 'orange' : undefined}>
                    {t('callReports.outbound.complaints')} {c.followUps.complaints}
                  </Tag>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {items
        .filter((c) => c.targeted > 0)
        .map((c) => (
          <Card key={c.campaignId} title={`${t('callReports.outbound.answers')} · ${c.name}`} data-testid="outbound-answers">
            {c.questions.every((q) => q.answered === 0) ? (
              <Empty description={t('callReports.outbound.noAnswers')} />
            ) : (
              <Row gutter={[16, 16]}>
                {c.questions.map((q) => (
                  <Col key={q.key} xs={24} md={12} xl={6}>
                    <QuestionTally q={q} />
                  </Col>
                ))}
              </Row>
            )}
          </Card>
        ))}
    </Space>
  );
}

/** One question's answers: a bar per option or score (with the mean), or the number of written answers. */
function QuestionTally({ q }: { q: Question }) {
  const { t } = useTranslation();
  const bars = useMemo(() => {
    const keys = Object.keys(q.counts);
    return keys.map((k, i) => ({
      label:
        q.kind === 'scale'
          ? t('callReports.outbound.score', { n: k })
          : t(`calls.care.options.${k}` as never, { defaultValue: t('calls.care.option', { n: i + 1 }) }),
      value: q.counts[k] ?? 0,
    }));
  }, [q, t]);
  const subtitle = [
    t('callReports.outbound.answeredCount', { n: q.answered }),
    q.mean !== null ? t('callReports.outbound.mean', { v: q.mean }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  if (q.kind === 'text')
    return (
      <Card size="small" title={q.text} style={{ height: '100%' }}>
        <Statistic title={t('callReports.outbound.textAnswers')} value={q.answered} />
      </Card>
    );
  return (
    <Card size="small" title={q.text} extra={<Typography.Text type="secondary">{subtitle}</Typography.Text>}>
      <Chart
        height={200}
        option={{
          tooltip: { trigger: 'axis' },
          grid: { left: 40, right: 16, top: 16, bottom: 28 },
          // Every option's name under its bar: ECharts would drop one it thinks overlaps.
          xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { interval: 0 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            {
              type: 'bar',
              name: t('callReports.outbound.count'),
              data: bars.map((b) => b.value),
              itemStyle: { color: q.kind === 'scale' ? '#36cfc9' : '#69b1ff' },
              label: { show: true, position: 'top' },
            },
          ],
        }}
      />
    </Card>
  );
}
