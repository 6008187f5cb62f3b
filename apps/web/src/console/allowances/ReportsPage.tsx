import { Alert, Button, Card, Col, DatePicker, Row, Space, Statistic, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceBackOfficeApi, allowanceReportExportUrl } from '../../api/allowance-back-office.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';

type Report = Awaited<ReturnType<typeof allowanceBackOfficeApi.report>>;

/**
 * 津贴报表 in the user's region (or a part of it): per community the elders of age against those
 * paid, suspended and stopped; survival verification per channel; payments per roll month with
 * the bank's returns apart; overpayments and what was recovered. Counts only, exported as xlsx.
 */
export function ReportsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(5, 'month'), dayjs()]);
  const [region, setRegion] = useState<string | null>(null);
  const query = {
    from: range[0].format('YYYY-MM'),
    to: range[1].format('YYYY-MM'),
    ...(region ? { regionCode: region } : {}),
  };
  const report = useFetch(
    (signal) => allowanceBackOfficeApi.report({ query, signal }),
    `allowance-report:${query.from}:${query.to}:${region}`,
  );
  const r = report.data;
  const y = (fen: number) => t('allowances.common.yuan', { v: (fen / 100).toFixed(2) });
  const k = (key: string) => t(`allowances.backOffice.reports.${key}` as never) as string;
  return (
    <Card
      title={k('title')}
      loading={report.loading && !r}
      extra={
        <Space wrap>
          <span>{k('region')}</span>
          <RegionTreeSelect value={region} onChange={setRegion} allowClear style={{ width: 220 }} />
          <span>{k('period')}</span>
          <DatePicker.RangePicker
            picker="month"
            value={range}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
          <Button href={allowanceReportExportUrl(query)}>{k('export')}</Button>
        </Space>
      }
    >
      {report.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={problemText(report.error, t)} /> : null}
      {r && <Body r={r} y={y} k={k} />}
    </Card>
  );
}

function Body({ r, y, k }: { r: Report; y: (fen: number) => string; k: (key: string) => string }) {
  const paying = r.communities.reduce((a, c) => a + c.paying, 0);
  const paid = r.payments.reduce((a, p) => a + p.paidFen, 0);
  const rate = (p: number, f: number) => (p + f ? `${Math.round((p * 1000) / (p + f)) / 10}%` : '—');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title={k('totalPaying')} value={paying} />
        </Col>
        <Col span={6}>
          <Statistic title={k('totalPaid')} value={y(paid)} />
        </Col>
        <Col span={6}>
          <Statistic title={k('flaggedAmount')} value={y(r.overpayments.flaggedFen)} />
        </Col>
        <Col span={6}>
          <Statistic title={k('outstanding')} value={y(r.overpayments.outstandingFen)} />
        </Col>
      </Row>
      <Card size="small" title={k('communities')}>
        <Table
          size="small"
          rowKey="regionCode"
          pagination={false}
          dataSource={r.communities}
          locale={{ emptyText: k('none') }}
          data-testid="report-communities"
          columns={[
            { title: k('community'), dataIndex: 'regionName', render: (v: string | null, c) => v ?? c.regionCode },
            { title: k('eligible'), dataIndex: 'eligible' },
            { title: k('paying'), dataIndex: 'paying' },
            { title: k('suspended'), dataIndex: 'suspended' },
            { title: k('stopped'), dataIndex: 'stopped' },
          ]}
        />
      </Card>
      <Row gutter={16}>
        <Col span={10}>
          <Card size="small" title={`${k('verification')} · ${k('due')} ${r.verification.due}`}>
            <Table
              size="small"
              rowKey="method"
              pagination={false}
              dataSource={r.verification.channels}
              locale={{ emptyText: k('none') }}
              columns={[
                { title: k('method'), dataIndex: 'method', render: (v: string) => k(`methods.${v}`) },
                { title: k('passed'), dataIndex: 'passed' },
                { title: k('failed'), dataIndex: 'failed' },
                { title: k('rate'), render: (_, c) => rate(c.passed, c.failed) },
              ]}
            />
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" title={k('payments')}>
            <Table
              size="small"
              rowKey="month"
              pagination={false}
              dataSource={r.payments}
              locale={{ emptyText: k('none') }}
              data-testid="report-payments"
              columns={[
                { title: k('rollMonth'), dataIndex: 'month' },
                { title: k('lines'), dataIndex: 'lines' },
                { title: k('paid'), dataIndex: 'paidFen', render: y },
                { title: k('failedLines'), dataIndex: 'failedLines' },
                { title: k('failedAmount'), dataIndex: 'failedFen', render: y },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={k('overpayments')}>
        <Row gutter={16}>
          <Col span={6}>
            <Statistic title={k('flagged')} value={r.overpayments.flagged} />
          </Col>
          <Col span={6}>
            <Statistic title={k('flaggedAmount')} value={y(r.overpayments.flaggedFen)} />
          </Col>
          <Col span={6}>
            <Statistic title={k('recovered')} value={y(r.overpayments.recoveredFen)} />
          </Col>
          <Col span={6}>
            <Statistic title={k('outstanding')} value={y(r.overpayments.outstandingFen)} />
          </Col>
        </Row>
      </Card>
    </Space>
  );
}
