import type { SurvivalChallenge } from '@zhiyang/shared';
import { App, Button, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { survivalApi } from '../../api/allowance-survival.ts';
import { problemText } from '../../app/problems.ts';
import { CapturePage, type Result } from './SurvivalCheck.tsx';

/**
 * 社区刷脸认证: community staff run the survival verification for the elder in front of them (a
 * kiosk or a home visit) with the console's camera; the same challenge and capture as the phone
 * page, channel `kiosk`.
 */
export function KioskSurvival({ applicationId, onDone }: { applicationId: string; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [c, setC] = useState<SurvivalChallenge>();
  const [capturing, setCapturing] = useState(false);
  const [result, setResult] = useState<Result>();
  const start = async () => {
    try {
      setResult(undefined);
      setCapturing(false);
      setC(await survivalApi.startSurvival({ params: { id: applicationId } }));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const close = () => {
    setC(undefined);
    setCapturing(false);
    setResult(undefined);
    onDone();
  };
  return (
    <>
      <Button onClick={() => void start()}>{t('survival.kiosk.start')}</Button>
      <Modal open={Boolean(c)} title={t('survival.kiosk.start')} footer={null} onCancel={close} destroyOnHidden width={520}>
        {c && !capturing && !result && (
          <div data-testid="kiosk-survival-intro" style={{ fontSize: 18 }}>
            <p>{t('survival.kiosk.intro')}</p>
            <p style={{ fontSize: 24, fontWeight: 700 }}>
              1. {t(`survival.actions.${c.actions[0]}`)}　2. {t(`survival.actions.${c.actions[1]}`)}
            </p>
            <Button type="primary" size="large" onClick={() => setCapturing(true)}>
              {t('survival.page.ready')}
            </Button>
          </div>
        )}
        {c && capturing && !result && (
          <CapturePage
            c={c}
            onDone={(r) => {
              if ('error' in r) {
                message.error(r.error);
                close();
              } else setResult(r);
            }}
          />
        )}
        {result && (
          <div data-testid="kiosk-survival-result" style={{ fontSize: 18 }}>
            <p style={{ fontSize: 24, fontWeight: 700 }}>
              {result.result === 'passed' ? t('survival.page.passed') : t('survival.page.failed')}
            </p>
            {result.reason && <p>{t(`survival.reasons.${result.reason}`)}</p>}
            {result.result === 'failed' && <p>{t('survival.page.triesLeft', { n: result.triesLeft })}</p>}
            <Button onClick={close}>{t('survival.page.done')}</Button>
          </div>
        )}
      </Modal>
    </>
  );
}
