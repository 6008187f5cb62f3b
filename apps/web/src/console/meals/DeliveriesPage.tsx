import type { MealDelivery } from '@zhiyang/shared';
import { App, Button, Card, Empty, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CanteenPicker, useCanteens } from './CanteenPicker.tsx';
import { BookDeliveryModal, HandOverModal } from './DeliveryModals.tsx';

const COLOR = { booked: 'blue', delivered: 'green', cancelled: 'default' } as const;

/** Where the device is now; null when the browser will not say (refused, no fix within 15 s). */
function position(): Promise<{ lat: number; lng: number } | null> {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

/**
 * The delivery round 送餐 of today at the canteen: each booked meal with the elder's address and
 * dishes, 送达 at the door (the check-off with the position, the meal settled with its subsidy),
 * and the flag when the position was far from the recorded address. 预订送餐 books one (the
 * elder found with the kiosk's lookup); 交给服务商 hands one to a provider's worker, who checks it
 * off on the worker phone page.
 */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { canteens, current, choose, loading } = useCanteens();
  const day = dayjs().format('YYYY-MM-DD');
  const [busy, setBusy] = useState<string>();
  const [booking, setBooking] = useState(false);
  const [handing, setHanding] = useState<MealDelivery>();
  const key = `${current?.id ?? ''}:${day}`;
  const list = useFetch(
    (signal) =>
      current
        ? mealsApi.listDeliveries({ query: { canteenId: current.id, day }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `deliveries:${key}`,
  );
  const dishes = useFetch(
    (signal) =>
      current ? mealsApi.listDishes({ params: { id: current.id }, query: {}, signal }) : Promise.resolve({ items: [], total: 0 }),
    `delivery-dishes:${current?.id ?? ''}`,
  );
  const dishName = new Map((dishes.data?.items ?? []).map((d) => [d.id, d.name]));
  const deliver = async (d: MealDelivery) => {
    setBusy(d.id);
    const at = await position();
    if (!at) {
      setBusy(undefined);
      message.error(t('meals.deliveries.noPosition'));
      return;
    }
    await mealsApi.deliverDelivery({ params: { id: d.id }, body: at }).then(
      (r) => {
        if (r.delivery.far) message.warning(t('meals.deliveries.farWarning', { m: Math.round(r.delivery.distanceM ?? 0) }));
        else message.success(t('meals.deliveries.delivered'));
        list.reload();
      },
      (e) => message.error(problemText(e, t)),
    );
    setBusy(undefined);
  };
  const takeBack = async (d: MealDelivery) => {
    setBusy(d.id);
    await mealsApi.assignDelivery({ params: { id: d.id }, body: { providerId: null } }).then(
      () => {
        message.success(t('meals.deliveries.takenBack'));
        list.reload();
      },
      (e) => message.error(problemText(e, t)),
    );
    setBusy(undefined);
  };
  if (!loading && !current) return <Empty description={t('meals.common.noCanteen')} />;
  const booked = (list.data?.items ?? []).filter((d) => d.status === 'booked').length;
  return (
    <Card
      title={t('meals.deliveries.title')}
      extra={
        <Space>
          <span>{t('meals.deliveries.toGo', { n: booked })}</span>
          <CanteenPicker canteens={canteens} current={current} choose={choose} />
          {current && can('meal:deliver-book') && (
            <Button type="primary" onClick={() => setBooking(true)}>
              {t('meals.deliveries.book')}
            </Button>
          )}
          <Button onClick={list.reload}>{t('meals.common.refresh')}</Button>
        </Space>
      }
    >
      <Table<MealDelivery>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('meals.deliveries.empty') }}
        columns={[
          { title: t('meals.today.period'), dataIndex: 'period', render: (v: MealDelivery['period']) => t(`meals.periods.${v}`) },
          { title: t('meals.today.elder'), dataIndex: 'elderName' },
          {
            title: t('meals.deliveries.address'),
            dataIndex: 'address',
            render: (v: string | null) => v ?? t('meals.common.none'),
          },
          {
            title: t('meals.today.dishes'),
            dataIndex: 'items',
            render: (items: MealDelivery['items']) =>
              items
                .map((i) => {
                  const name = dishName.get(i.dishId) ?? t('meals.deliveries.unknownDish');
                  return i.qty > 1 ? `${name}×${i.qty}` : name;
                })
                .join('、'),
          },
          { title: t('meals.deliveries.note'), dataIndex: 'note', render: (v: string | null) => v || t('meals.common.none') },
          {
            title: t('meals.deliveries.deliverer'),
            dataIndex: 'providerName',
            render: (v: string | null, d) =>
              v ? `${v}${d.workerName ? ` · ${d.workerName}` : ''}` : t('meals.deliveries.canteenDelivers'),
          },
          {
            title: t('meals.today.status'),
            dataIndex: 'status',
            render: (v: MealDelivery['status'], d) => (
              <Space size={4} wrap>
                <Tag color={COLOR[v]}>{t(`meals.deliveries.statuses.${v}`)}</Tag>
                {d.far && <Tag color="red">{t('meals.deliveries.far', { m: Math.round(d.distanceM ?? 0) })}</Tag>}
              </Space>
            ),
          },
          {
            title: t('meals.deliveries.deliveredAt'),
            dataIndex: 'deliveredAt',
            render: (v: string | null) => (v ? dayjs(v).format('HH:mm') : t('meals.common.none')),
          },
          {
            title: t('meals.today.actions'),
            render: (_, d) =>
              d.status === 'booked' && can('meal:deliver') ? (
                <Space size={4} wrap>
                  <Button size="small" type="primary" loading={busy === d.id} onClick={() => deliver(d)}>
                    {t('meals.deliveries.deliver')}
                  </Button>
                  {can('meal:serve') &&
                    (d.providerId ? (
                      <Button size="small" loading={busy === d.id} onClick={() => takeBack(d)}>
                        {t('meals.deliveries.takeBack')}
                      </Button>
                    ) : (
                      <Button size="small" onClick={() => setHanding(d)}>
                        {t('meals.deliveries.handOver')}
                      </Button>
                    ))}
                </Space>
              ) : (
                t('meals.common.none')
              ),
          },
        ]}
      />
      {current && (
        <BookDeliveryModal
          canteenId={current.id}
          open={booking}
          onClose={() => setBooking(false)}
          onBooked={() => {
            setBooking(false);
            list.reload();
          }}
        />
      )}
      <HandOverModal
        delivery={handing}
        onClose={() => setHanding(undefined)}
        onDone={() => {
          setHanding(undefined);
          list.reload();
        }}
      />
    </Card>
  );
}
