import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../api/booking.ts';
import { useFetch } from '../app/useFetch.ts';

/**
 * 呼叫服务中心: a large tel: link to the district service centre's hotline (`GET /service-hotline`), for the elder and family pages. Nothing is shown until the number is known.
 */
export function CallCentreButton() {
  const { t } = useTranslation();
  const settings = useFetch((signal) => bookingApi.getHotline({ signal }), 'hotline');
  const hotline = settings.data?.hotline;
  if (!hotline) return null;
  return (
    <a
      href={`tel:${hotline}`}
      data-testid="call-centre"
      style={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 12,
        minHeight: 72,
        margin: '12px 0',
        padding: '8px 16px',
        boxSizing: 'border-box',
        borderRadius: 14,
        background: '#1d39c4',
        color: '#fff',
        fontSize: 28,
        fontWeight: 700,
        textDecoration: 'none',
        lineHeight: 1.2,
        textAlign: 'center',
      }}
    >
      <PhoneOutlined />
      <span>
        {t('elderHome.call')}
        <span style={{ display: 'block', fontSize: 22, fontWeight: 400 }}>{t('elderHome.callNumber', { number: hotline })}</span>
      </span>
    </a>
  );
}
