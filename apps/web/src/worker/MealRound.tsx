import { EnvironmentOutlined } from '@ant-design/icons';
import type { MealDelivery } from '@zhiyang/shared';
import { Alert, App, Button, Card, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../api/meals.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { checkOff, flushCheckOffs, type QueuedCheckOff, queuedCheckOffs } from './meal-delivery-queue.ts';

const big = { height: 52, fontSize: 18 };

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
 * 今日送餐 on the worker's phone: the meal deliveries a canteen handed to the worker's provider
 * (to them, or to any of its workers) for today, with the address and a navigation link; 已送达
 * at the door sends the phone's position — the meal is settled as at the canteen's counter and a
 * position more than 500 m from the recorded address is flagged. Without network the check-off
 * (position and time at the door) waits on the phone (meal-delivery-queue.ts) and is sent when
 * the network is back; the card says 待提交 until then.
 */
export function MealRound() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  const [version, setVersion] = useState(0);
  const [waiting, setWaiting] = useState(queuedCheckOffs().length);
  const round = useFetch((signal) => mealsApi.deliveryRound({ query: {}, signal }), `meal-round:${version}`);
  const refused = useCallback(
    (item: QueuedCheckOff, err: unknown) =>
      void message.error(t('worker.mealRound.refused', { name: item.elderName, reason: problemText(err, t) })),
    [message, t],
  );
  // What waits on the phone goes when the network is back, at start, and every 15 s while something waits.
  useEffect(() => {
    const send = () => {
      const before = queuedCheckOffs().length;
      if (!before) return Promise.resolve();
      return flushCheckOffs(refused).then(() => {
        const left = queuedCheckOffs().length;
        if (left < before) message.success(t('worker.mealRound.sent', { n: before - left }));
        setWaiting(left);
        if (left < before) setVersion((v) => v + 1);
      });
    };
    window.addEventListener('online', send);
    void send();
    const timer = window.setInterval(() => void send(), 15_000);
    return () => {
      window.removeEventListener('online', send);
      window.clearInterval(timer);
    };
  }, [refused, message, t]);
  const items = round.data?.items ?? [];
  if (!round.loading && items.length === 0) return null;
  const pending = new Set(waiting > 0 ? queuedCheckOffs().map((q) => q.deliveryId) : []);
  const deliver = async (d: MealDelivery) => {
    setBusy(d.id);
    message.loading({ content: t('worker.mealRound.locating'), key: 'meal-gps' });
    const at = await position();
    message.destroy('meal-gps');
    if (!at) {
      setBusy(undefined);
      message.error(t('worker.mealRound.noGps'));
      return;
    }
    const r = await checkOff(d, at, refused);
    if (r.answer?.delivery.far) message.warning(t('worker.mealRound.far', { m: Math.round(r.answer.delivery.distanceM ?? 0) }));
    else if (r.answer) message.success(t('worker.mealRound.done'));
    else if (r.waiting) message.warning(t('worker.mealRound.queued'));
    setWaiting(queuedCheckOffs().length);
    setBusy(undefined);
    setVersion((v) => v + 1);
  };
  const left = items.filter((d) => d.status === 'booked').length;
  return (
    <section data-testid="meal-round" style={{ display: 'flex', flexDirection: 'column', gap: 12, marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: '8px 0 0', fontSize: 20 }}>
        {t('worker.mealRound.title')}
        {/* No count before the round has loaded: "0 left" would be wrong for a moment. */}
        {round.data && (
          <span style={{ fontWeight: 'normal', fontSize: 18, color: '#555' }}> · {t('worker.mealRound.left', { n: left })}</span>
        )}
        {waiting > 0 && (
          <Tag color="orange" style={{ marginLeft: 8, fontSize: 16 }} data-testid="meal-round-waiting">
            {t('worker.mealRound.waiting', { n: waiting })}
          </Tag>
        )}
      </Typography.Title>
      {items.map((d) => (
        <Card key={d.id} size="small" styles={{ body: { fontSize: 18 } }}>
          <Space direction="vertical" style={{ width: '100%' }} size={8}>
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <Typography.Text strong style={{ fontSize: 20 }}>
                {d.elderName}
              </Typography.Text>
              {pending.has(d.id) && d.status === 'booked' ? (
                <Tag color="orange" style={{ fontSize: 16 }}>
                  {t('worker.mealRound.pending')}
                </Tag>
              ) : (
                <Tag
                  color={d.status === 'booked' ? 'blue' : d.status === 'delivered' ? 'green' : 'default'}
                  style={{ fontSize: 16 }}
                >
                  {t(`worker.mealRound.status.${d.status}`)}
                </Tag>
              )}
            </Space>
            <span>
              {t(`worker.mealRound.period.${d.period}`)} · {d.canteenName}
              {d.items.length > 1 || d.items[0]?.qty > 1
                ? ` · ${t('worker.mealRound.portions', { n: d.items.reduce((a, i) => a + i.qty, 0) })}`
                : ''}
            </span>
            <span>
              <EnvironmentOutlined /> {d.address ?? t('worker.noAddress')}
            </span>
            {d.note && <span style={{ color: '#555' }}>{t('worker.mealRound.note', { note: d.note })}</span>}
            {d.status === 'delivered' && (
              <span>
                {t('worker.mealRound.deliveredAt', { at: d.deliveredAt ? dayjs(d.deliveredAt).format('HH:mm') : '' })}
                {d.far && (
                  <Tag color="red" style={{ marginLeft: 8, fontSize: 16 }}>
                    {t('worker.mealRound.farTag', { m: Math.round(d.distanceM ?? 0) })}
                  </Tag>
                )}
              </span>
            )}
            {d.status === 'booked' && !pending.has(d.id) && (
              <Space.Compact block>
                {d.address && (
                  <Button
                    style={{ ...big, flex: 1 }}
                    href={`https://uri.amap.com/search?keyword=${encodeURIComponent(d.address)}`}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    {t('worker.navigate')}
                  </Button>
                )}
                <Button type="primary" style={{ ...big, flex: 2 }} loading={busy === d.id} onClick={() => deliver(d)}>
                  {t('worker.mealRound.deliver')}
                </Button>
              </Space.Compact>
            )}
          </Space>
        </Card>
      ))}
      {round.error ? <Alert type="error" showIcon message={problemText(round.error, t)} /> : null}
    </section>
  );
}
