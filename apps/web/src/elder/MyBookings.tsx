import type { ServiceOrder as Order } from '@zhiyang/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../api/orders.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { box, DANGER, ghostButton, INK, whenText } from './styles.ts';

/** The statuses the orders module lets the elder cancel (before the visit starts; orders.service CANCELLABLE). */
const CANCELLABLE = new Set(['created', 'dispatched', 'accepted', 'assigned', 'en_route']);
const DONE = new Set(['served', 'confirmed', 'settled', 'cancelled', 'voided']);

/** Upcoming orders first (soonest first), then earlier ones (latest first). */
export function splitOrders(orders: Order[]) {
  const upcoming = orders.filter((o) => !DONE.has(o.status)).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const past = orders.filter((o) => DONE.has(o.status)).sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt));
  return { upcoming, past };
}

/** 我的预约: what is coming (with 取消预约 behind a second tap) and what was done. */
export function MyBookings({ orders, onChanged }: { orders: Order[]; onChanged(): void }) {
  const { t } = useTranslation();
  const { upcoming, past } = splitOrders(orders);
  const line = (o: Order) =>
    t('elderHome.orderLine', {
      when: whenText(o.scheduledAt, currentLanguage(), t as never),
      item: o.itemName ?? '',
      status: t(`elderHome.status.${o.status}` as never, {
        defaultValue: o.status,
        worker: o.workerName?.replace(/（.*）/, '') ?? '',
      }),
    });
  return (
    <>
      <h1 style={{ fontSize: 32, margin: '8px 0' }}>{t('elderHome.mine')}</h1>
      <h2 style={{ fontSize: 26 }}>{t('elderHome.upcoming')}</h2>
      {upcoming.length === 0 && <p>{t('elderHome.noUpcoming')}</p>}
      {upcoming.map((o) => (
        <Upcoming key={o.id} order={o} text={line(o)} onChanged={onChanged} />
      ))}
      <h2 style={{ fontSize: 26 }}>{t('elderHome.past')}</h2>
      {past.length === 0 && <p>{t('elderHome.noPast')}</p>}
      {past.slice(0, 10).map((o) => (
        <p key={o.id} style={{ ...box, color: INK }} data-testid="past-order">
          {line(o)}
        </p>
      ))}
    </>
  );
}

function Upcoming({ order, text, onChanged }: { order: Order; text: string; onChanged(): void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setError(null);
    try {
      await ordersApi.cancel({ params: { id: order.id }, body: { reason: '老人在“我的预约”中取消' } });
      onChanged();
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  return (
    <section style={box} data-testid="upcoming-order">
      <div style={{ fontSize: 24, fontWeight: 700 }}>{text}</div>
      {error && <p style={{ color: DANGER }}>{error}</p>}
      {CANCELLABLE.has(order.status) &&
        (asking ? (
          <>
            <p style={{ fontWeight: 700 }}>{t('elderHome.cancelSure', { what: order.itemName ?? '' })}</p>
            <button type="button" style={{ ...ghostButton, color: '#fff', background: DANGER, border: 'none' }} onClick={cancel}>
              {t('elderHome.cancelYes')}
            </button>
            <button type="button" style={ghostButton} onClick={() => setAsking(false)}>
              {t('elderHome.cancelNo')}
            </button>
          </>
        ) : (
          <button type="button" style={{ ...ghostButton, color: DANGER, borderColor: DANGER }} onClick={() => setAsking(true)}>
            {t('elderHome.cancel')}
          </button>
        ))}
    </section>
  );
}
