import type { CanteenSettlement } from '@zhiyang/shared';
import { App, Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canteenSettlementExportUrl, mealsApi } from '../../api/meals.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useCanteens } from './CanteenPicker.tsx';

const COLOR = { draft: 'blue', confirmed: 'gold', approved: 'green' } as const;
const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Canteen monthly statements 食堂结算: the bureau draws one up for a finished month, the canteen's
 * staff confirm it, the bureau approves it; anyone who reads it may download the .xlsx.
 */
export function StatementsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const bureau = can('settlement:approve');
  // Only the canteen's own staff confirm (the bureau gets a 404 there).
  const kitchen = can('canteen:write') && !bureau;
  const [period, setPeriod] = useState(dayjs().subtract(1, 'month'));
  const [canteenId, setCanteenId] = useState<string>();
  const { canteens } = useCanteens();
  const list = useFetch((signal) => mealsApi.listCanteenSettlements({ query: {}, signal }), 'canteen-settlements');
  const done = (text: string) => () => {
    message.success(text);
    list.reload();
  };
  const fail = (e: unknown) => message.error(problemText(e, t));
  const confirm = (s: CanteenSettlement) =>
    mealsApi.confirmCanteenSettlement({ params: { id: s.id } }).then(done(t('meals.statements.confirmed')), fail);
  const approve = (s: CanteenSettlement) =>
    mealsApi.approveCanteenSettlement({ params: { id: s.id } }).then(done(t('meals.statements.approved')), fail);
  const drawUp = () =>
    canteenId &&
    mealsApi
      .drawUpCanteenSettlement({ body: { canteenId, period: period.format('YYYY-MM') } })
      .then(done(t('meals.statements.drawnUp')), fail);
  const y = (v: number) => t('meals.common.yuan', { v: yuan(v) });
  const at = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : t('meals.common.none'));

  return (
    <Card
      title={t('meals.statements.title')}
      extra={
        bureau && (
          <Space>
            <DatePicker
              picker="month"
              aria-label={t('meals.statements.period')}
              value={period}
              onChange={(d) => d && setPeriod(d)}
              allowClear={false}
              // Only a finished month can be drawn up.
              disabledDate={(d) => !d.isBefore(dayjs().startOf('month'))}
            />
            <Select
              style={{ width: 240 }}
              placeholder={t('meals.statements.chooseCanteen')}
              value={canteenId}
              onChange={setCanteenId}
              options={canteens.map((c) => ({ value: c.id, label: c.name }))}
            />
            <Button type="primary" disabled={!canteenId} onClick={drawUp}>
              {t('meals.statements.drawUp')}
            </Button>
          </Space>
        )
      }
    >
      <Table<CanteenSettlement>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 20 }}
        // Columns as wide as their content: no header or time broken over two lines.
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('meals.statements.empty') }}
        columns={[
          { title: t('meals.statements.period'), dataIndex: 'period' },
          { title: t('meals.common.canteen'), dataIndex: 'canteenName' },
          {
            title: t('meals.statements.status'),
            dataIndex: 'status',
            render: (v: CanteenSettlement['status']) => <Tag color={COLOR[v]}>{t(`meals.statements.statuses.${v}`)}</Tag>,
          },
          { title: t('meals.statements.meals'), dataIndex: 'mealCount' },
          { title: t('meals.statements.subsidy'), dataIndex: 'subsidyFen', render: (v: number) => <b>{y(v)}</b> },
          { title: t('meals.statements.selfPay'), dataIndex: 'selfPayFen', render: y },
          { title: t('meals.statements.refunded'), dataIndex: 'refundedCount' },
          {
            title: t('meals.statements.parts'),
            dataIndex: 'policyParts',
            render: (parts: CanteenSettlement['policyParts']) =>
              parts.length
                ? parts.map((p) => (
                    <div key={p.policyId}>
                      {t('meals.statements.part', { name: p.policyName, meals: p.meals, amount: yuan(p.amountFen) })}
                    </div>
                  ))
                : t('meals.common.none'),
          },
          { title: t('meals.statements.confirmedAt'), dataIndex: 'confirmedAt', render: at },
          { title: t('meals.statements.approvedAt'), dataIndex: 'approvedAt', render: at },
          {
            title: t('meals.today.actions'),
            render: (_, s) => (
              <Space>
                {s.status === 'draft' && kitchen && (
                  <Button size="small" type="primary" onClick={() => confirm(s)}>
                    {t('meals.statements.confirm')}
                  </Button>
                )}
                {s.status === 'confirmed' && bureau && (
                  <Button size="small" type="primary" onClick={() => approve(s)}>
                    {t('meals.statements.approve')}
                  </Button>
                )}
                <Button size="small" href={canteenSettlementExportUrl(s.id)}>
                  {t('meals.statements.export')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
