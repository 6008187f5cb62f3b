import { EnvironmentOutlined, LogoutOutlined } from '@ant-design/icons';
import { type ServiceOrder as Order, VISIT_FLAG_LABELS_ZH, type VisitFlag } from '@zhiyang/shared';
import { Alert, App, Button, Card, Input, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../api/orders.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { shrinkPhoto } from './photo-store.ts';
import { flush, perform, queued } from './queue.ts';

/** The state an order reaches when a worker's action is accepted. */
const AFTER = { 'en-route': 'en_route', 'check-in': 'in_service', 'check-out': 'served' } as const;

/** The worker's phone page (/worker): today's tasks, navigation, check-in/out with position and photo, offline queue. */
export default function WorkerArea() {
  return (
    <MobileGate area="worker" path="/worker">
      {() => <WorkerHome />}
    </MobileGate>
  );
}

function WorkerHome() {
  const { logout } = useAuth();
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 16, background: '#f4f7f6', minHeight: '100vh' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('worker.title')} · {dayjs().format('M/D')}
        </Typography.Title>
        <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
          {t('worker.logout')}
        </Button>
      </Space>
      <Tasks />
    </div>
  );
}

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

function Tasks() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const [waiting, setWaiting] = useState(queued().length);
  const today = dayjs().format('YYYY-MM-DD');
  const tasks = useFetch((signal) => ordersApi.listOrders({ query: { date: today, limit: 100 }, signal }), `tasks-${version}`);
  useRealtimeConnection(true);
  useRealtimeEvent('order.updated', () => setVersion((v) => v + 1));
  useEffect(() => {
    const online = () =>
      flush().then(
        () => {
          setWaiting(queued().length);
          setVersion((v) => v + 1);
        },
        (e) => message.error(problemText(e, t)),
      );
    window.addEventListener('online', online);
    void online();
    return () => window.removeEventListener('online', online);
  }, [message, t]);

  const run = async (
    o: Order,
    path: 'en-route' | 'check-in' | 'check-out',
    body: Record<string, unknown> = {},
    photos: Blob[] = [],
  ) => {
    try {
      const sent = await perform({ orderId: o.id, path, body }, photos);
      setWaiting(queued().length);
      if (sent) message.success(t('worker.sent'));
      else message.warning(t('worker.queued', { n: queued().length }));
      setVersion((v) => v + 1);
    } catch (e) {
      message.error(problemText(e, t));
      setVersion((v) => v + 1);
    }
  };
  // An action still waiting in the queue has not reached the server, so the task list cannot
  // show it yet: show each task as it will be once its queued actions are sent, so a worker
  // without network can check in and then check out.
  const pending = waiting > 0 ? queued() : [];
  const items = (tasks.data?.items ?? [])
    .map((o) => {
      const last = pending.filter((q) => q.orderId === o.id && q.path !== 'photo').at(-1);
      return last ? { ...o, status: AFTER[last.path as keyof typeof AFTER] } : o;
    })
    .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {waiting > 0 && <Alert type="warning" showIcon message={t('worker.queued', { n: waiting })} />}
      {!tasks.loading && items.length === 0 && <Alert type="info" message={t('worker.none')} />}
      {items.map((o) => (
        <TaskCard key={o.id} o={o} run={run} />
      ))}
    </Space>
  );
}

function TaskCard({
  o,
  run,
}: {
  o: Order;
  run(o: Order, path: 'en-route' | 'check-in' | 'check-out', body?: Record<string, unknown>, photos?: Blob[]): Promise<void>;
}) {
  const [record, setRecord] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [qr, setQr] = useState('');
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const { t } = useTranslation();
  const nav =
    o.elderLat != null && o.elderLng != null
      ? `https://uri.amap.com/marker?position=${o.elderLng},${o.elderLat}&name=${encodeURIComponent(o.elderName ?? '')}&coordinate=wgs84&callnative=1`
      : null;
  const withPosition = async (path: 'check-in' | 'check-out', extra: Record<string, unknown> = {}) => {
    setBusy(true);
    message.loading({ content: t('worker.locating'), key: 'gps' });
    const p = await position();
    message.destroy('gps');
    if (!p && !qr) {
      message.error(t('worker.noGps'));
      setBusy(false);
      return;
    }
    await run(o, path, { ...(p && !qr ? p : { qr }), ...extra }, await Promise.all(photos.map(shrinkPhoto)));
    setPhotos([]);
    setBusy(false);
  };
  // Optional photos for the check-in or check-out at hand: JPEG, PNG or WebP from the camera.
  const photoInput = (
    <label style={{ display: 'block' }}>
      <span style={{ marginRight: 8 }}>{t('worker.photo')}</span>
      <input
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        data-testid={`photo-${o.id}`}
        onChange={(e) => {
          const picked = Array.from(e.target.files ?? []);
          e.target.value = '';
          setPhotos((all) => [...all, ...picked].slice(0, 9));
        }}
      />
      {photos.length > 0 && <span> ({photos.length})</span>}
    </label>
  );
  const big = { height: 52, fontSize: 18 };
  return (
    <Card styles={{ body: { padding: 16 } }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Text strong style={{ fontSize: 20 }}>
            {dayjs(o.scheduledAt).format('HH:mm')} · {o.itemName}
          </Typography.Text>
          <Tag color="blue" style={{ fontSize: 14 }}>
            {t(`worker.status.${o.status}` as never, { defaultValue: o.status })}
          </Tag>
        </Space>
        <Typography.Text style={{ fontSize: 18 }}>
          {o.elderName} · {t('worker.minutes', { n: o.durationMinutes })}
        </Typography.Text>
        <Typography.Text type="secondary">{o.elderAddress ?? '—'}</Typography.Text>
        {o.flags.length > 0 && (
          <Alert
            type="error"
            message={t('worker.flags', { f: o.flags.map((f: VisitFlag) => VISIT_FLAG_LABELS_ZH[f]).join('、') })}
          />
        )}
        {nav && (
          <Button icon={<EnvironmentOutlined />} href={nav} target="_blank" block style={big}>
            {t('worker.navigate')}
          </Button>
        )}
        {o.status === 'assigned' && (
          <Button block style={big} disabled={busy} onClick={() => run(o, 'en-route')}>
            {t('worker.enRoute')}
          </Button>
        )}
        {(o.status === 'assigned' || o.status === 'en_route') && (
          <>
            <Input placeholder={t('worker.scanQr')} value={qr} onChange={(e) => setQr(e.target.value.trim())} />
            {photoInput}
            <Button type="primary" block style={big} disabled={busy} onClick={() => withPosition('check-in')}>
              {t('worker.checkIn')}
            </Button>
          </>
        )}
        {o.status === 'in_service' && (
          <>
            <Input.TextArea
              rows={3}
              placeholder={t('worker.recordPlaceholder')}
              value={record}
              onChange={(e) => setRecord(e.target.value)}
              style={{ fontSize: 16 }}
            />
            {photoInput}
            <Button
              type="primary"
              block
              style={big}
              disabled={busy || !record.trim()}
              onClick={() => withPosition('check-out', { record })}
            >
              {t('worker.send')}
            </Button>
          </>
        )}
      </Space>
    </Card>
  );
}
