import type { DueElder, DueSummaryRow as SummaryRow } from '@zhiyang/shared';
import { Alert, Card, Col, Row, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { assessmentsApi } from '../../api/assessments.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { LEVEL_COLOR } from '../elders/ElderListPage.tsx';

/** /console/assessments — who is due, overdue or never assessed, per community. */
export function AssessmentsPage() {
  const { t } = useTranslation();
  const { selected } = useRegions();
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const scope = regionCode ?? selected ?? undefined;
  const summary = useFetch(
    (signal) => assessmentsApi.dueSummary({ query: { regionCode: selected ?? undefined }, signal }),
    selected ?? '',
  );
  const due = useFetch(
    (signal) => assessmentsApi.dueList({ query: { regionCode: scope, page, limit: 20 }, signal }),
    `${scope}:${page}`,
  );
  return (
    <Row gutter={16}>
      <Col xs={24} lg={10}>
        <Card title={t('elders.assess.summaryTitle')}>
          {summary.error !== undefined && <Alert type="error" title={problemText(summary.error, t)} />}
          <Table<SummaryRow>
            rowKey="regionCode"
            size="small"
            loading={summary.loading}
            dataSource={summary.data}
            pagination={false}
            onRow={(r) => ({
              onClick: () => {
                setRegionCode(r.regionCode);
                setPage(1);
              },
              style: { cursor: 'pointer' },
            })}
            rowClassName={(r) => (r.regionCode === regionCode ? 'ant-table-row-selected' : '')}
            columns={[
              { title: t('elders.list.region'), dataIndex: 'regionName' },
              {
                title: t('elders.assess.overdue'),
                dataIndex: 'overdue',
                render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0),
              },
              {
                title: t('elders.assess.dueSoon'),
                dataIndex: 'dueSoon',
                render: (n: number) => (n ? <Tag color="gold">{n}</Tag> : 0),
              },
              { title: t('elders.assess.neverAssessed'), dataIndex: 'neverAssessed' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('elders.assess.dueTitle')}>
          <Table<DueElder>
            rowKey="id"
            size="small"
            loading={due.loading}
            dataSource={due.data?.items}
            pagination={{
              current: page,
              pageSize: 20,
              total: due.data?.total,
              onChange: setPage,
              showTotal: (total) => t('common.total', { total }),
            }}
            columns={[
              {
                title: t('elders.field.name'),
                dataIndex: 'name',
                render: (n: string, r) => <Link to={`/console/elders/${r.id}`}>{n}</Link>,
              },
              { title: t('elders.list.region'), dataIndex: 'regionName' },
              {
                title: t('elders.field.abilityLevel'),
                dataIndex: 'abilityLevel',
                render: (l: string | null) =>
                  l ? <Tag color={LEVEL_COLOR[l]}>{t(`elders.level.${l as 'mild'}`)}</Tag> : t('elders.list.notAssessed'),
              },
              {
                title: t('elders.field.nextAssessmentDue'),
                dataIndex: 'nextAssessmentDue',
                render: (d: string | null, r) =>
                  r.neverAssessed ? (
                    <Tag>{t('elders.assess.neverAssessed')}</Tag>
                  ) : (
                    <Tag color={r.overdue ? 'red' : 'gold'}>{d}</Tag>
                  ),
              },
              {
                title: '',
                render: (_: unknown, r) => (
                  <Link to={`/console/assessments/new?elderId=${r.id}`}>{t('elders.assess.newAssessment')}</Link>
                ),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
