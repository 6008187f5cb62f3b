import type { MealPeriod } from '@zhiyang/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../api/meals.ts';
import { currentLanguage } from '../app/i18n.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import {
  bookingProblemText,
  canteensFor,
  clockText,
  dayBookable,
  dayText,
  mealsOfDay,
  type OptionBooking,
  type OptionCanteen,
  type OptionSlot,
  yuan,
} from '../console/meals/booking-ui.ts';
import { speak } from './speak.ts';
import { BRAND, bigButton, box, DANGER, ghostButton, INK } from './styles.ts';

type Step = 'idle' | 'day' | 'meal' | 'dish' | 'confirm' | 'done';
interface Choice {
  canteen: OptionCanteen;
  slot: OptionSlot;
  dish: OptionSlot['dishes'][number];
}

const choiceButton = { ...ghostButton, textAlign: 'left', padding: '10px 18px', color: INK } as const;

/**
 * 预订送餐 on the elder's and the family's phone page: day → meal → canteen and dish → confirm,
 * then 我的送餐 with 取消 before the cutoff. Everything comes from one scoped read
 * (`GET /meal-delivery-options`); booking and cancelling are the meals module's own routes, whose
 * refusals (past the cutoff, already booked) are said in plain words.
 */
export function MealDeliveryCard({ elderId, who }: { elderId: string; who: 'elder' | 'family' }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [version, setVersion] = useState(0);
  const [step, setStep] = useState<Step>('idle');
  const [day, setDay] = useState<string | null>(null);
  const [period, setPeriod] = useState<MealPeriod | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [doneText, setDoneText] = useState('');
  const res = useFetch((signal) => mealsApi.deliveryOptions({ query: { elderId }, signal }), `mdo-${elderId}-${version}`);
  const o = res.data;
  const meal = (p: MealPeriod) => t(`meals.periods.${p}`);
  const day_ = (d: string) => dayText(d, lang, t as never);
  const say = (e: unknown) => bookingProblemText(e, t);
  const go = (s: Step) => {
    setError(null);
    setStep(s);
  };

  const book = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await mealsApi.bookDelivery({
        params: { id: choice.canteen.id },
        body: { elderId, day: choice.slot.day, period: choice.slot.period, items: [{ dishId: choice.dish.dishId, qty: 1 }] },
      });
      const text = t('meals.booking.booked', {
        day: day_(choice.slot.day),
        meal: meal(choice.slot.period),
        dish: choice.dish.name,
      });
      setDoneText(text);
      speak(text, lang);
      setStep('done');
      setVersion((v) => v + 1);
    } catch (e) {
      setError(say(e));
    } finally {
      setBusy(false);
    }
  };

  const back = (to: Step) => (
    <button type="button" style={ghostButton} onClick={() => go(to)}>
      {t('meals.booking.back')}
    </button>
  );

  let flow = null;
  if (o && step === 'day') {
    const days = o.days.filter((d) => dayBookable(o.canteens, d));
    flow = (
      <>
        <h3 style={{ fontSize: 26, margin: '8px 0' }}>{t('meals.booking.chooseDay')}</h3>
        {days.length === 0 && <p>{o.canteens.length ? t('meals.booking.noMenu') : t('meals.booking.noCanteen')}</p>}
        {days.map((d) => (
          <button
            key={d}
            type="button"
            style={choiceButton}
            data-testid="delivery-day"
            onClick={() => {
              setDay(d);
              go('meal');
            }}
          >
            {day_(d)}
          </button>
        ))}
        {back('idle')}
      </>
    );
  } else if (o && step === 'meal' && day) {
    flow = (
      <>
        <h3 style={{ fontSize: 26, margin: '8px 0' }}>
          {day_(day)} · {t('meals.booking.chooseMeal')}
        </h3>
        {mealsOfDay(o.canteens, day).map((m) => (
          <button
            key={m.period}
            type="button"
            disabled={!m.bookable}
            style={{ ...choiceButton, opacity: m.bookable ? 1 : 0.5 }}
            data-testid="delivery-meal"
            onClick={() => {
              setPeriod(m.period);
              go('dish');
            }}
          >
            {meal(m.period)}
            <div style={{ fontSize: 22, fontWeight: 400 }}>
              {m.bookable && m.cutoffAt
                ? t('meals.booking.bookBefore', { time: clockText(m.cutoffAt) })
                : t('meals.booking.closed')}
            </div>
          </button>
        ))}
        {back('day')}
      </>
    );
  } else if (o && step === 'dish' && day && period) {
    flow = (
      <>
        <h3 style={{ fontSize: 26, margin: '8px 0' }}>
          {day_(day)} {meal(period)} · {t('meals.booking.chooseDish')}
        </h3>
        {canteensFor(o.canteens, day, period).map(({ canteen, slot }) => (
          <div key={canteen.id} data-testid="delivery-canteen">
            <div style={{ fontSize: 24, fontWeight: 700, marginTop: 12 }}>{canteen.name}</div>
            {slot.subsidyFen > 0 && (
              <div style={{ fontSize: 22 }}>{t('meals.booking.subsidy', { yuan: yuan(slot.subsidyFen) })}</div>
            )}
            {slot.dishes.map((dish) => (
              <button
                key={dish.dishId}
                type="button"
                disabled={!slot.bookable}
                style={{ ...choiceButton, opacity: slot.bookable ? 1 : 0.5 }}
                data-testid="delivery-dish"
                onClick={() => {
                  setChoice({ canteen, slot, dish });
                  go('confirm');
                }}
              >
                {dish.name}
                <div style={{ fontSize: 22, fontWeight: 400 }}>
                  {t('meals.booking.price', { yuan: yuan(dish.priceFen) })}
                  {dish.selfPayFen < dish.priceFen ? `，${t('meals.booking.selfPay', { yuan: yuan(dish.selfPayFen) })}` : ''}
                </div>
              </button>
            ))}
          </div>
        ))}
        {back('meal')}
      </>
    );
  } else if (step === 'confirm' && choice) {
    flow = (
      <>
        <h3 style={{ fontSize: 26, margin: '8px 0' }}>{t('meals.booking.confirmTitle')}</h3>
        <p style={{ fontSize: 24, fontWeight: 700 }} data-testid="delivery-confirm-line">
          {t('meals.booking.confirmLine', {
            day: day_(choice.slot.day),
            meal: meal(choice.slot.period),
            canteen: choice.canteen.name,
            dish: choice.dish.name,
          })}
        </p>
        <div>
          {t('meals.booking.price', { yuan: yuan(choice.dish.priceFen) })}
          {choice.dish.selfPayFen < choice.dish.priceFen
            ? `，${t('meals.booking.selfPay', { yuan: yuan(choice.dish.selfPayFen) })}`
            : ''}
        </div>
        <p>{t('meals.booking.cancelUntil', { time: `${day_(choice.slot.day)} ${clockText(choice.slot.cutoffAt)}` })}</p>
        {error && <p style={{ color: DANGER, fontWeight: 700 }}>{error}</p>}
        <button type="button" style={{ ...bigButton, opacity: busy ? 0.6 : 1 }} disabled={busy} onClick={() => void book()}>
          {t('meals.booking.confirm')}
        </button>
        {back('dish')}
      </>
    );
  } else if (step === 'done') {
    flow = (
      <>
        <p style={{ fontSize: 26, fontWeight: 700, color: BRAND }} data-testid="delivery-booked">
          ✓ {doneText}
        </p>
        <button type="button" style={ghostButton} onClick={() => go('idle')}>
          {t('meals.booking.home')}
        </button>
      </>
    );
  }

  return (
    <section style={box} data-testid="meal-delivery">
      <h2 style={{ fontSize: 28, margin: '0 0 4px' }}>{t('meals.booking.title')}</h2>
      {res.error !== undefined && <p style={{ color: DANGER }}>{problemText(res.error, t)}</p>}
      {step === 'idle' ? (
        <>
          <div style={{ fontSize: 22 }}>{t('meals.booking.intro')}</div>
          <button type="button" style={bigButton} disabled={!o} onClick={() => go('day')} data-testid="delivery-start">
            {t('meals.booking.start')}
          </button>
        </>
      ) : (
        flow
      )}
      <h3 style={{ fontSize: 26, margin: '16px 0 4px' }}>{t('meals.booking.mine')}</h3>
      {o && o.bookings.length === 0 && <p>{t('meals.booking.noMine')}</p>}
      {o?.bookings.map((b) => (
        <MyDelivery key={b.id} booking={b} who={who} onChanged={() => setVersion((v) => v + 1)} say={say} />
      ))}
    </section>
  );
}

function MyDelivery({
  booking: b,
  who,
  onChanged,
  say,
}: {
  booking: OptionBooking;
  who: 'elder' | 'family';
  onChanged(): void;
  say(e: unknown): string;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const day = dayText(b.day, lang, t as never);
  const meal = t(`meals.periods.${b.period}`);
  const cancel = async () => {
    setError(null);
    try {
      await mealsApi.cancelDelivery({
        params: { id: b.id },
        body: { reason: t(who === 'elder' ? 'meals.booking.cancelReasonElder' : 'meals.booking.cancelReasonFamily') },
      });
      setAsking(false);
      onChanged();
    } catch (e) {
      setError(say(e));
    }
  };
  const colour = b.status === 'cancelled' ? '#555' : b.status === 'delivered' ? BRAND : INK;
  return (
    <div style={{ borderTop: '1px solid #999', padding: '10px 0' }} data-testid="my-delivery" data-status={b.status}>
      <div style={{ fontSize: 24, fontWeight: 700, color: colour }}>
        {t('meals.booking.line', { day, meal, dish: b.dishNames.join('、') })}
      </div>
      <div style={{ fontSize: 22 }}>
        {b.canteenName} · <strong>{t(`meals.booking.statuses.${b.status}`)}</strong>
      </div>
      {error && <p style={{ color: DANGER, fontWeight: 700 }}>{error}</p>}
      {b.status === 'booked' &&
        (!b.cancellable ? (
          <div style={{ fontSize: 22 }}>{t('meals.booking.cancelClosed')}</div>
        ) : asking ? (
          <>
            <p style={{ fontWeight: 700 }}>{t('meals.booking.cancelSure', { day, meal })}</p>
            <button
              type="button"
              style={{ ...ghostButton, color: '#fff', background: DANGER, border: 'none' }}
              onClick={() => void cancel()}
            >
              {t('meals.booking.cancelYes')}
            </button>
            <button type="button" style={ghostButton} onClick={() => setAsking(false)}>
              {t('meals.booking.cancelNo')}
            </button>
          </>
        ) : (
          <button type="button" style={{ ...ghostButton, color: DANGER, borderColor: DANGER }} onClick={() => setAsking(true)}>
            {t('meals.booking.cancel')}
          </button>
        ))}
    </div>
  );
}
