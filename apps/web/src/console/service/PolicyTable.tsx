import type { ListOf, Policy, ServiceItem } from '@zhiyang/shared';
import { App, Button, Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { policiesApi } from '../../api/policies.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import type { FetchState } from '../../app/useFetch.ts';
import { describeConditions, describeCovers } from './policy-form.ts';
import { newKey, yuan } from './types.ts';

/** The policies with their state and, for a policy writer, edit / switch on / grant now / end. */
export function PolicyTable({
  list,
  onEdit,
  items,
}: {
  list: FetchState<ListOf<Policy>>;
  onEdit(p: Policy): void;
  items: ServiceItem[];
}) {
  const itemName = (id: string) => items.find((i) => i.id === id)?.name;
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';
  const { can } = useAuth();
  const { message } = App.useApp();
  const fmt = (n: number, unit: 'points' | 'fen') =>
    unit === 'points' ? t('service.common.points', { v: n }) : t('service.common.yuan', { v: yuan(n) });
  return (
    <Card title={t('service.policies.title')}>
      <Table<Policy>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: t('service.policies.name'), dataIndex: 'name' },
          {
            title: t('service.policies.kind'),
            dataIndex: 'kind',
            render: (v: Policy['kind']) => t(`service.policies.kinds.${v}`),
          },
          {
            title: t('service.policies.amount'),
            render: (_, p) =>
              `${fmt(p.amount, p.kind === 'points_grant' ? 'points' : 'fen')} / ${t(`service.policies.periods.${p.period}`)}`,
          },
          {
            title: t('service.policies.conditions'),
            dataIndex: 'conditions',
            render: (c: Policy['conditions']) => describeConditions(c, t, zh),
          },
          {
            title: t('service.policies.covers'),
            dataIndex: 'covers',
            render: (c: Policy['covers']) => describeCovers(c, itemName, t),
          },
          { title: t('service.policies.validFrom'), dataIndex: 'validFrom' },
          {
            title: t('service.policies.status'),
            dataIndex: 'status',
            render: (v: Policy['status']) => (
              <Tag color={v === 'active' ? 'green' : v === 'draft' ? 'blue' : 'default'}>
                {t(`service.policies.statuses.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('service.common.actions'),
            render: (_, p) =>
              can('policy:write') && (
                <Space>
                  {p.status !== 'ended' && (
                    <Button size="small" onClick={() => onEdit(p)}>
                      {t('service.policies.edit')}
                    </Button>
                  )}
                  {p.status === 'draft' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() =>
                        policiesApi
                          .activatePolicy({ params: { id: p.id } })
                          .then(list.reload, (e) => message.error(problemText(e, t)))
                      }
                    >
                      {t('service.policies.activate')}
                    </Button>
                  )}
                  {p.status === 'active' && (
                    <>
                      <Button
                        size="small"
                        onClick={async () => {
                          try {
                            const r = await policiesApi.runPolicy({
                              params: { id: p.id },
                              body: {},
                              headers: { 'Idempotency-Key': newKey() },
                            });
                            message.success(
                              t('service.policies.runResult', {
                                period: r.periodKey,
                                granted: r.granted,
                                amount: r.amount,
                                already: r.alreadyGranted,
                              }),
                            );
                          } catch (e) {
                            message.error(problemText(e, t));
                          }
                        }}
                      >
                        {t('service.policies.run')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() =>
                          policiesApi
                            .endPolicy({ params: { id: p.id } })
                            .then(list.reload, (e) => message.error(problemText(e, t)))
                        }
                      >
                        {t('service.policies.end')}
                      </Button>
                    </>
                  )}
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}
