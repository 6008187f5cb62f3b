import type { ServiceComplaint as Complaint } from '@zhiyang/shared';
import { App, Button, Card, Input, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../../api/orders.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { NoticesCard } from './NoticesCard.tsx';

/**
 * Complaints to follow up (回访) by their deadline: opened by ratings of 2 or less, or taken on a
 * call. A new one appears at once (the `complaint.opened` event).
 */
export function ComplaintsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const list = useFetch((signal) => ordersApi.listComplaints({ query: { status, limit: 200 }, signal }), `complaints-${status}`);
  useRealtimeEvent('complaint.opened', () => {
    if (status === 'open') list.reload();
  });
  const follow = (c: Complaint) => {
    let note = '';
    modal.confirm({
      title: `${t('service.complaints.close')} · ${c.orderNo ?? c.elderName}`,
      content: <Input.TextArea placeholder={t('service.complaints.followUp')} onChange={(e) => (note = e.target.value)} />,
      onOk: async () => {
        try {
          await ordersApi.followUpComplaint({ params: { id: c.id }, body: { note } });
          list.reload();
        } catch (e) {
          message.error(problemText(e, t));
          throw e;
        }
      },
    });
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <NoticesCard kind="complaint" />
      <Card
        title={t('service.complaints.title')}
        extra={
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as 'open' | 'closed')}
            options={[
              { value: 'open', label: t('service.complaints.open') },
              { value: 'closed', label: t('service.complaints.closed') },
            ]}
          />
        }
      >
        <Table<Complaint>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          columns={[
            {
              title: t('service.complaints.source'),
              render: (_, c) => (c.callId ? t('service.complaints.fromCall') : t('service.complaints.fromRating')),
            },
            { title: t('service.orders.no'), dataIndex: 'orderNo', render: (v) => v ?? '—' },
            { title: t('service.orders.elder'), dataIndex: 'elderName' },
            { title: t('service.orders.provider'), dataIndex: 'providerName', render: (v) => v ?? '—' },
            { title: t('service.common.reason'), dataIndex: 'reason' },
            {
              title: t('service.complaints.due'),
              dataIndex: 'dueAt',
              render: (v: string, c) => (
                <span>
                  {formatTime(v)} {c.overdue && <Tag color="red">{t('service.complaints.overdue')}</Tag>}
                </span>
              ),
            },
            { title: t('service.complaints.followUp'), dataIndex: 'followUp', render: (v) => v ?? '—' },
            {
              title: t('service.common.actions'),
              render: (_, c) =>
                c.status === 'open' && (
                  <Button size="small" type="primary" onClick={() => follow(c)}>
                    {t('service.complaints.close')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
