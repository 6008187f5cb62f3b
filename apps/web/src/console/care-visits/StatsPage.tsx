import { Card, Col, DatePicker, Progress, Row, Space, Statistic, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careVisitsApi } from '../../api/care-visits.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useCareScope } from './common.ts';

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : 0);

/** 巡访统计: coverage per group, findings by type, follow-ups closed on time, per community and worker. */
export function StatsPage() {
  const { t } = useTranslation();
  const { regionCode } = useCareScope();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const s = useFetch(
    (signal) => careVisitsApi.stats({ query: { regionCode, from, to }, signal }),
    `care-stats-${regionCode}-${from}-${to}`,
  );
  const st = s.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={t('careVisits.stats.title')}
        loading={s.loading && !st}
        extra={
          <Space>
            {t('careVisits.stats.period')}
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
          </Space>
        }
      >
        {st && (
          <Row gutter={24}>
            <Col span={6}>
              <Statistic title={t('careVisits.stats.total')} value={st.followUps.total} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('careVisits.stats.closedOnTime')}
                value={st.followUps.closedOnTime}
                suffix={`/ ${st.followUps.closed}`}
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('careVisits.stats.open')} value={st.followUps.open} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('careVisits.stats.overdue')}
                value={st.followUps.overdue}
                valueStyle={{ color: st.followUps.overdue ? '#cf1322' : undefined }}
              />
            </Col>
          </Row>
        )}
      </Card>
      <Row gutter={16}>
        <Col span={14}>
          <Card title={t('careVisits.stats.coverage')}>
            <Table
              rowKey="group"
              size="small"
              pagination={false}
              dataSource={st?.groups}
              columns={[
                { title: t('careVisits.members.group'), render: (_, g) => t(`careVisits.groups.${g.group}`) },
                { title: t('careVisits.stats.elders'), dataIndex: 'elders' },
                { title: t('careVisits.stats.planned'), dataIndex: 'planned' },
                { title: t('careVisits.stats.visitedInPlan'), dataIndex: 'visitedInPlan' },
                {
                  title: t('careVisits.stats.rate'),
                  render: (_, g) => (g.planned ? <Progress percent={pct(g.visitedInPlan, g.planned)} size="small" /> : '—'),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={10}>
          <Card title={t('careVisits.stats.findingsByType')}>
            <Table
              rowKey="type"
              size="small"
              pagination={false}
              dataSource={st?.findingsByType}
              columns={[
                { title: t('careVisits.followUps.finding'), render: (_, f) => t(`careVisits.findings.${f.type}`) },
                { title: t('careVisits.stats.count'), dataIndex: 'count' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('careVisits.stats.byCommunity')}>
        <Table
          rowKey="regionCode"
          size="small"
          pagination={false}
          dataSource={st?.communities}
          columns={[
            { title: t('careVisits.common.region'), render: (_, c) => c.regionName ?? c.regionCode },
            { title: t('careVisits.stats.planned'), dataIndex: 'planned' },
            {
              title: t('careVisits.stats.rate'),
              render: (_, c) => (c.planned ? <Progress percent={pct(c.visitedInPlan, c.planned)} size="small" /> : '—'),
            },
            { title: t('careVisits.stats.visits'), dataIndex: 'visits' },
            { title: t('careVisits.stats.overdue'), dataIndex: 'overdue' },
            { title: t('careVisits.stats.findings'), dataIndex: 'findings' },
          ]}
        />
      </Card>
      <Card title={t('careVisits.stats.byWorker')}>
        <Table
          rowKey="userId"
          size="small"
          pagination={false}
          dataSource={st?.workers}
          columns={[
            { title: t('careVisits.visits.worker'), dataIndex: 'name' },
            { title: t('careVisits.stats.visits'), dataIndex: 'visits' },
            { title: t('careVisits.stats.overdue'), dataIndex: 'overdue' },
            { title: t('careVisits.stats.findings'), dataIndex: 'findings' },
          ]}
        />
      </Card>
    </Space>
  );
}
