import type { ServiceOrder as Order } from '@zhiyang/shared';
import { Alert, App, Button, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../../api/orders.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { OrderDrawer } from './OrderDrawer.tsx';

/** Visits with anomaly flags waiting for a person: clear (into settlement) or reject (refund). */
export function AnomaliesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [open, setOpen] = useState<string | null>(null);
  const list = useFetch((signal) => ordersApi.listOrders({ query: { flagged: 'true', limit: 200 }, signal }), 'anomalies');
  const decide = (o: Order, decision: 'clear' | 'reject') => {
    let note = '';
    modal.confirm({
      title: `${t(`service.anomalies.${decision}`)} · ${o.no}`,
      content: <Input.TextArea placeholder={t('service.anomalies.note')} onChange={(e) => (note = e.target.value)} />,
      okButtonProps: { danger: decision === 'reject' },
      onOk: async () => {
        try {
          await ordersApi.review({ params: { id: o.id }, body: { decision, note } });
          list.reload();
        } catch (e) {
          message.error(problemText(e, t));
          throw e;
        }
      },
    });
  };
  return (
    <Card title={t('service.anomalies.title')}>
      <Alert type="info" showIcon message={t('service.anomalies.intro')} style={{ marginBottom: 16 }} />
      <Table<Order>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        columns={[
          {
            title: t('service.orders.no'),
            dataIndex: 'no',
            render: (v, o) => (
              <Button type="link" size="small" onClick={() => setOpen(o.id)}>
                {v}
              </Button>
            ),
          },
          { title: t('service.orders.scheduledAt'), dataIndex: 'scheduledAt', render: formatTime },
          { title: t('service.orders.elder'), dataIndex: 'elderName' },
          { title: t('service.orders.provider'), dataIndex: 'providerName' },
          { title: t('service.orders.worker'), dataIndex: 'workerName' },
          {
            title: t('service.orders.flags'),
            dataIndex: 'flags',
            render: (f: Order['flags']) =>
              f.map((x) => (
                <Tag color="red" key={x}>
                  {t(`service.orders.flagLabels.${x}`)}
                </Tag>
              )),
          },
          {
            title: t('service.common.actions'),
            render: (_, o) => (
              <Space>
                <Button size="small" type="primary" onClick={() => decide(o, 'clear')}>
                  {t('service.anomalies.clear')}
                </Button>
                <Button size="small" danger onClick={() => decide(o, 'reject')}>
                  {t('service.anomalies.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <OrderDrawer id={open} version={0} onClose={() => setOpen(null)} />
    </Card>
  );
}
