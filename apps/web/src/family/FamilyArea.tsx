import dayjs from 'dayjs';
import type { CSSProperties } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { familySafetyApi } from '../api/notifications.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent, useRealtimeStatus } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';
import { CallCentreButton } from '../common/CallCentreButton.tsx';
import { MobileGate } from '../common/MobileLogin.tsx';
import { MyAllowance } from '../console/allowances/MyAllowance.tsx';
import { MyPrivilegeCard } from '../console/privilege-cards/MyPrivilegeCard.tsx';
import { FamilyBedCard } from '../elder/FamilyBedCard.tsx';
import { HomeVisitCard } from '../elder/HomeVisitCard.tsx';
import { MealDeliveryCard } from '../elder/MealDeliveryCard.tsx';
import { MyHealthCard } from '../elder/MyHealthCard.tsx';
import { VolunteerServedCard } from '../elder/VolunteerServedCard.tsx';
import { FamilyServices } from './FamilyServices.tsx';
import { FamilyStayCard } from './FamilyStayCard.tsx';

// 适老化 as on the elder page: body 22 px, actions ≥ 24 px with ≥ 64 px targets, near-black on
// white, white on dark red / dark teal (contrast > 7:1).
const INK = '#111';
const BRAND = '#0b5d52';
const ALARM = '#a8071a';
const page: CSSProperties = {
  maxWidth: 560,
  margin: '0 auto',
  padding: 16,
  fontSize: 22,
  lineHeight: 1.5,
  color: INK,
  background: '#fff',
  minHeight: '100vh',
};
const box: CSSProperties = { border: `2px solid ${INK}`, borderRadius: 14, padding: 16, margin: '12px 0' };
const h2: CSSProperties = { fontSize: 26, margin: '20px 0 4px' };
const action: CSSProperties = {
  minHeight: 64,
  padding: '0 24px',
  fontSize: 24,
  fontWeight: 700,
  color: '#fff',
  background: BRAND,
  border: 'none',
  borderRadius: 12,
  cursor: 'pointer',
};
const STATE_COLOUR = { ok: BRAND, offline: ALARM, low_battery: '#874d00', not_worn: '#874d00' } as const;

/** /family — what a family member needs to know about their elder's safety, on a phone. */
export default function FamilyArea() {
  const { t } = useTranslation();
  return (
    <MobileGate area="family" path="/family" big>
      {(me) =>
        me.role === 'family' ? (
          <FamilyHome />
        ) : (
          <main style={page}>
            <p style={box}>{t('family.notFamily')}</p>
          </main>
        )
      }
    </MobileGate>
  );
}

function FamilyHome() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  useRealtimeConnection(true);
  const status = useRealtimeStatus();
  // The server only nudges ("something changed"); the page reads its own scoped view again.
  useRealtimeEvent('family.safety', () => setVersion((v) => v + 1));
  useRealtimeEvent('order.updated', () => setVersion((v) => v + 1));
  const elders = useFetch((signal) => familySafetyApi.listElders({ signal }), 'e');
  const list = elders.data?.items;
  return (
    <main style={page}>
      <h1 style={{ fontSize: 32, margin: '8px 0' }}>{t('family.title')}</h1>
      <div style={{ fontSize: 22, color: status === 'open' ? BRAND : ALARM }} data-testid="family-live">
        {status === 'open' ? `● ${t('family.live')}` : `○ ${t('family.reconnecting')}`}
      </div>
      {list?.length === 0 && <p style={box}>{t('family.noElder')}</p>}
      <CallCentreButton />
      {list?.map((e) => (
        <div key={e.id}>
          <ElderSafety elderId={e.id} version={version} />
          <FamilyServices elderId={e.id} version={version} />
          <HomeVisitCard elderId={e.id} />
          <MyHealthCard elderId={e.id} />
          <MealDeliveryCard elderId={e.id} who="family" />
          <MyAllowance />
          <MyPrivilegeCard />
        </div>
      ))}
      {/* The family account's elder's stay in an institution (the API answers for the bound elder). */}
      {/* The bound elder's family care bed (the API answers for the bound elder). */}
      {!!list?.length && <FamilyBedCard />}
      {!!list?.length && <FamilyStayCard />}
      {/* A volunteer's visit to the bound elder, for the family to confirm or dispute. */}
      {!!list?.length && <VolunteerServedCard />}
    </main>
  );
}

function ElderSafety({ elderId, version }: { elderId: string; version: number }) {
  const { t } = useTranslation();
  const [local, setLocal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const res = useFetch((signal) => familySafetyApi.safety({ params: { elderId }, signal }), `${elderId}-${version}-${local}`);
  const s = res.data;
  if (res.error !== undefined) return <p style={box}>{problemText(res.error, t)}</p>;
  if (!s) return <p style={box}>…</p>;
  const when = (iso: string) => dayjs(iso).format(currentLanguage() === 'en-US' ? 'MMM D, HH:mm' : 'M月D日 HH:mm');
  const typeName = (x: string) => t(`safety.type.${x}` as never, { defaultValue: x });
  const urgent = s.openAlarms.filter((a) => a.priority !== 'P3');
  const technical = s.openAlarms.filter((a) => a.priority === 'P3');
  const markRead = async (id: string) => {
    try {
      await familySafetyApi.markNoticeRead({ params: { id } });
      setLocal((v) => v + 1);
    } catch (e) {
      setError(problemText(e, t));
    }
  };

  return (
    <section data-testid="family-elder">
      {urgent.length === 0 ? (
        <div style={{ ...box, borderColor: BRAND, fontSize: 24, fontWeight: 700, color: BRAND }} data-testid="family-status">
          ✓ {t('family.safe', { name: s.elder.name })}
        </div>
      ) : (
        <div
          style={{ ...box, background: ALARM, borderColor: ALARM, color: '#fff' }}
          role="alert"
          aria-live="assertive"
          data-testid="family-status"
        >
          <div style={{ fontSize: 26, fontWeight: 800 }}>⚠ {t('family.alarmNow', { name: s.elder.name })}</div>
          {urgent.map((a) => (
            <div key={a.id} style={{ marginTop: 8 }}>
              <div style={{ fontSize: 24, fontWeight: 700 }}>
                {typeName(a.type)} · {t('family.since', { time: when(a.raisedAt) })}
              </div>
              <div>{a.handledBy ? t('family.handledBy', { name: a.handledBy }) : t('family.raised')}</div>
              {a.responder && (
                <div>
                  {t(`family.responder.${a.responder.status}` as never, {
                    name: a.responder.name,
                    defaultValue: t('family.responder.offered', { name: a.responder.name }),
                  })}
                </div>
              )}
            </div>
          ))}
        </div>
      )}
      {technical.length > 0 && (
        <div style={{ ...box, borderColor: '#874d00' }}>
          <strong>{t('family.deviceNotice')}：</strong>
          {technical.map((a) => `${typeName(a.type)}（${when(a.raisedAt)}）`).join('；')}
        </div>
      )}

      <h2 style={h2}>{t('family.notices')}</h2>
      {error && <p style={{ color: ALARM }}>{error}</p>}
      {s.noticesNeedPhone && <p>{t('family.needPhone')}</p>}
      {!s.noticesNeedPhone && s.notices.length === 0 && <p>{t('family.noNotices')}</p>}
      {s.notices.map((n) => (
        <div key={n.id} style={{ ...box, borderWidth: n.readAt ? 1 : 3 }} data-testid="family-notice">
          <div style={{ fontSize: 22 }}>
            {when(n.createdAt)} · {n.readAt ? t('family.wasRead') : <strong>{t('family.unread')}</strong>}
          </div>
          <div style={{ fontWeight: n.readAt ? 400 : 700 }}>{n.body}</div>
          {!n.readAt && (
            <button type="button" style={{ ...action, marginTop: 8 }} onClick={() => void markRead(n.id)}>
              {t('family.read')}
            </button>
          )}
        </div>
      ))}

      <h2 style={h2}>{t('family.devices')}</h2>
      {s.devices.length === 0 && <p>{t('family.noDevices')}</p>}
      {s.devices.map((d) => (
        <div key={d.id} style={{ ...box, display: 'flex', justifyContent: 'space-between', gap: 12 }} data-testid="family-device">
          <strong style={{ flexShrink: 0 }}>{t(`safety.devices.types.${d.type}` as never, { defaultValue: d.type })}</strong>
          <span style={{ color: STATE_COLOUR[d.state], fontWeight: 700, textAlign: 'right' }}>
            {t(`family.deviceState.${d.state}`)}
            {d.state === 'not_worn' && d.notWornSince ? ` ${t('family.notWornSince', { time: when(d.notWornSince) })}` : ''}
            {d.state === 'offline' && d.lastSeenAt ? `（${t('family.lastSeen', { time: when(d.lastSeenAt) })}）` : ''}
            {d.battery !== null && d.state !== 'offline' ? `（${t('family.battery', { n: d.battery })}）` : ''}
          </span>
        </div>
      ))}

      <h2 style={h2}>{t('family.recent')}</h2>
      {s.recentAlarms.length === 0 && <p>{t('family.noRecent')}</p>}
      {s.recentAlarms.map((a) => (
        <div key={a.id} style={{ borderBottom: '1px solid #999', padding: '8px 0' }} data-testid="family-recent">
          {when(a.raisedAt)} · {typeName(a.type)} ·{' '}
          {t('family.resolvedWith', {
            outcome: a.outcome ? t(`safety.outcome.${a.outcome}` as never, { defaultValue: a.outcome }) : '—',
          })}
        </div>
      ))}
    </section>
  );
}
