import type { Meal } from '@zhiyang/shared';
import { App, Button, Card, Col, Empty, Form, Input, Modal, Row, Space, Statistic, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CanteenPicker, useCanteens } from './CanteenPicker.tsx';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Today's meals at the canteen, the day's figures, and the same-day refund (退餐) with a reason. */
export function TodayMealsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { canteens, current, choose, loading } = useCanteens();
  const day = dayjs().format('YYYY-MM-DD');
  const [refunding, setRefunding] = useState<Meal>();
  const [form] = Form.useForm<{ reason: string }>();
  const key = `${current?.id ?? ''}:${day}`;
  const meals = useFetch(
    (signal) =>
      current
        ? mealsApi.listMeals({ query: { canteenId: current.id, day, limit: 200 }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `meals:${key}`,
  );
  const stats = useFetch(
    (signal) =>
      current ? mealsApi.stats({ query: { from: day, to: day, canteenId: current.id }, signal }) : Promise.resolve(undefined),
    `meal-stats:${key}`,
  );
  const refund = async () => {
    if (!refunding) return;
    const { reason } = await form.validateFields();
    await mealsApi.refundMeal({ params: { id: refunding.id }, body: { reason } }).then(
      () => {
        message.success(t('meals.today.refunded'));
        setRefunding(undefined);
        meals.reload();
        stats.reload();
      },
      (e) => message.error(problemText(e, t)),
    );
  };
  const totals = stats.data?.totals;
  if (!loading && !current) return <Empty description={t('meals.common.noCanteen')} />;
  return (
    <Card
      title={t('meals.today.title')}
      extra={
        <Space>
          <CanteenPicker canteens={canteens} current={current} choose={choose} />
          <Button
            onClick={() => {
              meals.reload();
              stats.reload();
            }}
          >
            {t('meals.common.refresh')}
          </Button>
        </Space>
      }
    >
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}>
          <Statistic title={t('meals.today.meals')} value={totals?.meals ?? 0} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.today.elders')} value={totals?.eldersServed ?? 0} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.today.subsidy')} value={t('meals.common.yuan', { v: yuan(totals?.subsidyFen ?? 0) })} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.today.selfPay')} value={t('meals.common.yuan', { v: yuan(totals?.selfPayFen ?? 0) })} />
        </Col>
      </Row>
      <Table<Meal>
        rowKey="id"
        loading={meals.loading}
        dataSource={meals.data?.items}
        pagination={false}
        columns={[
          { title: t('meals.today.time'), dataIndex: 'eatenAt', render: (v: string) => dayjs(v).format('HH:mm') },
          { title: t('meals.today.elder'), dataIndex: 'elderName' },
          { title: t('meals.today.period'), dataIndex: 'period', render: (v: Meal['period']) => t(`meals.periods.${v}`) },
          {
            title: t('meals.today.dishes'),
            dataIndex: 'items',
            render: (items: Meal['items']) => items.map((i) => (i.qty > 1 ? `${i.name}×${i.qty}` : i.name)).join('、'),
          },
          { title: t('meals.today.total'), dataIndex: 'totalFen', render: (v: number) => t('meals.common.yuan', { v: yuan(v) }) },
          {
            title: t('meals.today.subsidy'),
            dataIndex: 'subsidyFen',
            render: (v: number) => t('meals.common.yuan', { v: yuan(v) }),
          },
          {
            title: t('meals.today.selfPay'),
            dataIndex: 'selfPayFen',
            render: (v: number) => t('meals.common.yuan', { v: yuan(v) }),
          },
          {
            title: t('meals.today.payMethod'),
            dataIndex: 'payMethod',
            render: (v: Meal['payMethod']) => t(`meals.payMethods.${v}`),
          },
          {
            title: t('meals.today.status'),
            dataIndex: 'status',
            render: (v: Meal['status']) => <Tag color={v === 'served' ? 'green' : 'default'}>{t(`meals.statuses.${v}`)}</Tag>,
          },
          {
            title: t('meals.today.actions'),
            render: (_, m) =>
              m.status === 'served' && m.day === day && can('meal:refund') ? (
                <Button size="small" danger onClick={() => setRefunding(m)}>
                  {t('meals.today.refund')}
                </Button>
              ) : (
                t('meals.common.none')
              ),
          },
        ]}
      />
      <Modal
        open={!!refunding}
        title={t('meals.today.refundTitle', { name: refunding?.elderName ?? '' })}
        onOk={refund}
        onCancel={() => setRefunding(undefined)}
        destroyOnHidden
      >
        <p>{t('meals.today.refundHint')}</p>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('meals.today.reason')}
            rules={[{ required: true, min: 2, whitespace: true, message: t('meals.today.reasonRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
