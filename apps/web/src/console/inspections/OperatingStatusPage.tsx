import { INSPECTED_ORG_TYPE_LABELS_ZH } from '@zhiyang/shared';
import { Badge, Card, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { inspectionsApi } from '../../api/inspections.ts';
import { useFetch } from '../../app/useFetch.ts';
import { gradeText } from './grade.ts';

/**
 * 运营状态: every institution and community centre in reach — open or not, residents and beds,
 * staff on duty today (who recorded care today), open alarms, open findings, the last
 * inspection and the grade. The supervision dashboards read the same endpoint.
 */
export function OperatingStatusPage() {
  const { t } = useTranslation();
  const s = useFetch((signal) => inspectionsApi.operatingStatus({ signal }), 'operating-status');
  const none = t('inspections.none');
  return (
    <Card title={t('inspections.statusTitle')}>
      <Typography.Paragraph type="secondary">{t('inspections.statusHint')}</Typography.Paragraph>
      <Table
        rowKey="orgId"
        size="small"
        loading={s.loading}
        dataSource={s.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('inspections.org'), dataIndex: 'name' },
          {
            title: t('inspections.orgType'),
            dataIndex: 'orgType',
            render: (v: 'institution') => INSPECTED_ORG_TYPE_LABELS_ZH[v],
          },
          {
            title: t('inspections.status'),
            dataIndex: 'open',
            render: (v: boolean) => (
              <Badge status={v ? 'success' : 'default'} text={v ? t('inspections.isOpen') : t('inspections.closed')} />
            ),
          },
          { title: t('inspections.residents'), dataIndex: 'residents', render: (v: number | null) => v ?? none },
          { title: t('inspections.beds'), dataIndex: 'beds', render: (v: number | null) => v ?? none },
          { title: t('inspections.staffToday'), dataIndex: 'staffOnDutyToday', render: (v: number | null) => v ?? none },
          {
            title: t('inspections.openAlarms'),
            dataIndex: 'openAlarms',
            render: (v: number) => (v ? <Tag color="red">{v}</Tag> : v),
          },
          {
            title: t('inspections.openFindings'),
            dataIndex: 'openFindings',
            render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : v),
          },
          {
            title: t('inspections.lastInspection'),
            render: (_: unknown, r) =>
              r.lastInspection
                ? `${r.lastInspection.period} · ${r.lastInspection.totalScore ?? none} · ${dayjs(r.lastInspection.finishedAt).format('YYYY-MM-DD')}`
                : none,
          },
          {
            title: t('inspections.grade'),
            dataIndex: 'grade',
            render: (v: number | null) => (v === null ? none : <Tag color="gold">{gradeText(v, t)}</Tag>),
          },
        ]}
      />
    </Card>
  );
}
