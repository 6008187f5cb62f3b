import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { SurvivalCheck } from './SurvivalCheck.tsx';

// 适老化 as on the elder and family pages: 22 px text, 64 px targets, near-black on white.
const BRAND = '#0b5d52';
const box: CSSProperties = { border: '2px solid #111', borderRadius: 14, padding: 16, margin: '12px 0', fontSize: 22 };
const big: CSSProperties = {
  minHeight: 64,
  width: '100%',
  fontSize: 24,
  fontWeight: 700,
  color: '#fff',
  background: BRAND,
  border: 'none',
  borderRadius: 12,
  marginTop: 8,
};
const input: CSSProperties = {
  width: '100%',
  minHeight: 56,
  fontSize: 22,
  padding: '0 12px',
  border: '2px solid #111',
  borderRadius: 10,
};
const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 ? 2 : 0);

/**
 * The high-age allowance on the elder's and the family's phone page: where the application stands
 * in plain words, the last payments, or — when the elder qualifies and has none — a three-field form.
 */
export function MyAllowance() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [form, setForm] = useState({ bankName: '', bankAccount: '', accountHolder: '' });
  const res = useFetch((signal) => allowancesApi.getMine({ signal }), `my-allowance-${version}`);
  const m = res.data;
  if (!m?.elder) return null;
  const a = m.application;
  const submit = async () => {
    setError(null);
    try {
      await allowancesApi.applyMine({ body: { ...form, bankAccount: form.bankAccount.replace(/\s/g, '') } });
      setOpen(false);
      setSent(true);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(problemText(e, t));
    }
  };
  let line: string;
  if (!a || a.status === 'rejected' || a.status === 'stopped') {
    line =
      a?.status === 'rejected'
        ? t('allowances.mine.rejected', { reason: a.rejectReason ?? '' })
        : a?.status === 'stopped'
          ? t('allowances.mine.stopped')
          : m.nextMonthFen !== null
            ? t('allowances.mine.canApply', { amount: yuan(m.nextMonthFen) })
            : t(`allowances.mine.reasons.${m.ineligibleReason ?? 'no_tier'}`);
  } else if (a.status === 'proposed') line = t('allowances.mine.proposed');
  else if (a.status === 'notice') line = t('allowances.mine.notice', { date: a.noticeEndsOn ?? '' });
  else if (a.status === 'active')
    line =
      m.nextMonthFen !== null
        ? t('allowances.mine.active', { amount: yuan(m.nextMonthFen), from: a.paidFrom ?? '' })
        : t('allowances.mine.activeNoAmount', { from: a.paidFrom ?? '' });
  else if (a.status === 'suspended')
    line = t('allowances.mine.suspended', { reason: t(`allowances.suspendReasons.${a.suspendReason ?? 'manual'}`) });
  else line = t('allowances.mine.inReview', { step: t(`allowances.statuses.${a.status}`) });
  const canApply = (!a || a.status === 'rejected') && m.nextMonthFen !== null;

  return (
    <section data-testid="my-allowance">
      <h2 style={{ fontSize: 26, margin: '20px 0 4px' }}>{t('allowances.mine.title')}</h2>
      <div style={box}>
        <div data-testid="my-allowance-status">{sent && a?.status === 'community' ? t('allowances.mine.sent') : line}</div>
        {a && a.payments.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <strong>{t('allowances.mine.payments')}</strong>
            {a.payments.slice(0, 3).map((p) => (
              <div key={`${p.rollId}-${p.month}`}>
                {t('allowances.mine.payment', { month: p.month, amount: yuan(p.amountFen) })}
              </div>
            ))}
          </div>
        )}
        {a && (a.status === 'active' || a.status === 'suspended') && <SurvivalCheck />}
        {canApply && !open && (
          <button type="button" style={big} onClick={() => setOpen(true)}>
            {t('allowances.mine.apply')}
          </button>
        )}
        {open && (
          <div>
            {(['bankName', 'bankAccount', 'accountHolder'] as const).map((k) => (
              <label key={k} style={{ display: 'block', marginTop: 12 }}>
                {t(`allowances.mine.${k}`)}
                <input
                  style={input}
                  value={form[k]}
                  inputMode={k === 'bankAccount' ? 'numeric' : undefined}
                  onChange={(e) => setForm((prev) => ({ ...prev, [k]: e.target.value }))}
                />
              </label>
            ))}
            {error && (
              <p role="alert" style={{ color: '#a8071a' }}>
                {error}
              </p>
            )}
            <button type="button" style={big} onClick={() => void submit()}>
              {t('allowances.mine.submit')}
            </button>
            <button
              type="button"
              style={{ ...big, background: '#fff', color: '#111', border: '2px solid #111' }}
              onClick={() => setOpen(false)}
            >
              {t('allowances.mine.cancel')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
