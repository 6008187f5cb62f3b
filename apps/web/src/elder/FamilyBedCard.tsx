import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { familyBedsApi } from '../api/family-beds.ts';
import { useFetch } from '../app/useFetch.ts';
import { BRAND, box, DANGER, ghostButton } from './styles.ts';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const row = { display: 'flex', justifyContent: 'space-between', gap: 12, padding: '6px 0', borderTop: '1px solid #ddd' } as const;

/**
 * 家庭养老照护床位 on the elder's and family's phone pages, in large type: the bed's status (服务中 /
 * 已暂停 / 补贴暂缓结算), the provider with a button that dials its service phone, this month's
 * home visits done against those due, the next planned visit, the bed devices online or not, and
 * the open alarms. The API answers for the account's own elder; nothing is shown without a bed.
 */
export function FamilyBedCard() {
  const { t } = useTranslation();
  const res = useFetch((signal) => familyBedsApi.card({ signal }), 'family-bed-card');
  const bed = res.data?.bed;
  if (!bed) return null;
  const behind = bed.deliveredThisMonth < bed.requiredThisMonth;
  const when = (at: string) => {
    const d = dayjs(at);
    return `${d.format('M月D日')}${WEEKDAYS[d.day()]} ${d.format('HH:mm')}`;
  };
  return (
    <section style={box} data-testid="family-bed-card">
      <h2 style={{ fontSize: 26, margin: '0 0 8px' }}>{t('phoneBed.title')}</h2>
      <div
        data-testid="family-bed-status"
        style={{ fontSize: 24, fontWeight: 700, color: bed.status === 'live' ? BRAND : DANGER, marginBottom: 8 }}
      >
        {t(`phoneBed.status.${bed.status}`)}
        {bed.status === 'suspended' && bed.statusReason ? `（${bed.statusReason}）` : ''}
      </div>
      <div style={row}>
        <span>{t('phoneBed.provider')}</span>
        <strong>{bed.providerName ?? ''}</strong>
      </div>
      {bed.providerPhone ? (
        <a
          href={`tel:${bed.providerPhone}`}
          style={{
            ...ghostButton,
            textAlign: 'center',
            textDecoration: 'none',
            lineHeight: 1.3,
            padding: '12px 8px',
            boxSizing: 'border-box',
          }}
        >
          {t('phoneBed.call', { phone: bed.providerPhone })}
        </a>
      ) : (
        <div style={{ color: '#444' }}>{t('phoneBed.noPhone')}</div>
      )}
      <div style={row} data-testid="family-bed-delivery">
        <span>{t('phoneBed.delivery')}</span>
        <strong style={{ color: behind ? '#8a4b00' : BRAND }}>
          {t('phoneBed.deliveryCount', { done: bed.deliveredThisMonth, due: bed.requiredThisMonth })}
        </strong>
      </div>
      <div style={row} data-testid="family-bed-next">
        <span>{t('phoneBed.nextVisit')}</span>
        <strong>
          {bed.nextVisit
            ? t('phoneBed.nextVisitAt', { when: when(bed.nextVisit.at), item: bed.nextVisit.itemName })
            : t('phoneBed.noNextVisit')}
        </strong>
      </div>
      <div style={{ ...row, flexDirection: 'column' }} data-testid="family-bed-devices">
        <span>{t('phoneBed.devices')}</span>
        {bed.devices.length === 0 && <span style={{ color: '#444' }}>{t('phoneBed.noDevices')}</span>}
        {bed.devices.map((d) => (
          <div key={d.id} style={{ display: 'flex', justifyContent: 'space-between' }}>
            <span>{t(`safety.devices.types.${d.type}`)}</span>
            <strong style={{ color: d.online ? BRAND : DANGER }}>
              {d.online ? t('phoneBed.online') : t('phoneBed.offline')}
            </strong>
          </div>
        ))}
      </div>
      <div style={row} data-testid="family-bed-alarms">
        <span>{t('phoneBed.alarms')}</span>
        <strong style={{ color: bed.openAlarms ? DANGER : BRAND }}>
          {bed.openAlarms ? t('phoneBed.alarmsCount', { n: bed.openAlarms }) : t('phoneBed.noAlarms')}
        </strong>
      </div>
    </section>
  );
}
