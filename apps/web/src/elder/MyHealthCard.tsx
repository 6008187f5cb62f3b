import type { HealthSummary, VitalTrends } from '@zhiyang/shared';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthRecordsApi } from '../api/health-records.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { BRAND, box, ghostButton, INK } from './styles.ts';

type Sign = 'bp' | 'heart_rate' | 'spo2' | 'glucose' | 'temperature' | 'resp_rate';
const SIGNS: Sign[] = ['bp', 'heart_rate', 'spo2', 'glucose', 'temperature', 'resp_rate'];
const h3 = { fontSize: 24, margin: '14px 0 4px' } as const;

/** A small line of the daily averages (no axes: the number beside it is what the elder reads). */
function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return null;
  const w = 140;
  const h = 40;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pts = values.map((v, i) => `${(i / (values.length - 1)) * w},${h - 4 - ((v - min) / span) * (h - 8)}`).join(' ');
  return (
    <svg width={w} height={h} role="img" aria-label={label} style={{ flexShrink: 0 }}>
      <polyline points={pts} fill="none" stroke={BRAND} strokeWidth={3} strokeLinejoin="round" />
    </svg>
  );
}

/**
 * 健康档案 on the elder's and the family's phone page: read only when opened (every read is
 * audited on the server), then the family doctor, the latest reading of each sign with its
 * 30-day line, chronic conditions, allergies and the medicines taken.
 */
export function MyHealthCard({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section style={box} data-testid="health-record">
      <div style={{ fontWeight: 700, fontSize: 24 }}>{t('phoneHealth.record')}</div>
      <button type="button" style={ghostButton} onClick={() => setOpen((o) => !o)} data-testid="open-health">
        {open ? t('phoneHealth.closeRecord') : t('phoneHealth.openRecord')}
      </button>
      {open && <HealthRecord elderId={elderId} />}
    </section>
  );
}

function HealthRecord({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const summary = useFetch(
    (signal) => healthRecordsApi.getHealth({ params: { id: elderId }, query: {}, signal }),
    `hs-${elderId}`,
  );
  const trends = useFetch(
    (signal) => healthRecordsApi.getVitals({ params: { id: elderId }, query: { days: 30 }, signal }),
    `hv-${elderId}`,
  );
  if (summary.error !== undefined) return <p>{problemText(summary.error, t)}</p>;
  const s = summary.data;
  if (!s) return <p>{t('phoneHealth.loading')}</p>;
  return (
    <div>
      <FamilyDoctor doctor={s.familyDoctor ?? null} />
      <h3 style={h3}>{t('phoneHealth.vitals')}</h3>
      <Vitals latest={s.latest} series={trends.data?.series ?? []} />
      <h3 style={h3}>{t('phoneHealth.conditions')}</h3>
      <div data-testid="health-conditions">{s.chronicConditions.join('、') || t('phoneHealth.none')}</div>
      <h3 style={h3}>{t('phoneHealth.allergies')}</h3>
      <div>{s.allergies.join('、') || t('phoneHealth.none')}</div>
      <h3 style={h3}>{t('phoneHealth.medications')}</h3>
      {s.medications.filter((m) => !m.endedOn || m.endedOn >= dayjs().format('YYYY-MM-DD')).length === 0 && (
        <div>{t('phoneHealth.none')}</div>
      )}
      {s.medications
        .filter((m) => !m.endedOn || m.endedOn >= dayjs().format('YYYY-MM-DD'))
        .map((m) => (
          <div key={m.id} data-testid="health-medication">
            {t('phoneHealth.medicationLine', { name: m.name, dose: m.dose ?? '', frequency: m.frequency ?? '' }).trim()}
          </div>
        ))}
    </div>
  );
}

function FamilyDoctor({ doctor }: { doctor: NonNullable<HealthSummary['familyDoctor']> | null }) {
  const { t } = useTranslation();
  return (
    <>
      <h3 style={h3}>{t('phoneHealth.familyDoctor')}</h3>
      {!doctor && <div>{t('phoneHealth.noDoctor')}</div>}
      {doctor && (
        <div data-testid="health-doctor">
          <div style={{ fontWeight: 700 }}>{t('phoneHealth.doctorLine', { team: doctor.teamName, org: doctor.orgName })}</div>
          {doctor.leaderName && <div>{t('phoneHealth.leader', { name: doctor.leaderName })}</div>}
          <div>
            {t('phoneHealth.packageLine', {
              pkg: t(`phoneHealth.packages.${doctor.package}`),
              day: dayjs(doctor.endsOn).format('YYYY年M月D日'),
            })}
          </div>
          {doctor.orgPhone && (
            <a
              href={`tel:${doctor.orgPhone.replace(/[^\d+]/g, '')}`}
              style={{ ...ghostButton, display: 'flex', alignItems: 'center', justifyContent: 'center', textDecoration: 'none' }}
            >
              {t('phoneHealth.callDoctor', { phone: doctor.orgPhone })}
            </a>
          )}
        </div>
      )}
    </>
  );
}

function Vitals({ latest, series }: { latest: HealthSummary['latest']; series: VitalTrends['series'] }) {
  const { t } = useTranslation();
  const last = new Map(latest.map((l) => [l.code, l]));
  const line = (code: string) => series.find((x) => x.code === code)?.points.map((p) => p.avg) ?? [];
  const fmt = (code: string, v: number) => (code === 'glucose' || code === 'temperature' ? v.toFixed(1) : String(Math.round(v)));
  interface Row {
    sign: Sign;
    value: string;
    at: string;
    line: number[];
  }
  const rows = SIGNS.flatMap((sign): Row[] => {
    if (sign === 'bp') {
      const sys = last.get('systolic');
      const dia = last.get('diastolic');
      if (!sys) return [];
      return [
        {
          sign,
          value: `${Math.round(sys.value)}/${dia ? Math.round(dia.value) : '—'}`,
          at: sys.observedAt,
          line: line('systolic'),
        },
      ];
    }
    const l = last.get(sign);
    return l ? [{ sign, value: fmt(sign, l.value), at: l.observedAt, line: line(sign) }] : [];
  });
  if (!rows.length) return <div>{t('phoneHealth.noVitals')}</div>;
  return (
    <>
      {rows.map((r) => (
        <div
          key={r.sign}
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
            padding: '6px 0',
            borderBottom: '1px solid #ccc',
          }}
          data-testid="health-vital"
        >
          <div>
            <div style={{ fontWeight: 700, color: INK }}>
              {t(`phoneHealth.signs.${r.sign}` as const)} <span style={{ fontSize: 28 }}>{r.value}</span>{' '}
              <span style={{ fontSize: 22 }}>{t(`phoneHealth.units.${r.sign}` as const)}</span>
            </div>
            <div style={{ fontSize: 22 }}>{t('phoneHealth.measuredAt', { day: dayjs(r.at).format('M月D日 HH:mm') })}</div>
          </div>
          <Sparkline values={r.line} label={`${t(`phoneHealth.signs.${r.sign}` as const)} ${t('phoneHealth.trend')}`} />
        </div>
      ))}
    </>
  );
}
