import { INCIDENT_KIND_LABELS_ZH, INCIDENT_SEVERITY_LABELS_ZH, NURSING_LEVEL_LABELS_ZH } from '@zhiyang/shared';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { institutionsApi } from '../api/institutions.ts';
import { useRealtimeEvent } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';

const card = { background: '#fff', borderRadius: 12, padding: 16, margin: '12px 0', fontSize: 20, lineHeight: 1.6 } as const;

/**
 * The family's card of their elder's stay in an institution, in large type: where (institution,
 * bed, nursing level), today's care (each planned item done n of m, the medicines and readings)
 * and the institution's notices of incidents. Nothing when the elder is not in an institution.
 */
export function FamilyStayCard() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  useRealtimeEvent('institution.care-recorded', () => setVersion((v) => v + 1));
  const res = useFetch((signal) => institutionsApi.familyStay({ signal }), `stay-${version}`);
  const stay = res.data?.stay;
  if (!stay) return null;
  return (
    <section style={card} data-testid="family-stay">
      <h2 style={{ fontSize: 26, margin: '0 0 8px' }}>{t('family.stay.title')}</h2>
      <div>
        {stay.institution} · {stay.bed}
      </div>
      <div>{stay.nursingLevel ? NURSING_LEVEL_LABELS_ZH[stay.nursingLevel] : ''}</div>
      <h3 style={{ fontSize: 22, margin: '12px 0 4px' }}>{t('family.stay.today')}</h3>
      {stay.today.plan.map((p) => (
        <div key={p.code} style={{ display: 'flex', justifyContent: 'space-between' }}>
          <span>{p.zh}</span>
          <span style={{ color: p.done >= p.perDay ? '#1f7a4d' : '#444' }}>
            {t('family.stay.times', { done: p.done, perDay: p.perDay })}
          </span>
        </div>
      ))}
      {stay.today.records
        .filter((r) => r.kind !== 'care')
        .map((r) => (
          <div key={r.id} style={{ color: '#444' }}>
            {dayjs(r.doneAt).format('HH:mm')}{' '}
            {r.kind === 'medication'
              ? `${t('family.stay.medication')} ${r.item}${r.data.dose ? ` ${String(r.data.dose)}` : ''}`
              : vitalsText(r.data, t)}
          </div>
        ))}
      {stay.today.records.length === 0 && <div style={{ color: '#666' }}>{t('family.stay.noRecords')}</div>}
      <h3 style={{ fontSize: 22, margin: '12px 0 4px' }}>{t('family.stay.notices')}</h3>
      {stay.incidents.length === 0 && <div style={{ color: '#666' }}>{t('family.stay.noNotices')}</div>}
      {stay.incidents.map((i) => (
        <div key={i.id} style={{ borderTop: '1px solid #eee', padding: '6px 0' }}>
          <strong>
            {dayjs(i.occurredAt).format('M月D日 HH:mm')} {INCIDENT_KIND_LABELS_ZH[i.kind]}（
            {INCIDENT_SEVERITY_LABELS_ZH[i.severity]}）
          </strong>
          <div>{i.description}</div>
          {i.actionTaken && <div style={{ color: '#444' }}>{t('family.stay.action', { text: i.actionTaken })}</div>}
        </div>
      ))}
    </section>
  );
}

function vitalsText(data: Record<string, unknown>, t: TFunction) {
  const v = (data.vitals ?? {}) as Record<string, number | undefined>;
  const parts = [
    v.systolic && v.diastolic ? `${t('family.stay.bp')} ${v.systolic}/${v.diastolic}` : null,
    v.heartRate ? `${t('family.stay.heartRate')} ${v.heartRate}` : null,
    v.temperature ? `${t('family.stay.temperature')} ${v.temperature}` : null,
    v.spo2 ? `${t('family.stay.spo2')} ${v.spo2}%` : null,
  ].filter(Boolean);
  return `${t('family.stay.vitals')} ${parts.join('，')}`;
}
