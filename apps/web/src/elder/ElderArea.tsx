import { SoundOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { type CSSProperties, type ReactNode, useState } from 'react';
import { Navigate } from 'react-router';
import { api } from '../app/api.ts';
import { CHANGE_PASSWORD_PATH, useAuth } from '../app/auth.tsx';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';
import type { Item, Order, Page } from '../console/service/types.ts';
import { MobileLogin } from '../worker/WorkerArea.tsx';
import { type ElderTexts, elderTexts, fill, speak } from './texts.ts';

interface Wallet {
  elderId: string;
  elderName: string;
  points: { available: number; reserved: number };
  purchaseFen: { available: number; reserved: number };
  frozen: boolean;
}

// 适老化: body ≥ 18 px (here 22), actions ≥ 24 px with ≥ 64 px touch targets, black on white / white on dark teal (contrast > 7:1).
const INK = '#111';
const BRAND = '#0b5d52';
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
const bigButton: CSSProperties = {
  display: 'block',
  width: '100%',
  minHeight: 72,
  fontSize: 28,
  fontWeight: 700,
  color: '#fff',
  background: BRAND,
  border: 'none',
  borderRadius: 14,
  margin: '12px 0',
  cursor: 'pointer',
};
const ghostButton: CSSProperties = {
  ...bigButton,
  color: BRAND,
  background: '#fff',
  border: `3px solid ${BRAND}`,
  minHeight: 64,
  fontSize: 24,
};
const box: CSSProperties = { border: `2px solid ${INK}`, borderRadius: 14, padding: 16, margin: '12px 0' };

/** Services shown first: the ones elders ask for most (Wuhan 2016 calls: housekeeping, meals, comfort). */
const FAVOURITES = ['cleaning', 'wardrobe_tidy', 'meal_delivery', 'haircut', 'companion_chat', 'repair'];

export default function ElderArea() {
  const { me, loading, login } = useAuth();
  const lang = currentLanguage();
  const tx = elderTexts[lang];
  if (loading) return null;
  if (!me) return <MobileLogin tx={tx} onLogin={login} big />;
  if (me.mustChangePassword) return <Navigate to={`${CHANGE_PASSWORD_PATH}?next=/elder`} replace />;
  return <ElderHome tx={tx} lang={lang} role={me.role} />;
}

function ReadAloud({ text, tx, lang }: { text: string; tx: ElderTexts; lang: string }) {
  return (
    <button
      type="button"
      onClick={() => speak(text, lang)}
      style={{
        ...ghostButton,
        display: 'inline-flex',
        width: 'auto',
        minHeight: 56,
        padding: '0 20px',
        alignItems: 'center',
        gap: 8,
      }}
      aria-label={tx.read}
    >
      <SoundOutlined /> {tx.read}
    </button>
  );
}

function ElderHome({ tx, lang, role }: { tx: ElderTexts; lang: string; role: string }) {
  const [screen, setScreen] = useState<'home' | 'choose' | 'confirm' | 'done'>('home');
  const [item, setItem] = useState<Item | null>(null);
  const [when, setWhen] = useState<'morning' | 'afternoon'>('morning');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const wallet = useFetch((signal) => api.get<Wallet>('/wallets/mine', undefined, { signal }), `w-${version}`);
  const items = useFetch((signal) => api.get<Page<Item>>('/service-items', undefined, { signal }), 'items');
  const today = dayjs().format('YYYY-MM-DD');
  const orders = useFetch((signal) => api.get<Page<Order>>('/service-orders', { limit: 20 }, { signal }), `o-${version}`);
  useRealtimeConnection(true);
  useRealtimeEvent('order.updated', () => setVersion((v) => v + 1));

  const w = wallet.data;
  const cleaning = items.data?.items.find((i) => i.code === 'cleaning');
  const todays = (orders.data?.items ?? []).filter(
    (o) => dayjs(o.scheduledAt).format('YYYY-MM-DD') === today && o.status !== 'cancelled',
  );
  const toRate = (orders.data?.items ?? []).find((o) => o.status === 'served');
  const favourites = FAVOURITES.map((c) => items.data?.items.find((i) => i.code === c)).filter((i): i is Item => !!i);

  const balanceText = w
    ? [
        fill(tx.balance, { points: w.points.available }),
        cleaning
          ? fill(tx.balanceWords, { n: Math.floor(w.points.available / cleaning.points), item: `${cleaning.name}（1 小时）` })
          : '',
        w.points.reserved ? fill(tx.reserved, { n: w.points.reserved }) : '',
        w.purchaseFen.available ? fill(tx.purchase, { yuan: (w.purchaseFen.available / 100).toFixed(0) }) : '',
        w.frozen ? tx.frozen : '',
      ].join('')
    : '';
  const visitText = (o: Order) =>
    `${dayjs(o.scheduledAt).format('HH:mm')} ${o.itemName}：${fill(tx.status[o.status] ?? o.status, { worker: o.workerName?.replace(/（.*）/, '') ?? '' })}`;

  const book = async () => {
    if (!w || !item) return;
    setError(null);
    const at = dayjs()
      .add(1, 'day')
      .hour(when === 'morning' ? 9 : 15)
      .minute(0)
      .second(0);
    try {
      await api.post(
        '/service-orders',
        { elderId: w.elderId, itemId: item.id, scheduledAt: at.toISOString() },
        { headers: { 'Idempotency-Key': crypto.randomUUID() } },
      );
      setScreen('done');
      setVersion((v) => v + 1);
      speak(tx.booked, lang);
    } catch (e) {
      setError(problemText(e, ((k: string) => k) as never));
    }
  };

  let body: ReactNode;
  if (screen === 'choose') {
    body = (
      <>
        <h1 style={{ fontSize: 32 }}>{tx.chooseService}</h1>
        {favourites.map((i) => (
          <button
            type="button"
            key={i.id}
            style={{ ...bigButton, textAlign: 'left', padding: '12px 20px' }}
            onClick={() => {
              setItem(i);
              setScreen('confirm');
            }}
          >
            {i.name}
            <div style={{ fontSize: 20, fontWeight: 400 }}>{fill(tx.costs, { points: i.points })}</div>
          </button>
        ))}
        <button type="button" style={ghostButton} onClick={() => setScreen('home')}>
          {tx.back}
        </button>
      </>
    );
  } else if (screen === 'confirm' && item) {
    const enough = (w?.points.available ?? 0) >= item.points;
    body = (
      <>
        <h1 style={{ fontSize: 32 }}>{item.name}</h1>
        <p>{fill(tx.costs, { points: item.points })}</p>
        <p style={{ fontWeight: 700 }}>{tx.when}</p>
        {(['morning', 'afternoon'] as const).map((k) => (
          <button
            type="button"
            key={k}
            aria-pressed={when === k}
            onClick={() => setWhen(k)}
            style={{ ...ghostButton, background: when === k ? '#e3f3ef' : '#fff', borderWidth: when === k ? 5 : 3 }}
          >
            {k === 'morning' ? tx.tomorrowMorning : tx.tomorrowAfternoon}
          </button>
        ))}
        {!enough && <p style={{ ...box, borderColor: '#a8071a', color: '#a8071a' }}>{tx.notEnough}</p>}
        {error && <p style={{ ...box, borderColor: '#a8071a', color: '#a8071a' }}>{error}</p>}
        <button type="button" style={{ ...bigButton, opacity: enough ? 1 : 0.5 }} disabled={!enough} onClick={book}>
          {tx.confirm}
        </button>
        <button type="button" style={ghostButton} onClick={() => setScreen('choose')}>
          {tx.back}
        </button>
      </>
    );
  } else if (screen === 'done') {
    body = (
      <>
        <p style={{ ...box, fontSize: 28, fontWeight: 700 }}>✓ {tx.booked}</p>
        <button type="button" style={bigButton} onClick={() => setScreen('home')}>
          {tx.home}
        </button>
      </>
    );
  } else {
    body = (
      <>
        <h1 style={{ fontSize: 32, margin: '8px 0' }}>{fill(tx.hello, { name: w?.elderName ?? '' })}</h1>
        <section style={box} aria-live="polite">
          <div style={{ fontSize: 36, fontWeight: 800 }}>{w ? fill(tx.balance, { points: w.points.available }) : '…'}</div>
          <div>{balanceText.replace(fill(tx.balance, { points: w?.points.available ?? 0 }), '')}</div>
          <ReadAloud text={balanceText} tx={tx} lang={lang} />
        </section>
        <section style={box} aria-live="polite">
          <div style={{ fontWeight: 700, fontSize: 24 }}>{tx.today}</div>
          {todays.length === 0 && <div>{tx.noVisit}</div>}
          {todays.map((o) => (
            <div key={o.id} style={{ fontSize: 24, margin: '8px 0' }}>
              {visitText(o)}
            </div>
          ))}
          <ReadAloud text={todays.length ? todays.map(visitText).join('。') : tx.noVisit} tx={tx} lang={lang} />
        </section>
        {toRate && <Rate order={toRate} tx={tx} onDone={() => setVersion((v) => v + 1)} />}
        <button type="button" style={bigButton} onClick={() => setScreen('choose')}>
          {tx.book}
        </button>
        {role === 'family' && (
          <a
            href="/family"
            style={{
              ...ghostButton,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              textAlign: 'center',
              textDecoration: 'none',
              boxSizing: 'border-box',
            }}
          >
            {tx.familySafety}
          </a>
        )}
      </>
    );
  }
  return <main style={page}>{body}</main>;
}

function Rate({ order, tx, onDone }: { order: Order; tx: ElderTexts; onDone(): void }) {
  const [done, setDone] = useState(false);
  if (done) return <p style={box}>{tx.thanks}</p>;
  return (
    <section style={box}>
      <div style={{ fontWeight: 700 }}>
        {tx.rate}：{order.itemName}
      </div>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            key={n}
            aria-label={fill(tx.stars, { n })}
            style={{
              minWidth: 72,
              minHeight: 72,
              fontSize: 32,
              border: `3px solid ${BRAND}`,
              borderRadius: 12,
              background: '#fff',
              color: '#b45309',
            }}
            onClick={async () => {
              await api.post(`/service-orders/${order.id}/rate`, { score: n });
              setDone(true);
              onDone();
            }}
          >
            {'★'.repeat(1)}
            <span style={{ fontSize: 22, color: INK }}>{n}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
