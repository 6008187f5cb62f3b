import type { ServiceOrder } from '@zhiyang/shared';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../api/orders.ts';
import { currentLanguage } from '../app/i18n.ts';
import { useFetch } from '../app/useFetch.ts';
import { splitOrders } from '../elder/MyBookings.tsx';

const box = { border: '2px solid #111', borderRadius: 14, padding: 16, margin: '12px 0' } as const;
const h3 = { fontSize: 24, margin: '16px 0 4px' } as const;

/**
 * The elder's home services for the family: what is coming and what was done lately, with the
 * worker's name and the visit's check-in / check-out times (read from each order's own record).
 */
export function FamilyServices({ elderId, version }: { elderId: string; version: number }) {
  const { t } = useTranslation();
  const list = useFetch((signal) => ordersApi.listOrders({ query: { elderId, limit: 50 }, signal }), `fs-${elderId}-${version}`);
  const { upcoming, past } = splitOrders(list.data?.items ?? []);
  const recent = past.filter((o) => o.status !== 'cancelled' && o.status !== 'voided').slice(0, 5);
  return (
    <>
      <h2 style={{ fontSize: 26, margin: '20px 0 4px' }}>{t('family.services')}</h2>
      <h3 style={h3}>{t('family.servicesUpcoming')}</h3>
      {list.data && upcoming.length === 0 && <p>{t('family.noServicesUpcoming')}</p>}
      {upcoming.slice(0, 5).map((o) => (
        <FamilyService key={o.id} order={o} version={version} />
      ))}
      <h3 style={h3}>{t('family.servicesRecent')}</h3>
      {list.data && recent.length === 0 && <p>{t('family.noServicesRecent')}</p>}
      {recent.map((o) => (
        <FamilyService key={o.id} order={o} version={version} />
      ))}
    </>
  );
}

function FamilyService({ order, version }: { order: ServiceOrder; version: number }) {
  const { t } = useTranslation();
  const detail = useFetch((signal) => ordersApi.getOrder({ params: { id: order.id }, signal }), `fo-${order.id}-${version}`);
  const when = (iso: string) => dayjs(iso).format(currentLanguage() === 'en-US' ? 'MMM D, HH:mm' : 'M月D日 HH:mm');
  const clock = (iso: string) => dayjs(iso).format('HH:mm');
  const visit = detail.data?.visit;
  const worker = order.workerName?.replace(/（.*）/, '');
  return (
    <div style={box} data-testid="family-service">
      <div style={{ fontSize: 24, fontWeight: 700 }}>
        {when(order.scheduledAt)} {order.itemName}
      </div>
      <div>{t(`elderHome.status.${order.status}` as never, { defaultValue: order.status, worker: worker ?? '' })}</div>
      <div>{worker ? t('family.serviceWorker', { name: worker }) : t('family.serviceNoWorker')}</div>
      {visit && (
        <div>
          {t('family.checkIn', { time: clock(visit.checkInAt) })}
          {visit.checkOutAt ? `，${t('family.checkOut', { time: clock(visit.checkOutAt) })}` : ''}
        </div>
      )}
    </div>
  );
}
