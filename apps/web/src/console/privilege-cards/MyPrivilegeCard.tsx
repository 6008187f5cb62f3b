import { QRCode } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

// 适老化 as on the elder and family pages: 22 px text, 64 px targets, near-black on white.
const BRAND = '#0b5d52';
const box: CSSProperties = { border: '2px solid #111', borderRadius: 14, padding: 16, margin: '12px 0', fontSize: 22 };
const big: CSSProperties = {
  minHeight: 64,
  width: '100%',
  fontSize: 24,
  fontWeight: 700,
  color: '#fff',
  background: BRAND,
  border: 'none',
  borderRadius: 12,
  marginTop: 8,
};

/** The public address a card's QR code opens (any phone camera). */
export const verifyUrl = (token: string) => `${window.location.origin}/verify/card/${encodeURIComponent(token)}`;

/**
 * The 老年人优待证 on the elder's and the family's phone page: the electronic card (name, number,
 * validity, the signed QR code; no photo is kept), where an application stands, or the apply button.
 */
export function MyPrivilegeCard() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [renewedNo, setRenewedNo] = useState<string | null>(null);
  const res = useFetch((signal) => privilegeCardsApi.getMine({ signal }), `my-privilege-card-${version}`);
  const m = res.data;
  if (!m?.elder) return null;
  const c = m.card;
  const apply = async () => {
    setError(null);
    try {
      await privilegeCardsApi.applyMine({ body: {} });
      setSent(true);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  const renew = async () => {
    setError(null);
    try {
      const fresh = await privilegeCardsApi.renewMine();
      setRenewedNo(fresh.cardNo);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  const live = c && ['checking', 'passed', 'issued'].includes(c.status);
  let line: string | null = null;
  if (c?.status === 'checking') line = sent ? t('privilegeCards.mine.sent') : t('privilegeCards.mine.checking');
  else if (c?.status === 'passed') line = t('privilegeCards.mine.passed');
  else if (c?.status === 'failed') line = t('privilegeCards.mine.failed', { reason: c.reason ?? '' });
  else if (c?.status === 'rejected') line = t('privilegeCards.mine.rejected', { reason: c.reason ?? '' });
  else if (c?.status === 'revoked') line = t('privilegeCards.mine.revoked', { reason: c.reason ?? '' });
  else if (!c) line = t('privilegeCards.mine.none');
  const reason = !live && m.ineligibleReason ? t(`privilegeCards.mine.reasons.${m.ineligibleReason}`) : null;

  return (
    <section data-testid="my-privilege-card">
      <h2 style={{ fontSize: 26, margin: '20px 0 4px' }}>{t('privilegeCards.mine.title')}</h2>
      {c?.status === 'issued' && m.qrToken ? (
        <div style={{ ...box, textAlign: 'center' }} data-testid="privilege-card">
          <div style={{ fontSize: 28, fontWeight: 700 }}>{m.elder.name}</div>
          <div style={{ color: '#444', fontSize: 18 }}>{t('privilegeCards.mine.noPhoto')}</div>
          <div style={{ marginTop: 8 }}>
            {t('privilegeCards.mine.cardNo')}：<span data-testid="privilege-card-no">{c.cardNo}</span>
          </div>
          <div>
            {t('privilegeCards.mine.validity')}：{t('privilegeCards.mine.until', { from: c.issuedOn, to: c.expiresOn })}
          </div>
          {renewedNo && (
            <p role="status" style={{ color: '#135200', fontWeight: 700 }} data-testid="privilege-card-renewed">
              {t('privilegeCards.mine.renewed', { cardNo: renewedNo })}
            </p>
          )}
          {c.renewalDue && !c.expired && <p>{t('privilegeCards.mine.renewSoon', { date: c.expiresOn })}</p>}
          {error && (
            <p role="alert" style={{ color: '#a8071a' }}>
              {error}
            </p>
          )}
          {c.renewalDue && (
            <button type="button" style={big} onClick={() => void renew()}>
              {t('privilegeCards.mine.renew')}
            </button>
          )}
          {c.expired ? (
            <p role="alert" style={{ color: '#a8071a', fontWeight: 700 }}>
              {t('privilegeCards.mine.expired')}
            </p>
          ) : (
            <>
              <div style={{ display: 'flex', justifyContent: 'center', marginTop: 12 }}>
                <QRCode value={verifyUrl(m.qrToken)} size={240} bordered={false} data-testid="privilege-card-qr" />
              </div>
              <div style={{ fontSize: 18 }}>{t('privilegeCards.mine.showQr')}</div>
            </>
          )}
        </div>
      ) : (
        <div style={box}>
          <div data-testid="my-privilege-card-status">{line}</div>
          {reason && <div>{reason}</div>}
          {error && (
            <p role="alert" style={{ color: '#a8071a' }}>
              {error}
            </p>
          )}
          {!live && !m.ineligibleReason && (
            <button type="button" style={big} onClick={() => void apply()}>
              {t('privilegeCards.mine.apply')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
