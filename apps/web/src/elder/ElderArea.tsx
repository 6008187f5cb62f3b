import { SoundOutlined } from '@ant-design/icons';
import type { BookableItem, ServiceOrder as Order } from '@zhiyang/shared';
import dayjs from 'dayjs';
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../api/booking.ts';
import { ordersApi } from '../api/orders.ts';
import { walletsApi } from '../api/wallets.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';
import { useFetch } from '../app/useFetch.ts';
import { CallCentreButton } from '../common/CallCentreButton.tsx';
import { MobileGate } from '../common/MobileLogin.tsx';
import { MyAllowance } from '../console/allowances/MyAllowance.tsx';
import { MyPrivilegeCard } from '../console/privilege-cards/MyPrivilegeCard.tsx';
import { ChooseSlot, type Slot } from './ChooseSlot.tsx';
import { FamilyBedCard } from './FamilyBedCard.tsx';
import { HomeVisitCard } from './HomeVisitCard.tsx';
import { MealDeliveryCard } from './MealDeliveryCard.tsx';
import { MyBookings } from './MyBookings.tsx';
import { MyHealthCard } from './MyHealthCard.tsx';
import { SosButton } from './SosButton.tsx';
import { speak } from './speak.ts';
import { BRAND, bigButton, box, ghostButton, INK, page, whenText } from './styles.ts';
import { VolunteerServedCard } from './VolunteerServedCard.tsx';

/** Services shown first: the ones elders ask for most (Wuhan 2016 calls: housekeeping, meals, comfort). */
const FAVOURITES = ['cleaning', 'wardrobe_tidy', 'meal_delivery', 'haircut', 'companion_chat', 'repair'];

export default function ElderArea() {
  return (
    <MobileGate area="elderHome" path="/elder" big>
      {(me) => <ElderHome role={me.role} />}
    </MobileGate>
  );
}

function ReadAloud({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      onClick={() => speak(text, currentLanguage())}
      style={{
        ...ghostButton,
        display: 'inline-flex',
        width: 'auto',
        minHeight: 56,
        padding: '0 20px',
        alignItems: 'center',
        gap: 8,
      }}
      aria-label={t('elderHome.read')}
    >
      <SoundOutlined /> {t('elderHome.read')}
    </button>
  );
}

function ElderHome({ role }: { role: string }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<'home' | 'choose' | 'confirm' | 'done' | 'mine'>('home');
  const [item, setItem] = useState<BookableItem | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [bookedText, setBookedText] = useState('');
  const chooseSlot = useCallback((x: Slot | null) => setSlot(x), []);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const wallet = useFetch((signal) => walletsApi.myWallet({ signal }), `w-${version}`);
  // The services the elder's policies cover (paid with points or purchased credit), then the self-paid rest.
  const elderId = wallet.data?.elderId;
  const items = useFetch(
    (signal) => (elderId ? bookingApi.bookableItems({ query: { elderId }, signal }) : Promise.resolve({ items: [], total: 0 })),
    `items-${elderId ?? ''}`,
  );
  const today = dayjs().format('YYYY-MM-DD');
  const orders = useFetch((signal) => ordersApi.listOrders({ query: { limit: 50 }, signal }), `o-${version}`);
  useRealtimeConnection(true);
  useRealtimeEvent('order.updated', () => setVersion((v) => v + 1));

  const w = wallet.data;
  const cleaning = items.data?.items.find((i) => i.code === 'cleaning' && i.payment === 'points');
  const todays = (orders.data?.items ?? []).filter(
    (o) => dayjs(o.scheduledAt).format('YYYY-MM-DD') === today && o.status !== 'cancelled',
  );
  const toRate = (orders.data?.items ?? []).find((o) => o.status === 'served');
  // What the subsidy pays for, the elder's favourites first; then what the elder would pay for.
  const covered = (items.data?.items ?? []).filter((i) => i.payment !== 'self');
  const favourites = [
    ...FAVOURITES.map((c) => covered.find((i) => i.code === c)).filter((i): i is BookableItem => !!i),
    ...covered.filter((i) => !FAVOURITES.includes(i.code)),
  ];
  const selfPaid = (items.data?.items ?? []).filter((i) => i.payment === 'self');
  const costText = (i: BookableItem) =>
    i.ltc
      ? t('phoneHealth.ltcPays', { pct: i.ltc.payPercent, yuan: (i.ltc.copayFen / 100).toFixed(0) })
      : i.payment === 'points'
        ? t('elderHome.costs', { points: i.points })
        : i.payment === 'purchase'
          ? t('elderHome.costsPurchase')
          : t('elderHome.costsSelf', { yuan: (i.refPriceFen / 100).toFixed(0) });

  const balanceText = w
    ? [
        t('elderHome.balance', { points: w.points.available }),
        cleaning
          ? t('elderHome.balanceWords', {
              n: Math.floor(w.points.available / cleaning.points),
              item: `${cleaning.name}（1 小时）`,
            })
          : '',
        w.points.reserved ? t('elderHome.reserved', { n: w.points.reserved }) : '',
        w.purchaseFen.available ? t('elderHome.purchase', { yuan: (w.purchaseFen.available / 100).toFixed(0) }) : '',
        w.frozen ? t('elderHome.frozen') : '',
      ].join('')
    : '';
  const visitText = (o: Order) =>
    `${dayjs(o.scheduledAt).format('HH:mm')} ${o.itemName}：${t(`elderHome.status.${o.status}` as never, { defaultValue: o.status, worker: o.workerName?.replace(/（.*）/, '') ?? '' })}`;

  const book = async () => {
    if (!w || !item || !slot) return;
    setError(null);
    try {
      const order = await ordersApi.createOrder({
        body: { elderId: w.elderId, itemId: item.id, scheduledAt: slot.start, payment: item.payment },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      // 长护险 pays it: the server decided at booking (enrolled, in the package, room this month).
      const ltc = order.ltc
        ? t('phoneHealth.ltcBooked', {
            policy: order.ltc.policyName,
            pct: order.ltc.payPercent,
            yuan: (order.ltc.copayFen / 100).toFixed(0),
          })
        : '';
      const text = `${t('elderHome.bookedWhat', { item: item.name, when: whenText(slot.start, currentLanguage(), t as never) })}${ltc}`;
      setBookedText(text);
      setScreen('done');
      setVersion((v) => v + 1);
      speak(text, currentLanguage());
    } catch (e) {
      setError(problemText(e, t));
    }
  };

  let body: ReactNode;
  if (screen === 'choose') {
    body = (
      <>
        <h1 style={{ fontSize: 32 }}>{t('elderHome.chooseService')}</h1>
        {[...favourites, ...selfPaid].map((i, n) => (
          <div key={i.id}>
            {n === favourites.length && (
              <p style={{ fontSize: 22, fontWeight: 700 }} data-testid="self-paid-heading">
                {t('elderHome.selfPaid')}
              </p>
            )}
            <button
              type="button"
              style={{ ...bigButton, textAlign: 'left', padding: '12px 20px' }}
              data-payment={i.payment}
              onClick={() => {
                setItem(i);
                setSlot(null);
                setScreen('confirm');
              }}
            >
              {i.name}
              <div style={{ fontSize: 20, fontWeight: 400 }}>{costText(i)}</div>
            </button>
          </div>
        ))}
        <button type="button" style={ghostButton} onClick={() => setScreen('home')}>
          {t('elderHome.back')}
        </button>
      </>
    );
  } else if (screen === 'confirm' && item) {
    const enough = !!item.ltc || item.payment !== 'points' || (w?.points.available ?? 0) >= item.points;
    body = (
      <>
        <h1 style={{ fontSize: 32 }}>{item.name}</h1>
        <p>{costText(item)}</p>
        {w && <ChooseSlot elderId={w.elderId} item={item} value={slot} onChange={chooseSlot} />}
        {!enough && <p style={{ ...box, borderColor: '#a8071a', color: '#a8071a' }}>{t('elderHome.notEnough')}</p>}
        {error && <p style={{ ...box, borderColor: '#a8071a', color: '#a8071a' }}>{error}</p>}
        <button
          type="button"
          style={{ ...bigButton, opacity: enough && slot ? 1 : 0.5 }}
          disabled={!enough || !slot}
          onClick={book}
        >
          {t('elderHome.confirm')}
        </button>
        <button type="button" style={ghostButton} onClick={() => setScreen('choose')}>
          {t('elderHome.back')}
        </button>
      </>
    );
  } else if (screen === 'done') {
    body = (
      <>
        <p style={{ ...box, fontSize: 28, fontWeight: 700 }} data-testid="booked">
          ✓ {bookedText}
        </p>
        <ReadAloud text={bookedText} />
        <button type="button" style={bigButton} onClick={() => setScreen('mine')}>
          {t('elderHome.mine')}
        </button>
        <button type="button" style={ghostButton} onClick={() => setScreen('home')}>
          {t('elderHome.home')}
        </button>
      </>
    );
  } else if (screen === 'mine') {
    body = (
      <>
        <MyBookings orders={orders.data?.items ?? []} onChanged={() => setVersion((v) => v + 1)} />
        <button type="button" style={bigButton} onClick={() => setScreen('home')}>
          {t('elderHome.home')}
        </button>
      </>
    );
  } else {
    body = (
      <>
        <h1 style={{ fontSize: 32, margin: '8px 0' }}>{t('elderHome.hello', { name: w?.elderName ?? '' })}</h1>
        {role === 'elder' && <SosButton />}
        <section style={box} aria-live="polite">
          <div style={{ fontSize: 36, fontWeight: 800 }}>{w ? t('elderHome.balance', { points: w.points.available }) : '…'}</div>
          <div>{balanceText.replace(t('elderHome.balance', { points: w?.points.available ?? 0 }), '')}</div>
          <ReadAloud text={balanceText} />
        </section>
        <section style={box} aria-live="polite">
          <div style={{ fontWeight: 700, fontSize: 24 }}>{t('elderHome.today')}</div>
          {todays.length === 0 && <div>{t('elderHome.noVisit')}</div>}
          {todays.map((o) => (
            <div key={o.id} style={{ fontSize: 24, margin: '8px 0' }}>
              {visitText(o)}
            </div>
          ))}
          <ReadAloud text={todays.length ? todays.map(visitText).join('。') : t('elderHome.noVisit')} />
        </section>
        {toRate && <Rate order={toRate} onDone={() => setVersion((v) => v + 1)} />}
        <button type="button" style={bigButton} onClick={() => setScreen('choose')}>
          {t('elderHome.book')}
        </button>
        <button type="button" style={ghostButton} onClick={() => setScreen('mine')}>
          {t('elderHome.mine')}
        </button>
        {w && <MealDeliveryCard elderId={w.elderId} who={role === 'family' ? 'family' : 'elder'} />}
        {w && <VolunteerServedCard />}
        {w && <HomeVisitCard elderId={w.elderId} />}
        {w && <FamilyBedCard />}
        {w && <MyHealthCard elderId={w.elderId} />}
        {role === 'elder' && <MyAllowance />}
        {role === 'elder' && <MyPrivilegeCard />}
        <CallCentreButton />
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
            {t('elderHome.familySafety')}
          </a>
        )}
      </>
    );
  }
  return <main style={page}>{body}</main>;
}

function Rate({ order, onDone }: { order: Order; onDone(): void }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  if (done) return <p style={box}>{t('elderHome.thanks')}</p>;
  return (
    <section style={box}>
      <div style={{ fontWeight: 700 }}>
        {t('elderHome.rate')}：{order.itemName}
      </div>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            key={n}
            aria-label={t('elderHome.stars', { n })}
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
              await ordersApi.rate({ params: { id: order.id }, body: { score: n } });
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
