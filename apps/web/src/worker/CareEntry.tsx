import { App, Button, Card, Flex, Input, InputNumber, Segmented } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../app/problems.ts';
import { recordCare } from './care-record-queue.ts';

const big = { minHeight: 56, fontSize: 20 };
type Vitals = { systolic?: number; diastolic?: number; heartRate?: number; temperature?: number; spo2?: number };
const VITAL_FIELDS: Array<{ key: keyof Vitals; min: number; max: number; step?: number }> = [
  { key: 'systolic', min: 40, max: 300 },
  { key: 'diastolic', min: 20, max: 200 },
  { key: 'heartRate', min: 20, max: 250 },
  { key: 'temperature', min: 30, max: 45, step: 0.1 },
  { key: 'spo2', min: 50, max: 100 },
];

/**
 * A medication given (name and dose) or vital signs measured, on the nurse's phone: kept on the
 * phone with its Idempotency-Key like a tap and sent once when the network is there.
 */
export function CareEntry({ admissionId, onRecorded }: { admissionId: string; onRecorded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState<'medication' | 'vitals'>('medication');
  const [name, setName] = useState('');
  const [dose, setDose] = useState('');
  const [vitals, setVitals] = useState<Vitals>({});
  const [busy, setBusy] = useState(false);
  const ready = kind === 'medication' ? name.trim().length > 0 : Object.values(vitals).some((v) => v != null);
  const save = async () => {
    setBusy(true);
    const body =
      kind === 'medication'
        ? { admissionId, kind, item: name.trim(), dose: dose.trim() || undefined }
        : { admissionId, kind, item: 'vitals', vitals };
    const sent = await recordCare(body, (_item, err) =>
      message.error(t('institutions.round.refused', { reason: problemText(err, t) })),
    );
    setBusy(false);
    if (sent)
      message.success(t('institutions.round.recorded', { item: kind === 'medication' ? name : t('institutions.round.vitals') }));
    else message.warning(t('institutions.round.offline'));
    setName('');
    setDose('');
    setVitals({});
    onRecorded();
  };
  return (
    <Card size="small" data-testid="care-entry">
      <Flex vertical gap={10}>
        <Segmented
          block
          size="large"
          style={{ fontSize: 18 }}
          value={kind}
          onChange={(v) => setKind(v as 'medication' | 'vitals')}
          options={[
            { value: 'medication', label: t('institutions.round.medication') },
            { value: 'vitals', label: t('institutions.round.vitals') },
          ]}
        />
        {kind === 'medication' ? (
          <>
            <Input
              style={big}
              maxLength={60}
              value={name}
              placeholder={t('institutions.round.drug')}
              aria-label={t('institutions.round.drug')}
              onChange={(e) => setName(e.target.value)}
            />
            <Input
              style={big}
              maxLength={40}
              value={dose}
              placeholder={t('institutions.round.dose')}
              aria-label={t('institutions.round.dose')}
              onChange={(e) => setDose(e.target.value)}
            />
          </>
        ) : (
          VITAL_FIELDS.map((f) => (
            <Flex key={f.key} align="center" justify="space-between" style={{ fontSize: 20 }}>
              <span>{t(`institutions.round.${f.key}`)}</span>
              <InputNumber
                size="large"
                style={{ width: 140, fontSize: 20 }}
                min={f.min}
                max={f.max}
                step={f.step ?? 1}
                aria-label={t(`institutions.round.${f.key}`)}
                value={vitals[f.key] ?? null}
                onChange={(v) => setVitals((prev) => ({ ...prev, [f.key]: v ?? undefined }))}
              />
            </Flex>
          ))
        )}
        <Button type="primary" style={big} block disabled={!ready} loading={busy} onClick={save}>
          {t('institutions.round.save')}
        </Button>
      </Flex>
    </Card>
  );
}

/** A record's line on the phone: the care item, the medicine and dose, or the readings. */
export function recordText(
  r: { kind: string; item: string; data: Record<string, unknown> },
  zhOf: (code: string) => string,
  t: TFunction,
) {
  if (r.kind === 'medication') return `${t('institutions.round.medication')} ${r.item}${r.data.dose ? ` ${r.data.dose}` : ''}`;
  if (r.kind === 'vitals') {
    const v = (r.data.vitals ?? r.data) as Vitals;
    const parts = [
      v.systolic && v.diastolic ? `${t('institutions.round.bp')} ${v.systolic}/${v.diastolic}` : null,
      v.heartRate ? `${t('institutions.round.heartRate')} ${v.heartRate}` : null,
      v.temperature ? `${t('institutions.round.temperature')} ${v.temperature}` : null,
      v.spo2 ? `${t('institutions.round.spo2')} ${v.spo2}%` : null,
    ].filter(Boolean);
    return `${t('institutions.round.vitals')} ${parts.join('，')}`;
  }
  return zhOf(r.item);
}
