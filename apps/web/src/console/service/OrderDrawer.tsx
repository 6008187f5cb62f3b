import type { DispatchCandidate as Candidate } from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Image,
  Input,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../../api/orders.ts';
import { providersApi } from '../../api/providers.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { DispatchExplanation, HISTORY_ACTIONS, type HistoryAction, SYSTEM_REASON_ACTIONS } from './DispatchExplanation.tsx';

export const STATUS_COLOR: Record<string, string> = {
  created: 'gold',
  dispatched: 'blue',
  accepted: 'cyan',
  assigned: 'geekblue',
  en_route: 'purple',
  in_service: 'magenta',
  served: 'orange',
  confirmed: 'green',
  settled: 'default',
  cancelled: 'default',
  voided: 'red',
};

/** One order: facts, dispatch explanation and candidates (why this provider), visit, history. */
export function OrderDrawer({ id, onClose, version }: { id: string | null; onClose(): void; version: number }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message, modal } = App.useApp();
  const order = useFetch(
    (signal) => (id ? ordersApi.getOrder({ params: { id }, signal }) : Promise.resolve(undefined)),
    `o-${id}-${version}`,
  );
  const mayDispatch = can('order:dispatch') && can('order:review');
  const cands = useFetch(
    (signal) => (id && mayDispatch ? ordersApi.candidates({ params: { id }, signal }) : Promise.resolve(undefined)),
    `c-${id}-${version}`,
  );
  // Photos the worker took at check-in / check-out; each image read is audited by the server.
  const photos = useFetch(
    (signal) => (id ? ordersApi.listPhotos({ params: { id }, signal }) : Promise.resolve(undefined)),
    `p-${id}-${version}`,
  );
  const isProvider = me?.role === 'provider_admin' && !!me.orgId;
  const staff = useFetch(
    (signal) =>
      id && isProvider ? providersApi.listStaff({ params: { id: me.orgId ?? '' }, signal }) : Promise.resolve(undefined),
    `staff-${id}`,
  );
  const [worker, setWorker] = useState<string>();
  const [target, setTarget] = useState<string>();
  // One order action (accept, reject, assign, cancel), then the drawer reloads; a refusal is a message.
  const act = async (call: (params: { id: string }) => Promise<unknown>) => {
    if (!id) return;
    try {
      await call({ id });
      order.reload();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const withReason = (call: (params: { id: string }, body: { reason: string }) => Promise<unknown>, title: string) => {
    let reason = '';
    modal.confirm({
      title,
      content: <Input.TextArea placeholder={t('service.common.reason')} onChange={(e) => (reason = e.target.value)} />,
      onOk: () => act((params) => call(params, { reason })),
    });
  };
  const [reason, setReason] = useState('');
  const o = order.data;

  return (
    <Drawer open={!!id} onClose={onClose} width={760} title={o ? `${o.no} · ${o.itemName}` : ''} loading={order.loading}>
      {o && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('service.orders.status')}>
              <Tag color={STATUS_COLOR[o.status]}>{t(`service.orders.statuses.${o.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('service.orders.scheduledAt')}>{formatTime(o.scheduledAt)}</Descriptions.Item>
            <Descriptions.Item label={t('service.orders.elder')}>{o.elderName}</Descriptions.Item>
            <Descriptions.Item label={t('service.orders.channel')}>
              {t(`service.orders.channels.${o.channel as 'console'}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('service.orders.provider')}>{o.providerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('service.orders.worker')}>{o.workerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('service.orders.payment')}>
              {t(`service.orders.payments.${o.payment}`)}{' '}
              {o.payment === 'points'
                ? t('service.common.points', { v: o.points })
                : t('service.common.yuan', { v: (o.amountFen / 100).toFixed(2) })}
            </Descriptions.Item>
            <Descriptions.Item label={t('service.orders.flags')}>
              {o.flags.length
                ? o.flags.map((f) => (
                    <Tag color="red" key={f}>
                      {t(`service.orders.flagLabels.${f}`)}
                    </Tag>
                  ))
                : '—'}
            </Descriptions.Item>
          </Descriptions>
          <Space wrap>
            {isProvider && o.status === 'dispatched' && (
              <Button type="primary" onClick={() => act((params) => ordersApi.accept({ params }))}>
                {t('service.orders.accept')}
              </Button>
            )}
            {isProvider && ['dispatched', 'accepted', 'assigned'].includes(o.status) && (
              <Button
                danger
                onClick={() => withReason((params, body) => ordersApi.reject({ params, body }), t('service.orders.reject'))}
              >
                {t('service.orders.reject')}
              </Button>
            )}
            {isProvider && ['accepted', 'assigned', 'en_route'].includes(o.status) && (
              <>
                <Select
                  style={{ width: 200 }}
                  placeholder={t('service.orders.worker')}
                  value={worker}
                  onChange={setWorker}
                  options={staff.data?.items.filter((s) => s.assignable).map((s) => ({ value: s.userId, label: s.name }))}
                />
                <Button
                  disabled={!worker}
                  onClick={() => worker && act((params) => ordersApi.assign({ params, body: { workerId: worker } }))}
                >
                  {t('service.orders.assign')}
                </Button>
              </>
            )}
            {can('order:create') && ['created', 'dispatched', 'accepted', 'assigned', 'en_route'].includes(o.status) && (
              <Button
                danger
                onClick={() => withReason((params, body) => ordersApi.cancel({ params, body }), t('service.orders.cancelOrder'))}
              >
                {t('service.orders.cancelOrder')}
              </Button>
            )}
          </Space>
          {o.dispatchExplain ? (
            <Card size="small" title={t('service.orders.why')}>
              <DispatchExplanation value={o.dispatchExplain} />
            </Card>
          ) : null}
          {mayDispatch && cands.data && (
            <Card size="small" title={t('service.orders.candidates')}>
              <Table<Candidate>
                size="small"
                rowKey="providerId"
                pagination={false}
                dataSource={cands.data.items}
                columns={[
                  { title: t('service.orders.provider'), dataIndex: 'providerName' },
                  {
                    title: t('service.orders.score'),
                    dataIndex: 'score',
                    render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" />,
                  },
                  {
                    title: t('service.orders.distance'),
                    render: (_, c) => (c.distanceKm === null ? '—' : `${c.distanceKm} km · ${c.nearestSite}`),
                  },
                  { title: t('service.orders.ratingLabel'), dataIndex: 'rating' },
                  { title: t('service.orders.load'), render: (_, c) => `${c.load}/${c.capacity}` },
                  {
                    title: t('service.orders.slot'),
                    render: (_, c) =>
                      `${dayjs(c.slotStart).format('HH:mm')}–${dayjs(c.slotEnd).format('HH:mm')} · ${c.slotLoad}/${
                        c.slotCapacity ?? t('service.orders.slotUnlimited')
                      }`,
                  },
                ]}
              />
              {['created', 'dispatched'].includes(o.status) && (
                <Space style={{ marginTop: 12 }} wrap>
                  <Select
                    style={{ width: 220 }}
                    placeholder={t('service.orders.dispatchTo')}
                    value={target}
                    onChange={setTarget}
                    options={cands.data.items.map((c) => ({ value: c.providerId, label: c.providerName }))}
                  />
                  <Input
                    style={{ width: 240 }}
                    placeholder={t('service.common.reason')}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                  />
                  <Button
                    type="primary"
                    disabled={!target || reason.trim().length < 2}
                    onClick={async () => {
                      try {
                        if (target) await ordersApi.dispatch({ params: { id: o.id }, body: { providerId: target, reason } });
                        order.reload();
                        cands.reload();
                      } catch (e) {
                        message.error(problemText(e, t));
                      }
                    }}
                  >
                    {t('service.orders.manualDispatch')}
                  </Button>
                </Space>
              )}
            </Card>
          )}
          {o.visit && (
            <Card size="small" title={t('service.orders.visit')}>
              <Descriptions column={2} size="small">
                <Descriptions.Item label={t('service.orders.checkIn')}>
                  {formatTime(o.visit.checkInAt)} ·{' '}
                  {o.visit.checkInMethod === 'qr' ? 'QR' : `${o.visit.checkInDistanceM ?? '?'} m`}
                </Descriptions.Item>
                <Descriptions.Item label={t('service.orders.checkOut')}>
                  {formatTime(o.visit.checkOutAt)} {o.visit.checkOutDistanceM != null ? `· ${o.visit.checkOutDistanceM} m` : ''}
                </Descriptions.Item>
                {o.visit.checkInReason && (
                  <Descriptions.Item label={t('service.orders.checkInReason')} span={2}>
                    <span data-testid="check-in-reason">{o.visit.checkInReason}</span>
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('service.orders.record')} span={2}>
                  {o.visit.record ?? '—'}
                </Descriptions.Item>
              </Descriptions>
              {(photos.data?.items.length ?? 0) > 0 && (
                <Image.PreviewGroup>
                  <Space wrap data-testid="visit-photos">
                    {photos.data?.items.map((p) => (
                      <Space key={p.id} direction="vertical" size={0} align="center">
                        <Image src={p.url} width={96} height={96} style={{ objectFit: 'cover' }} alt={p.stage} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t(`service.orders.photoStage.${p.stage === 'check-out' ? 'checkOut' : 'checkIn'}`)} ·{' '}
                          {formatTime(p.takenAt)}
                        </Typography.Text>
                      </Space>
                    ))}
                  </Space>
                </Image.PreviewGroup>
              )}
            </Card>
          )}
          {o.rating && (
            <Card size="small" title={t('service.orders.ratingLabel')}>
              {'★'.repeat(o.rating.score)}
              {'☆'.repeat(5 - o.rating.score)} {o.rating.comment}
            </Card>
          )}
          <Card size="small" title={t('service.orders.history')}>
            <Timeline
              items={o.history.map((h) => ({
                color: h.to === 'cancelled' || h.to === 'voided' ? 'red' : 'blue',
                children: (
                  <span>
                    {formatTime(h.at)} · <b>{t(`service.orders.statuses.${h.to as 'created'}`)}</b>
                    {HISTORY_ACTIONS.includes(h.action as HistoryAction)
                      ? ` · ${t(`service.orders.historyActions.${h.action as HistoryAction}`)}`
                      : ''}
                    {h.actorName ? ` · ${h.actorName === 'System' ? t('service.orders.systemActor') : h.actorName}` : ''}
                    {h.reason && !SYSTEM_REASON_ACTIONS.includes(h.action) ? `（${h.reason}）` : ''}
                  </span>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}
