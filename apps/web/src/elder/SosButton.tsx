import { AlertOutlined } from '@ant-design/icons';
import type { SosAnswer } from '@zhiyang/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sosApi } from '../api/sos.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { speak } from './speak.ts';
import { bigButton, box, DANGER, ghostButton } from './styles.ts';

/**
 * 一键呼救: the first tap asks, the second raises a P1 SOS (the same alarm a pendant raises), so a
 * stray tap never calls for help. Until the cancel window closes, 按错了，取消呼救 turns it into a
 * cancelled SOS, as a pendant's cancel key does.
 */
export function SosButton() {
  const { t } = useTranslation();
  const [step, setStep] = useState<'idle' | 'ask' | 'sent'>('idle');
  const [sos, setSos] = useState<SosAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (step !== 'sent') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [step]);

  const raise = async () => {
    setError(null);
    try {
      setSos(await sosApi.raiseSos({ body: {} }));
      setStep('sent');
      speak(t('elderHome.sosSent'), currentLanguage());
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  const cancel = async () => {
    setError(null);
    try {
      setSos(await sosApi.cancelSos({ body: {} }));
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  const red = { ...bigButton, background: DANGER, minHeight: 80, fontSize: 30 };
  const left = sos ? Math.max(0, Math.floor((new Date(sos.cancelUntil).getTime() - now) / 1000)) : 0;

  if (step === 'sent' && sos) {
    return (
      <section style={{ ...box, borderColor: DANGER, borderWidth: 4 }} role="alert" data-testid="sos-sent">
        <div style={{ fontSize: 26, fontWeight: 800, color: DANGER }}>
          {sos.cancelled ? t('elderHome.sosCancelled') : t('elderHome.sosSent')}
        </div>
        {!sos.cancelled && left > 0 && (
          <button type="button" style={{ ...ghostButton, color: DANGER, borderColor: DANGER }} onClick={cancel}>
            {t('elderHome.sosCancel', { n: left })}
          </button>
        )}
        {error && <p style={{ color: DANGER }}>{error}</p>}
        <button type="button" style={ghostButton} onClick={() => setStep('idle')}>
          {t('elderHome.sosClose')}
        </button>
      </section>
    );
  }
  if (step === 'ask') {
    return (
      <section style={{ ...box, borderColor: DANGER, borderWidth: 4 }}>
        <div style={{ fontSize: 26, fontWeight: 800 }}>{t('elderHome.sosAsk')}</div>
        <button type="button" style={red} onClick={raise}>
          {t('elderHome.sosYes')}
        </button>
        <button type="button" style={ghostButton} onClick={() => setStep('idle')}>
          {t('elderHome.sosNo')}
        </button>
        {error && <p style={{ color: DANGER }}>{error}</p>}
      </section>
    );
  }
  return (
    <button type="button" style={red} onClick={() => setStep('ask')} data-testid="sos">
      <AlertOutlined /> {t('elderHome.sos')}
    </button>
  );
}
