import { ORDER_STATUSES, type ServiceOrder as Order, PAYMENT_METHODS } from '@zhiyang/shared';
import { Badge, Button, Card, Col, DatePicker, Row, Segmented, Space, Statistic, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ordersApi } from '../../api/orders.ts';
import { useAuth } from '../../app/auth.tsx';
import { outsideRange } from '../../app/date-limits.ts';
import { formatTime } from '../../app/format.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, drillMonth, monthZh, pick, useDrill } from '../common/drill.tsx';
import { NewOrderModal } from './NewOrderModal.tsx';
import { OrderDrawer, STATUS_COLOR } from './OrderDrawer.tsx';

const LIVE = ['created', 'dispatched', 'accepted', 'assigned', 'en_route', 'in_service', 'served'] as const;

/** The month view a dashboard link asks for (`month`, `monthBy`, `status`, `payment`), checked. */
interface MonthView {
  month: string;
  monthBy?: 'created' | 'served';
  status?: string;
  payment?: (typeof PAYMENT_METHODS)[number];
}

function monthViewOf(drill: ReturnType<typeof useDrill>): MonthView | undefined {
  const month = drillMonth(drill);
  if (!month) return undefined;
  const status = drill
    .get('status')
    ?.split(',')
    .filter((st) => (ORDER_STATUSES as readonly string[]).includes(st))
    .join(',');
  return {
    month,
    monthBy: pick(['created', 'served'] as const, drill.get('monthBy')),
    status: status || undefined,
    payment: pick(PAYMENT_METHODS, drill.get('payment')),
  };
}

/**
 * The order board: one day's orders by status (today unless the address says `?date=YYYY-MM-DD`,
 * so a link to tomorrow's bookings opens on tomorrow), updated live from `order.updated` events.
 * A dashboard link with `month` opens a month view instead: the month's orders by the date the
 * figure counts (`monthBy`: created or served), in the header's region, paged on the server.
 */
export function OrderBoardPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const wanted = params.get('date') ?? '';
  const asked = dayjs(wanted);
  // Anything but a real day in the pickers' range (2026-02-30, a typo) shows today.
  const date =
    /^\d{4}-\d{2}-\d{2}$/.test(wanted) && asked.format('YYYY-MM-DD') === wanted && !outsideRange('filter')(asked)
      ? asked
      : dayjs();
  const setDate = (d: dayjs.Dayjs) =>
    setParams(
      (p) => {
        p.set('date', d.format('YYYY-MM-DD'));
        return p;
      },
      { replace: true },
    );
  const [status, setStatus] = useState<string>('all');
  const drill = useDrill();
  const { selected: regionCode } = useRegions();
  const [view, setView] = useState<MonthView | undefined>(() => monthViewOf(drill));
  const [page, setPage] = useState(1);
  const patchView = (p: Partial<MonthView>) => {
    setView((v) => v && { ...v, ...p });
    setPage(1);
  };
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const { can } = useAuth();
  const [version, setVersion] = useState(0);
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const day = date.format('YYYY-MM-DD');
  const wantedStatus = status === 'all' ? view?.status : status;
  const orders = useFetch(
    (signal) =>
      ordersApi.listOrders({
        query: view
          ? {
              month: view.month,
              monthBy: view.monthBy,
              payment: view.payment,
              regionCode: regionCode ?? undefined,
              status: wantedStatus,
              page,
              limit: 50,
            }
          : { date: day, limit: 200, status: wantedStatus },
        signal,
      }),
    `orders-${JSON.stringify(view)}-${regionCode}-${page}-${day}-${status}-${version}`,
  );
  useRealtimeEvent<{ id: string }>('order.updated', (d) => {
    setFlash((f) => new Set(f).add(d.id));
    setVersion((v) => v + 1);
    setTimeout(
      () =>
        setFlash((f) => {
          const n = new Set(f);
          n.delete(d.id);
          return n;
        }),
      3000,
    );
  });
  const counts = new Map<string, number>();
  for (const o of orders.data?.items ?? []) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {view && (
        <DrillTags
          drill={drill}
          tags={[
            {
              key: 'month',
              label: t('service.orders.monthView', {
                month: monthZh(view.month),
                by: t(`service.orders.monthBy.${view.monthBy ?? 'scheduled'}`),
              }),
              onClear: () => setView(undefined),
            },
            view.status && {
              key: 'status',
              label: `${t('service.orders.status')}：${ORDER_STATUSES.filter((st) => view.status?.split(',').includes(st))
                .map((st) => t(`service.orders.statuses.${st}`))
                .join('、')}`,
              onClear: () => patchView({ status: undefined }),
            },
            view.payment && {
              key: 'payment',
              label: `${t('service.orders.payment')}：${t(`service.orders.payments.${view.payment}`)}`,
              onClear: () => patchView({ payment: undefined }),
            },
          ]}
        />
      )}
      {/* The day's counts by status; a month view is paged, so it shows its total instead. */}
      {!view && (
        <Row gutter={12}>
          {LIVE.map((s) => (
            <Col key={s} flex="1">
              <Card size="small" hoverable onClick={() => setStatus(s)}>
                <Statistic
                  title={<Tag color={STATUS_COLOR[s]}>{t(`service.orders.statuses.${s}`)}</Tag>}
                  value={counts.get(s) ?? 0}
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Card
        title={
          <Space>
            {t('service.orders.title')}
            {view && t('service.orders.monthTotal', { count: orders.data?.total ?? 0 })}
            <Badge status="processing" text={t('service.orders.live')} />
          </Space>
        }
        extra={
          <Space>
            {can('order:create') && (
              <Button type="primary" onClick={() => setCreating(true)}>
                {t('service.orders.create')}
              </Button>
            )}
            {!view && (
              <DatePicker
                value={date}
                onChange={(d) => d && setDate(d)}
                allowClear={false}
                disabledDate={outsideRange('filter')}
              />
            )}
            <Segmented
              value={status}
              onChange={(v) => {
                setStatus(String(v));
                setPage(1);
              }}
              options={[
                { value: 'all', label: t('service.orders.all') },
                ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`service.orders.statuses.${s}`) })),
              ]}
            />
          </Space>
        }
      >
        <Table<Order>
          rowKey="id"
          size="middle"
          loading={orders.loading && !orders.data}
          dataSource={orders.data?.items}
          pagination={
            view
              ? { pageSize: 50, current: page, total: orders.data?.total ?? 0, showSizeChanger: false, onChange: setPage }
              : { pageSize: 50 }
          }
          onRow={(r) => ({
            onClick: () => setOpen(r.id),
            style: { cursor: 'pointer', background: flash.has(r.id) ? '#fffbe6' : undefined },
          })}
          columns={[
            { title: t('service.orders.no'), dataIndex: 'no' },
            { title: t('service.orders.scheduledAt'), dataIndex: 'scheduledAt', render: formatTime },
            { title: t('service.orders.elder'), dataIndex: 'elderName' },
            { title: t('service.orders.item'), dataIndex: 'itemName' },
            { title: t('service.orders.provider'), dataIndex: 'providerName', render: (v) => v ?? '—' },
            { title: t('service.orders.worker'), dataIndex: 'workerName', render: (v) => v ?? '—' },
            {
              title: t('service.orders.status'),
              dataIndex: 'status',
              render: (v: Order['status'], r) => (
                <Space size={4}>
                  <Tag color={STATUS_COLOR[v]}>{t(`service.orders.statuses.${v}`)}</Tag>
                  {r.flags.length > 0 && <Tag color="red">{t('service.orders.flags')}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <OrderDrawer id={open} version={version} onClose={() => setOpen(null)} />
      {creating && (
        <NewOrderModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(o) => {
            setVersion((v) => v + 1);
            setOpen(o.id);
          }}
        />
      )}
    </Space>
  );
}
