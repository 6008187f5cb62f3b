import { LogoutOutlined } from '@ant-design/icons';
import type { Me, Meal } from '@zhiyang/shared';
import { App, Button } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { kioskApi } from './api.ts';
import { CameraScreen, type LookupMode } from './CameraScreen.tsx';
import { KIOSK_CSS } from './kiosk-css.ts';
import { LookupScreen } from './LookupScreen.tsx';
import { type Ordered, OrderScreen } from './OrderScreen.tsx';
import { flushMeals, isWaiting, waitingMeals } from './queue.ts';
import { bigButton, FONT, panel, yuan } from './style.ts';

type Screen =
  | { kind: 'camera' }
  | { kind: 'lookup'; mode: LookupMode; photo: string | null; notice?: string }
  | { kind: 'order'; elder: { id: string; name: string } }
  | { kind: 'done'; ordered: Ordered };

/**
 * The canteen kiosk (/kiosk, "刷脸吃饭"), signed in as the canteen's staff on a tablet at the
 * counter: camera → the elder identified among this canteen's enrolled elders → "张秀英 您好"
 * with the subsidy and balance → dishes, recommended first → confirm → the ticket number.
 * Fallbacks: second factor, card or ID number, staff search. Meals that cannot reach the server
 * wait in the offline queue with their key and time and are sent when the network returns.
 */
export default function KioskArea() {
  return (
    <MobileGate area="kiosk" path="/kiosk" big>
      {(me) => <Kiosk me={me} />}
    </MobileGate>
  );
}

function Kiosk({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const { message } = App.useApp();
  const canteenId = me.role === 'canteen_staff' ? me.orgId : null;
  const canteen = useFetch(
    (signal) => (canteenId ? kioskApi.getCanteen({ params: { id: canteenId }, signal }) : Promise.resolve(null)),
    `kiosk-canteen-${canteenId}`,
  );
  const [screen, setScreen] = useState<Screen>({ kind: 'camera' });
  const [online, setOnline] = useState(navigator.onLine);
  const [waiting, setWaiting] = useState(waitingMeals().length);
  // Meals the queue sent after the network returned, by key: the ticket a waiting elder is given.
  const [sent, setSent] = useState<Record<string, Meal>>({});

  const flush = useCallback(async () => {
    const before = waitingMeals().length;
    await flushMeals(
      (m, meal) => setSent((all) => ({ ...all, [m.key]: meal })),
      (m, err) => message.error(t('kiosk.refused', { name: m.elderName, why: problemText(err, t) })),
    );
    const now = waitingMeals().length;
    setWaiting(now);
    if (now < before) message.success(t('kiosk.sentLater', { n: before - now }));
  }, [message, t]);
  useEffect(() => {
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    // Another window of the kiosk on this device queued or sent a meal.
    const stored = () => setWaiting(waitingMeals().length);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    window.addEventListener('storage', stored);
    // At start, what a reload or a closed tab left waiting; then now and then, also without an 'online' event.
    if (waitingMeals().length && navigator.onLine) void flush();
    const timer = window.setInterval(() => {
      if (waitingMeals().length && navigator.onLine) void flush();
    }, 15_000);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.removeEventListener('storage', stored);
      window.clearInterval(timer);
    };
  }, [flush]);

  return (
    <div className="zy-kiosk" style={{ fontSize: FONT }}>
      <style>{KIOSK_CSS}</style>
      <header className="kiosk-head">
        <span style={{ fontSize: 30, fontWeight: 700 }}>{canteen.data?.name ?? t('kiosk.title')}</span>
        <span style={{ flex: 1 }} />
        {!online && (
          <span role="status" className="kiosk-pill is-off">
            {t('kiosk.offline')}
          </span>
        )}
        {waiting > 0 && (
          <span role="status" className="kiosk-pill">
            {t('kiosk.waiting', { n: waiting })}
          </span>
        )}
        <Button icon={<LogoutOutlined />} style={{ ...bigButton, minWidth: 0 }} onClick={() => void logout()}>
          {t('kiosk.logout')}
        </Button>
      </header>
      <main className="kiosk-main">
        {!canteenId ? (
          <div style={{ ...panel, fontSize: 26 }}>{t('kiosk.notCanteen')}</div>
        ) : screen.kind === 'camera' ? (
          <CameraScreen
            canteenId={canteenId}
            onIdentified={(elder) => setScreen({ kind: 'order', elder })}
            onLookup={(mode, photo, notice) => setScreen({ kind: 'lookup', mode, photo, notice })}
          />
        ) : screen.kind === 'lookup' ? (
          <LookupScreen
            canteenId={canteenId}
            mode={screen.mode}
            photo={screen.photo}
            notice={screen.notice}
            onFound={(elder) => setScreen({ kind: 'order', elder })}
            onBack={() => setScreen({ kind: 'camera' })}
          />
        ) : screen.kind === 'order' ? (
          <OrderScreen
            canteenId={canteenId}
            elder={screen.elder}
            onDone={(ordered) => {
              setWaiting(waitingMeals().length);
              setScreen({ kind: 'done', ordered });
            }}
            onCancel={() => setScreen({ kind: 'camera' })}
          />
        ) : (
          <Done
            ordered={screen.ordered}
            meal={screen.ordered.meal ?? sent[screen.ordered.key] ?? null}
            waiting={waiting}
            onNext={() => setScreen({ kind: 'camera' })}
          />
        )}
      </main>
    </div>
  );
}

/**
 * The ticket number, large — or, offline, the meal kept for later with what was chosen; the ticket
 * appears when the queue has sent it (or "已提交" when another window of the kiosk sent it).
 */
function Done({ ordered, meal, waiting, onNext }: { ordered: Ordered; meal: Meal | null; waiting: number; onNext(): void }) {
  const { t } = useTranslation();
  const still = isWaiting(ordered.key);
  return (
    <div style={{ ...panel, textAlign: 'center', maxWidth: 760, margin: '0 auto', width: '100%' }}>
      <div style={{ fontSize: 30 }}>{ordered.elderName}</div>
      {meal ? (
        <>
          <div style={{ fontSize: 30, marginTop: 8 }}>{t('kiosk.ticket')}</div>
          <div className="kiosk-ticket">{meal.ticketNo}</div>
          <div style={{ fontSize: 26 }}>
            {t('kiosk.ticketDetail', { subsidy: yuan(meal.subsidyFen), self: yuan(meal.selfPayFen) })}
          </div>
        </>
      ) : !still ? (
        <div style={{ fontSize: 36, fontWeight: 700, color: '#0f7b6c', marginTop: 16 }}>{t('kiosk.sentElsewhere')}</div>
      ) : (
        <>
          <div style={{ fontSize: 36, fontWeight: 700, color: '#ad4e00', marginTop: 16 }}>{t('kiosk.queuedTitle')}</div>
          <div style={{ fontSize: 24, marginTop: 8 }}>{t('kiosk.queuedDetail', { n: waiting })}</div>
        </>
      )}
      <div style={{ fontSize: 26, margin: '16px 0' }}>{ordered.items.map((i) => `${i.name} × ${i.qty}`).join('，')}</div>
      <Button type="primary" style={{ ...bigButton, minWidth: 240 }} onClick={onNext}>
        {t('kiosk.next')}
      </Button>
    </div>
  );
}
