import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { useFetch } from '../../app/useFetch.ts';

const COLOURS = {
  valid: '#135200',
  revoked: '#a8071a',
  expired: '#a8071a',
  superseded: '#a8071a',
  replaced: '#a8071a',
} as const;

/**
 * The public page a 优待证 QR code opens (no login): valid / revoked / expired / superseded, the
 * holder's masked name and the card number — never the ID number.
 */
export default function VerifyCardPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const res = useFetch((signal) => privilegeCardsApi.verify({ params: { token }, signal }), `verify-card-${token}`);
  const v = res.data;
  const failed = res.error as { status?: number } | undefined;
  return (
    <main style={{ maxWidth: 480, margin: '0 auto', padding: 16, fontSize: 22 }}>
      <h1 style={{ fontSize: 26 }}>{t('privilegeCards.verify.title')}</h1>
      {v && (
        <div data-testid="verify-result" style={{ border: '2px solid #111', borderRadius: 14, padding: 16 }}>
          <div data-testid="verify-verdict" style={{ fontSize: 36, fontWeight: 700, color: COLOURS[v.verdict] }}>
            {t(`privilegeCards.verify.verdicts.${v.verdict}`)}
          </div>
          <div>
            {t('privilegeCards.verify.holder')}：<span data-testid="verify-holder">{v.holderMasked}</span>
          </div>
          <div>
            {t('privilegeCards.verify.cardNo')}：{v.cardNo}
          </div>
          <div>
            {t('privilegeCards.verify.validity')}：{v.issuedOn} – {v.expiresOn}
          </div>
        </div>
      )}
      {failed && (
        <p role="alert" data-testid="verify-error" style={{ color: '#a8071a', fontWeight: 700 }}>
          {failed.status === 404 ? t('privilegeCards.verify.notFound') : t('privilegeCards.verify.bad')}
        </p>
      )}
    </main>
  );
}
