import type { Settlement } from '@zhiyang/shared';
import { App, Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { settlementExportUrl, settlementsApi } from '../../api/settlements.ts';
import { useAuth } from '../../app/auth.tsx';
import { outsideRange } from '../../app/date-limits.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { yuan } from './types.ts';

const COLOR = { draft: 'blue', confirmed: 'gold', approved: 'green' } as const;

/** Monthly statements: drawn up by the bureau, confirmed by the provider, approved by the bureau. */
export function SettlementsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [period, setPeriod] = useState(dayjs().subtract(1, 'month'));
  const [provider, setProvider] = useState<string>();
  const list = useFetch((signal) => settlementsApi.listSettlements({ signal }), 'settlements');
  const providers = useFetch(
    (signal) =>
      can('settlement:approve') ? providersApi.listProviders({ query: { limit: 200 }, signal }) : Promise.resolve(undefined),
    'settle-providers',
  );
  const act = (s: Settlement, what: 'confirm' | 'approve') =>
    settlementsApi[what]({ params: { id: s.id } }).then(list.reload, (e) => message.error(problemText(e, t)));
  const y = (v: number) => t('service.common.yuan', { v: yuan(v) });

  return (
    <Card
      title={t('service.settlements.title')}
      extra={
        can('settlement:approve') && (
          <Space>
            <DatePicker
              picker="month"
              value={period}
              onChange={(d) => d && setPeriod(d)}
              allowClear={false}
              disabledDate={outsideRange('past')}
            />
            <Select
              style={{ width: 260 }}
              placeholder={t('service.settlements.provider')}
              value={provider}
              onChange={setProvider}
              options={providers.data?.items.map((p) => ({ value: p.id, label: p.name }))}
            />
            <Button
              type="primary"
              disabled={!provider}
              onClick={() =>
                provider &&
                settlementsApi
                  .drawUp({ body: { providerId: provider, period: period.format('YYYY-MM') } })
                  .then(list.reload, (e) => message.error(problemText(e, t)))
              }
            >
              {t('service.settlements.drawUp')}
            </Button>
          </Space>
        )
      }
    >
      <Table<Settlement>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('service.settlements.period'), dataIndex: 'period' },
          { title: t('service.settlements.provider'), dataIndex: 'providerName' },
          {
            title: t('service.settlements.status'),
            dataIndex: 'status',
            render: (v: Settlement['status']) => <Tag color={COLOR[v]}>{t(`service.settlements.statuses.${v}`)}</Tag>,
          },
          { title: t('service.settlements.orders'), dataIndex: 'orderCount' },
          { title: t('service.settlements.pointsTotal'), dataIndex: 'pointsTotal' },
          { title: t('service.settlements.pointsFen'), dataIndex: 'pointsFen', render: y },
          { title: t('service.settlements.purchaseFen'), dataIndex: 'purchaseFen', render: y },
          { title: t('service.settlements.selfPayFen'), dataIndex: 'selfPayFen', render: y },
          { title: t('service.settlements.totalFen'), dataIndex: 'totalFen', render: (v: number) => <b>{y(v)}</b> },
          {
            title: t('service.settlements.held'),
            render: (_, s) => (s.heldCount ? <Tag color="red">{`${s.heldCount} · ${y(s.heldFen)}`}</Tag> : '—'),
          },
          {
            title: t('service.common.actions'),
            render: (_, s) => (
              <Space>
                {s.status === 'draft' && can('settlement:confirm') && !can('settlement:approve') && (
                  <Button size="small" type="primary" onClick={() => act(s, 'confirm')}>
                    {t('service.settlements.confirm')}
                  </Button>
                )}
                {s.status === 'confirmed' && can('settlement:approve') && (
                  <Button size="small" type="primary" onClick={() => act(s, 'approve')}>
                    {t('service.settlements.approve')}
                  </Button>
                )}
                <Button size="small" href={settlementExportUrl(s.id)}>
                  {t('service.settlements.export')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
