import { Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { useFetch } from '../../app/useFetch.ts';

type Notice = NonNullable<Awaited<ReturnType<typeof allowancesApi.listNotices>>>['items'][number];

/** The 公示 list of the communities in reach: what a community posts before payment starts. */
export function NoticesPage() {
  const { t } = useTranslation();
  const list = useFetch((signal) => allowancesApi.listNotices({ query: {}, signal }), 'allowance-notices');
  return (
    <Card title={t('allowances.notices.title')} extra={<Button onClick={list.reload}>{t('allowances.common.refresh')}</Button>}>
      <Table<Notice>
        rowKey="applicationId"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('allowances.notices.region'), dataIndex: 'regionName' },
          { title: t('allowances.notices.name'), dataIndex: 'elderName' },
          {
            title: t('allowances.notices.sex'),
            dataIndex: 'sex',
            render: (v: 'male' | 'female') => t(`allowances.notices.${v}`),
          },
          { title: t('allowances.notices.age'), dataIndex: 'age' },
          {
            title: t('allowances.notices.amount'),
            dataIndex: 'monthlyFen',
            render: (v: number | null) =>
              v === null ? t('allowances.common.none') : t('allowances.common.yuan', { v: (v / 100).toFixed(2) }),
          },
          { title: t('allowances.notices.endsOn'), dataIndex: 'noticeEndsOn' },
          {
            title: t('allowances.notices.objections'),
            dataIndex: 'openObjections',
            render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : v),
          },
        ]}
      />
    </Card>
  );
}
