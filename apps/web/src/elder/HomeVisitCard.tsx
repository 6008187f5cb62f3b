import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../api/medical.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { speak } from './speak.ts';
import { BRAND, bigButton, box, DANGER, ghostButton, INK } from './styles.ts';

const REASONS = ['bp', 'unwell', 'dressing', 'medicine'] as const;
const choice = { ...ghostButton, textAlign: 'left', padding: '10px 18px', color: INK } as const;

/**
 * 请医生上门 on the elder's and the family's phone page: a reason (one tap or typed), sent once —
 * the Idempotency-Key is made when the form opens, so a resend after a lost answer is the same
 * request — then the requests with whether and when the team comes. The server decides whose
 * elder it is (the elder's own, the family's bound elder).
 */
export function HomeVisitCard({ elderId }: { elderId?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const mine = useFetch((signal) => medicalApi.myVisitRequests({ signal }), `mv-${version}`);
  const day = (d: string) => dayjs(d).format('M月D日');

  const start = () => {
    setOpen(true);
    setReason('');
    setError(null);
    setDone(null);
    setKey(crypto.randomUUID());
  };
  const send = async () => {
    const text = reason.trim();
    if (text.length < 2) {
      setError(t('phoneHealth.tooShort'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const v = await medicalApi.requestVisit({
        body: { reason: text, ...(elderId ? { elderId } : {}) },
        headers: { 'Idempotency-Key': key },
      });
      const said = t('phoneHealth.sent', { team: v.teamName });
      setDone(said);
      setOpen(false);
      setVersion((n) => n + 1);
      speak(said, currentLanguage());
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const items = mine.data?.items ?? [];
  return (
    <section style={box} data-testid="home-visit">
      <div style={{ fontWeight: 700, fontSize: 24 }}>{t('phoneHealth.myRequests')}</div>
      {done && (
        <p style={{ fontSize: 24, fontWeight: 700, color: BRAND }} role="status" data-testid="home-visit-sent">
          ✓ {done}
        </p>
      )}
      {!open && (
        <button type="button" style={bigButton} onClick={start} data-testid="ask-doctor">
          {t('phoneHealth.askDoctor')}
        </button>
      )}
      {open && (
        <div>
          <div style={{ fontSize: 26, fontWeight: 700 }}>{t('phoneHealth.askTitle')}</div>
          <p style={{ margin: '4px 0' }}>{t('phoneHealth.askWhy')}</p>
          {REASONS.map((r) => (
            <button
              type="button"
              key={r}
              style={{ ...choice, borderWidth: reason === t(`phoneHealth.reasons.${r}`) ? 5 : 3 }}
              onClick={() => setReason(t(`phoneHealth.reasons.${r}`))}
            >
              {t(`phoneHealth.reasons.${r}`)}
            </button>
          ))}
          <label style={{ display: 'block', marginTop: 8 }}>
            {t('phoneHealth.reasonLabel')}
            <textarea
              value={reason}
              maxLength={500}
              rows={3}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('phoneHealth.reasonPlaceholder')}
              style={{ display: 'block', width: '100%', boxSizing: 'border-box', fontSize: 22, padding: 8, marginTop: 4 }}
              data-testid="visit-reason"
            />
          </label>
          {error && <p style={{ color: DANGER, fontWeight: 700 }}>{error}</p>}
          <button type="button" style={{ ...bigButton, opacity: busy ? 0.6 : 1 }} disabled={busy} onClick={send}>
            {busy ? t('phoneHealth.sending') : t('phoneHealth.send')}
          </button>
          <button type="button" style={ghostButton} onClick={() => setOpen(false)}>
            {t('phoneHealth.back')}
          </button>
        </div>
      )}
      {mine.data && items.length === 0 && <p>{t('phoneHealth.noRequests')}</p>}
      {items.slice(0, 5).map((v) => (
        <div key={v.id} style={{ borderTop: '1px solid #999', padding: '8px 0' }} data-testid="home-visit-request">
          <div style={{ fontSize: 24, fontWeight: 700 }}>
            {t(`phoneHealth.state.${v.status}`, {
              team: v.teamName,
              who: v.memberName ?? t('phoneHealth.doctorWord'),
              day: v.status === 'done' && v.visitedAt ? day(v.visitedAt) : v.scheduledOn ? day(v.scheduledOn) : '',
            })}
          </div>
          <div>{t('phoneHealth.askedOn', { day: day(v.createdAt), reason: v.reason })}</div>
        </div>
      ))}
    </section>
  );
}
