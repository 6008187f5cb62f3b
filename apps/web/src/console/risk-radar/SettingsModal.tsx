import { RISK_SIGNALS, type RiskSettings, type RiskThresholds, type RiskWeights } from '@zhiyang/shared';
import { App, Col, Divider, InputNumber, Modal, Row, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { riskRadarApi } from '../../api/risk-radar.ts';
import { ApiError } from '../../app/api.ts';
import { problemText } from '../../app/problems.ts';

const THRESHOLDS: Array<keyof RiskThresholds> = [
  'levelWatch',
  'levelHigh',
  'levelTop',
  'mealWindowDays',
  'inactivityHours',
  'notWornDays',
  'lowBatteryPercent',
  'lowBatteryDays',
  'alarmWindowDays',
  'alarmCap',
  'callWindowDays',
  'unansweredDials',
  'orderWindowDays',
  'cancelledOrders',
  'abilityWindowDays',
  'hospitalWindowDays',
  'visitWindowDays',
];

/**
 * 权重设置 (the bureau): the district's weight per signal and the thresholds, as the server keeps
 * them per district; a value the server refuses is shown on its field. Applies from the next scoring.
 */
export function SettingsModal({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [settings, setSettings] = useState<RiskSettings>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setErrors({});
    setError(undefined);
    const ctl = new AbortController();
    riskRadarApi.getSettings({ query: {}, signal: ctl.signal }).then(setSettings, (e) => setError(problemText(e, t)));
    return () => ctl.abort();
  }, [open, t]);
  const setWeight = (k: keyof RiskWeights, v: number | null) =>
    settings && setSettings({ ...settings, weights: { ...settings.weights, [k]: v ?? 0 } });
  const setThreshold = (k: keyof RiskThresholds, v: number | null) =>
    settings && setSettings({ ...settings, thresholds: { ...settings.thresholds, [k]: v ?? 0 } });
  const save = async () => {
    if (!settings) return;
    setBusy(true);
    await riskRadarApi
      .setSettings({ body: { districtCode: settings.districtCode, weights: settings.weights, thresholds: settings.thresholds } })
      .then(
        () => {
          message.success(t('riskRadar.settings.saved'));
          onSaved();
        },
        (e) => {
          const fields = e instanceof ApiError ? (e.problem.errors ?? []) : [];
          setErrors(Object.fromEntries(fields.map((f) => [f.path.split('.').pop() ?? '', t('riskRadar.settings.invalid')])));
          setError(problemText(e, t));
        },
      );
    setBusy(false);
  };
  return (
    <Modal
      open={open}
      width={760}
      title={settings ? t('riskRadar.settings.title', { name: settings.districtName }) : t('riskRadar.settings.titleShort')}
      okText={t('riskRadar.settings.save')}
      cancelText={t('riskRadar.cancel')}
      confirmLoading={busy}
      onOk={save}
      onCancel={onClose}
      destroyOnHidden
    >
      {!settings ? (
        error ? (
          <Typography.Text type="danger">{error}</Typography.Text>
        ) : (
          <Spin />
        )
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('riskRadar.settings.hint')}</Typography.Paragraph>
          <Divider titlePlacement="start" plain>
            {t('riskRadar.settings.weights')}
          </Divider>
          <Row gutter={[16, 8]}>
            {RISK_SIGNALS.map((k) => (
              <Col span={12} key={k}>
                <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                  <span>{t(`riskRadar.signalNames.${k}`)}</span>
                  <InputNumber
                    aria-label={t(`riskRadar.signalNames.${k}`)}
                    min={0}
                    max={100}
                    value={settings.weights[k]}
                    onChange={(v) => setWeight(k, v)}
                    addonAfter={t('riskRadar.settings.pointsUnit')}
                    status={errors[k] ? 'error' : undefined}
                    style={{ width: 130 }}
                  />
                </div>
              </Col>
            ))}
          </Row>
          <Divider titlePlacement="start" plain>
            {t('riskRadar.settings.thresholds')}
          </Divider>
          <Row gutter={[16, 8]}>
            {THRESHOLDS.map((k) => (
              <Col span={12} key={k}>
                <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                  <span>{t(`riskRadar.thresholdNames.${k}`)}</span>
                  <InputNumber
                    aria-label={t(`riskRadar.thresholdNames.${k}`)}
                    min={1}
                    value={settings.thresholds[k]}
                    onChange={(v) => setThreshold(k, v)}
                    status={errors[k] ? 'error' : undefined}
                    style={{ width: 110 }}
                  />
                </div>
              </Col>
            ))}
          </Row>
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
        </>
      )}
    </Modal>
  );
}
