import { CameraOutlined, CloseOutlined, EnvironmentOutlined, LogoutOutlined, PhoneOutlined } from '@ant-design/icons';
import { type ServiceOrder as Order, VISIT_FLAG_LABELS_ZH, type VisitFlag } from '@zhiyang/shared';
import { Alert, App, Button, Card, Input, Modal, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../api/orders.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { MealRound } from './MealRound.tsx';
import { shrinkPhoto } from './photo-store.ts';
import { flush, perform, queued } from './queue.ts';

/** The state an order reaches when a worker's action is accepted. */
const AFTER = { 'en-route': 'en_route', 'check-in': 'in_service', 'check-out': 'served' } as const;

/**
 * The worker's phone page (/worker): the week ahead (today, then the next 6 days, by day), call
 * and navigation buttons, check-in/out with position and photos, a reason for a check-in far
 * from the booked time, and the offline queue. 18 px text, 48 px targets.
 */
export default function WorkerArea() {
  return (
    <MobileGate area="worker" path="/worker">
      {() => <WorkerHome />}
    </MobileGate>
  );
}

function WorkerHome() {
  const { logout, can } = useAuth();
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 18, background: '#f4f7f6', minHeight: '100vh' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('worker.title')}
        </Typography.Title>
        <Button icon={<LogoutOutlined />} style={{ height: 48, fontSize: 18 }} onClick={() => void logout()}>
          {t('worker.logout')}
        </Button>
      </Space>
      {can('meal:deliver') && <MealRound />}
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

/** 48 px high buttons with 18 px text: a thumb on a moving phone hits them. */
const big = { height: 52, fontSize: 18 };
type Task = Order;

/** 今天 / 明天 / 11月27日 周五 for a YYYY-MM-DD day (the phone's time zone). */
function useDayTitle() {
  const { t } = useTranslation();
  return (day: string) => {
    const d = dayjs(day);
    const rel = d.isSame(dayjs(), 'day')
      ? t('worker.today')
      : d.isSame(dayjs().add(1, 'day'), 'day')
        ? t('worker.tomorrow')
        : null;
    const date = t('worker.day', { m: d.month() + 1, d: d.date(), w: t(`worker.weekday.d${d.day()}` as never) });
    return rel ? `${rel} · ${date}` : date;
  };
}

function Tasks() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const dayTitle = useDayTitle();
  const [version, setVersion] = useState(0);
  const [waiting, setWaiting] = useState(queued().length);
  const today = dayjs().format('YYYY-MM-DD');
  // The week ahead: today and the next 6 days, so tomorrow's order is seen today.
  const tasks = useFetch(
    (signal) => ordersApi.listOrders({ query: { date: today, days: 7, limit: 100 }, signal }),
    `tasks-${today}-${version}`,
  );
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
    o: Task,
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
  // By day, today first (shown even when empty), then only the days that have orders.
  const days = new Map<string, Task[]>([[today, []]]);
  for (const o of items) {
    const day = dayjs(o.scheduledAt).format('YYYY-MM-DD');
    days.set(day, [...(days.get(day) ?? []), o]);
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text style={{ fontSize: 18, color: '#333' }}>{t('worker.week')}</Typography.Text>
      {waiting > 0 && (
        <Alert type="warning" showIcon message={<span style={{ fontSize: 18 }}>{t('worker.queued', { n: waiting })}</span>} />
      )}
      {[...days.entries()].map(([day, list]) => (
        <section key={day} data-testid={`day-${day}`} style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <Typography.Title level={4} style={{ margin: '8px 0 0', fontSize: 20 }}>
            {dayTitle(day)}
            {list.length > 0 && (
              <span style={{ fontWeight: 'normal', fontSize: 18, color: '#555' }}>
                {' '}
                · {t('worker.count', { n: list.length })}
              </span>
            )}
          </Typography.Title>
          {!tasks.loading && list.length === 0 && day === today && (
            <Alert type="info" message={<span style={{ fontSize: 18 }}>{t('worker.none')}</span>} />
          )}
          {list.map((o) => (
            <TaskCard key={o.id} o={o} run={run} />
          ))}
        </section>
      ))}
    </Space>
  );
}

/** A duration for people: 10 小时 5 分 / 25 分钟. */
function useSpan() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const m = Math.abs(Math.round(minutes));
    return m >= 60 ? t('worker.hours', { h: Math.floor(m / 60), m: m % 60 }) : t('worker.mins', { m });
  };
}

/** Photos for the check-in or check-out at hand: a large camera button, thumbnails with remove. */
function PhotoPicker({ orderId, photos, onChange }: { orderId: string; photos: File[]; onChange(p: File[]): void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p)), [photos]);
  useEffect(
    () => () => {
      for (const u of urls) URL.revokeObjectURL(u);
    },
    [urls],
  );
  return (
    <div>
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        multiple
        hidden
        data-testid={`photo-${orderId}`}
        onChange={(e) => {
          const picked = Array.from(e.target.files ?? []);
          e.target.value = '';
          onChange([...photos, ...picked].slice(0, 9));
        }}
      />
      <Button block icon={<CameraOutlined />} style={big} disabled={photos.length >= 9} onClick={() => input.current?.click()}>
        {t('worker.takePhoto')}
      </Button>
      {photos.length > 0 && (
        <>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, marginTop: 8 }} data-testid={`thumbs-${orderId}`}>
            {urls.map((u, i) => (
              <div key={u} style={{ position: 'relative', width: 120, height: 120, marginTop: 12 }}>
                <img src={u} alt="" style={{ width: 120, height: 120, objectFit: 'cover', borderRadius: 6 }} />
                <Button
                  aria-label={t('worker.removePhoto')}
                  shape="circle"
                  danger
                  icon={<CloseOutlined />}
                  style={{ position: 'absolute', top: -12, right: -12, width: 48, height: 48, minWidth: 48 }}
                  onClick={() => onChange(photos.filter((_, j) => j !== i))}
                />
              </div>
            ))}
          </div>
          <Typography.Text style={{ fontSize: 16, color: '#555' }}>
            {t('worker.photoCount', { n: photos.length })}
          </Typography.Text>
        </>
      )}
    </div>
  );
}

function TaskCard({
  o,
  run,
}: {
  o: Task;
  run(o: Task, path: 'en-route' | 'check-in' | 'check-out', body?: Record<string, unknown>, photos?: Blob[]): Promise<void>;
}) {
  const [record, setRecord] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [qr, setQr] = useState('');
  const [busy, setBusy] = useState(false);
  const [far, setFar] = useState<{ minutes: number } | null>(null);
  const [reason, setReason] = useState('');
  const { message } = App.useApp();
  const { t } = useTranslation();
  const span = useSpan();
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
  // A check-in outside the window the server allows without a reason: say so now (it is an
  // EVV anomaly) and ask for the reason, which travels with the check-in (queued ones too).
  const checkIn = () => {
    const w = o.checkInWindow;
    const now = Date.now();
    if (w && (now < new Date(w.from).getTime() || now > new Date(w.to).getTime())) {
      setReason('');
      setFar({ minutes: (now - new Date(o.scheduledAt).getTime()) / 60_000 });
      return;
    }
    void withPosition('check-in');
  };
  const text = { fontSize: 18, color: '#222' };
  return (
    <Card styles={{ body: { padding: 16 } }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Text strong style={{ fontSize: 22 }}>
            {dayjs(o.scheduledAt).format('HH:mm')} · {o.itemName}
          </Typography.Text>
          <Tag color="blue" style={{ fontSize: 16, padding: '4px 8px' }}>
            {t(`worker.status.${o.status}` as never, { defaultValue: o.status })}
          </Tag>
        </Space>
        <Typography.Text style={text}>
          {o.elderName} · {t('worker.minutes', { n: o.durationMinutes })}
        </Typography.Text>
        <Typography.Text style={text} data-testid={`address-${o.id}`}>
          <EnvironmentOutlined /> {o.elderAddress ?? t('worker.noAddress')}
        </Typography.Text>
        {o.flags.length > 0 && (
          <Alert
            type="error"
            message={
              <span style={{ fontSize: 18 }}>
                {t('worker.flags', { f: o.flags.map((f: VisitFlag) => VISIT_FLAG_LABELS_ZH[f]).join('、') })}
              </span>
            }
          />
        )}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {o.elderPhone ? (
            <Button
              icon={<PhoneOutlined />}
              href={`tel:${o.elderPhone}`}
              style={{ ...big, flex: '1 1 auto' }}
              data-testid={`call-${o.id}`}
            >
              {t('worker.callElder', { phone: o.elderPhone })}
            </Button>
          ) : null}
          {o.navigationUrl && (
            <Button icon={<EnvironmentOutlined />} href={o.navigationUrl} target="_blank" style={{ ...big, flex: '1 1 auto' }}>
              {t('worker.navigate')}
            </Button>
          )}
        </div>
        {!o.elderPhone && (
          <Typography.Text style={{ fontSize: 16, color: '#555' }}>
            {o.elderPhoneMasked ? t('worker.phoneMasked', { phone: o.elderPhoneMasked }) : t('worker.noPhone')}
          </Typography.Text>
        )}
        {o.status === 'assigned' && (
          <Button block style={big} disabled={busy} onClick={() => run(o, 'en-route')}>
            {t('worker.enRoute')}
          </Button>
        )}
        {(o.status === 'assigned' || o.status === 'en_route') && (
          <>
            <Input
              placeholder={t('worker.scanQr')}
              value={qr}
              onChange={(e) => setQr(e.target.value.trim())}
              style={{ height: 48, fontSize: 18 }}
            />
            <PhotoPicker orderId={o.id} photos={photos} onChange={setPhotos} />
            <Button type="primary" block style={big} disabled={busy} onClick={checkIn}>
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
              style={{ fontSize: 18 }}
            />
            <PhotoPicker orderId={o.id} photos={photos} onChange={setPhotos} />
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
      <Modal
        open={far !== null}
        title={<span style={{ fontSize: 20 }}>{t('worker.farTitle')}</span>}
        onCancel={() => setFar(null)}
        okText={t('worker.farConfirm')}
        cancelText={t('worker.cancel')}
        okButtonProps={{ disabled: reason.trim().length < 2, style: big }}
        cancelButtonProps={{ style: big }}
        onOk={() => {
          setFar(null);
          void withPosition('check-in', { reason: reason.trim() });
        }}
      >
        {far && (
          <Space direction="vertical" style={{ width: '100%', fontSize: 18 }}>
            <Alert
              type="warning"
              showIcon
              message={
                <span style={{ fontSize: 18 }}>
                  {t(far.minutes < 0 ? 'worker.farEarly' : 'worker.farLate', {
                    d: span(far.minutes),
                    at: dayjs(o.scheduledAt).format('M月D日 HH:mm'),
                  })}
                </span>
              }
            />
            <span>{t('worker.farRule', { n: o.checkInWindow?.minutes ?? 0 })}</span>
            <Input.TextArea
              rows={3}
              autoFocus
              value={reason}
              maxLength={500}
              placeholder={t('worker.farPlaceholder')}
              onChange={(e) => setReason(e.target.value)}
              style={{ fontSize: 18 }}
              data-testid={`reason-${o.id}`}
            />
            {reason.trim().length < 2 && <span style={{ fontSize: 16, color: '#a8071a' }}>{t('worker.farNeedReason')}</span>}
          </Space>
        )}
      </Modal>
    </Card>
  );
}
