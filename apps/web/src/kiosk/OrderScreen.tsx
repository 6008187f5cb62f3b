import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { MEAL_PERIOD_LABELS_ZH, type Meal } from '@zhiyang/shared';
import { Button, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { kioskApi } from './api.ts';
import { checkout } from './queue.ts';
import { bigButton, panel, yuan } from './style.ts';

export interface Ordered {
  /** The meal's Idempotency-Key (it names the meal in the offline queue). */
  key: string;
  elderName: string;
  items: Array<{ name: string; qty: number }>;
  /** The server's meal, or null when it waits in the queue. */
  meal: Meal | null;
}

/**
 * "张秀英 您好": the subsidy this meal gets and the balance, the menu of the meal ranked for the
 * elder (recommended first, each with its reason; allergens as warnings), the quantities, the
 * elder's part and how it is paid, and the confirmation.
 */
export function OrderScreen({
  canteenId,
  elder,
  onDone,
  onCancel,
}: {
  canteenId: string;
  elder: { id: string; name: string };
  onDone(o: Ordered): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const rec = useFetch(
    (signal) => kioskApi.recommend({ params: { id: canteenId }, query: { elderId: elder.id }, signal }),
    `kiosk-rec-${elder.id}`,
  );
  const [qty, setQty] = useState<Record<string, number>>({});
  const [pay, setPay] = useState<'cash' | 'mobile'>('cash');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = rec.data;
  if (!data) {
    return (
      <div style={{ textAlign: 'center', padding: 48, fontSize: 24 }}>
        {rec.error ? problemText(rec.error, t) : <Spin size="large" />}
      </div>
    );
  }
  const chosen = data.items.filter((d) => (qty[d.dishId] ?? 0) > 0);
  const total = chosen.reduce((s, d) => s + d.priceFen * (qty[d.dishId] ?? 0), 0);
  const subsidy = Math.min(total, data.subsidyFen);
  const self = total - subsidy;
  const step = (id: string, by: number) => setQty((q) => ({ ...q, [id]: Math.max(0, Math.min(10, (q[id] ?? 0) + by)) }));

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const items = chosen.map((d) => ({ dishId: d.dishId, qty: qty[d.dishId] ?? 1 }));
      const { key, meal } = await checkout(canteenId, data.elderName, {
        elderId: elder.id,
        period: data.period,
        items,
        ...(self > 0 ? { payMethod: pay } : {}),
      });
      onDone({ key, elderName: data.elderName, items: chosen.map((d) => ({ name: d.name, qty: qty[d.dishId] ?? 1 })), meal });
    } catch (err) {
      setError(problemText(err, t));
      setBusy(false);
    }
  };

  return (
    <div className="kiosk-order">
      <div style={{ ...panel, display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'baseline' }}>
        <h1 style={{ fontSize: 44, margin: 0 }}>{t('kiosk.hello', { name: data.elderName })}</h1>
        <span style={{ fontSize: 26 }}>{MEAL_PERIOD_LABELS_ZH[data.period]}</span>
        <span style={{ fontSize: 28 }}>
          {t('kiosk.subsidy')} <b style={{ color: '#0f7b6c' }}>{t('kiosk.yuan', { v: yuan(data.subsidyFen) })}</b>
        </span>
        <span style={{ fontSize: 28 }}>
          {t('kiosk.balance')} <b>{t('kiosk.yuan', { v: yuan(data.balanceFen) })}</b>
        </span>
      </div>
      {data.items.length === 0 && <div style={{ ...panel, fontSize: 26 }}>{t('kiosk.noMenu')}</div>}
      <div className="kiosk-dishes">
        {data.items.map((d) => {
          const n = qty[d.dishId] ?? 0;
          return (
            <div key={d.dishId} className={`kiosk-dish${n ? ' is-chosen' : ''}${d.warnings.length ? ' is-warned' : ''}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'baseline' }}>
                <span style={{ fontSize: 30, fontWeight: 600 }}>{d.name}</span>
                <span style={{ fontSize: 26 }}>{t('kiosk.yuan', { v: yuan(d.priceFen) })}</span>
              </div>
              {d.recommended && <span className="kiosk-tag">{t('kiosk.recommended')}</span>}
              {/* A warning says it all; the reason would repeat it. */}
              {!d.warnings.length && <div style={{ fontSize: 22, color: '#444' }}>{d.reason}</div>}
              {d.warnings.map((w) => (
                <div key={w} role="note" style={{ fontSize: 22, color: '#a8071a', fontWeight: 600 }}>
                  ⚠ {t('kiosk.warning')}：{w}
                </div>
              ))}
              <div style={{ display: 'flex', alignItems: 'center', gap: 16, marginTop: 'auto' }}>
                <Button
                  aria-label={`${t('kiosk.remove')} ${d.name}`}
                  icon={<MinusOutlined />}
                  disabled={!n}
                  onClick={() => step(d.dishId, -1)}
                  style={{ width: 64, height: 64, fontSize: 26 }}
                />
                <span style={{ fontSize: 32, minWidth: 32, textAlign: 'center' }}>{n}</span>
                <Button
                  aria-label={`${t('kiosk.add')} ${d.name}`}
                  type={n ? 'primary' : 'default'}
                  icon={<PlusOutlined />}
                  onClick={() => step(d.dishId, 1)}
                  style={{ width: 64, height: 64, fontSize: 26 }}
                />
              </div>
            </div>
          );
        })}
      </div>
      <div className="kiosk-bar">
        <div style={{ fontSize: 26, flex: 1, minWidth: 260 }}>
          {chosen.length === 0 ? (
            t('kiosk.chooseDishes')
          ) : (
            <>
              {t('kiosk.total')} <b>{t('kiosk.yuan', { v: yuan(total) })}</b> · {t('kiosk.subsidy')}{' '}
              <b style={{ color: '#0f7b6c' }}>{t('kiosk.yuan', { v: yuan(subsidy) })}</b> · {t('kiosk.selfPay')}{' '}
              <b>{t('kiosk.yuan', { v: yuan(self) })}</b>
            </>
          )}
        </div>
        {self > 0 && (
          <div role="radiogroup" style={{ display: 'flex', gap: 8 }}>
            {(['cash', 'mobile'] as const).map((m) => (
              <Button
                key={m}
                role="radio"
                aria-checked={pay === m}
                type={pay === m ? 'primary' : 'default'}
                ghost={pay === m}
                style={{ ...bigButton, minWidth: 120 }}
                onClick={() => setPay(m)}
              >
                {t(`kiosk.${m}`)}
              </Button>
            ))}
          </div>
        )}
        <Button style={bigButton} onClick={onCancel} disabled={busy}>
          {t('kiosk.cancel')}
        </Button>
        <Button type="primary" style={bigButton} disabled={!chosen.length} loading={busy} onClick={() => void confirm()}>
          {t('kiosk.confirm')}
        </Button>
      </div>
      {error && (
        <div role="alert" style={{ ...panel, fontSize: 24, background: '#fff1f0', color: '#a8071a' }}>
          {error}
        </div>
      )}
    </div>
  );
}
