import type { VolunteerTask } from '@zhiyang/shared';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../api/volunteers.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { BRAND, bigButton, box, DANGER, ghostButton } from './styles.ts';

/**
 * 志愿服务确认 on the elder's and the family's phone page: a volunteer's finished visit waits for
 * their word — 确认服务 credits the hours to the volunteer's time bank (once), 有异议 sends it back
 * to the community with a note. The server answers for the account's own elder only; nothing is
 * shown when no volunteer has served them lately.
 */
export function VolunteerServedCard() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const served = useFetch((signal) => volunteersApi.servedTasks({ signal }), `served-${version}`);
  const items = served.data?.items ?? [];
  if (!items.length) return null;
  return (
    <section style={box} data-testid="volunteer-served">
      <h2 style={{ fontSize: 26, margin: '0 0 8px' }}>{t('volunteers.served.title')}</h2>
      <div style={{ fontSize: 22, marginBottom: 8 }}>{t('volunteers.served.hint')}</div>
      {items.map((task) => (
        <ServedTask key={task.id} task={task} onDone={() => setVersion((v) => v + 1)} />
      ))}
    </section>
  );
}

function ServedTask({ task, onDone }: { task: VolunteerTask; onDone(): void }) {
  const { t } = useTranslation();
  const [disputing, setDisputing] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (verdict: 'confirm' | 'dispute') => {
    setBusy(true);
    setError(null);
    try {
      await volunteersApi.servedVerdict({
        params: { id: task.id },
        body: { verdict, ...(verdict === 'dispute' && note.trim() ? { note: note.trim() } : {}) },
      });
      setDisputing(false);
      onDone();
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const waiting = task.status === 'done' && !task.servedVerdict;
  const state =
    task.status === 'confirmed'
      ? t('volunteers.served.confirmed')
      : task.servedVerdict === 'disputed'
        ? t('volunteers.served.disputed')
        : t('volunteers.served.waiting');
  return (
    <div style={{ borderTop: '1px solid #ccc', padding: '10px 0' }} data-testid="served-task">
      <div style={{ fontSize: 24, fontWeight: 700 }}>
        {dayjs(task.scheduledOn).format('M月D日')} · {t(`volunteers.taskKind.${task.kind}`)}
      </div>
      <div style={{ fontSize: 22 }}>
        {t('volunteers.served.by', { name: task.volunteerName ?? '' })}，
        {t('volunteers.served.reported', { m: task.reportedMinutes ?? task.plannedMinutes })}
      </div>
      <div style={{ fontSize: 22, color: task.servedVerdict === 'disputed' ? DANGER : BRAND }}>{state}</div>
      {waiting && !disputing && (
        <>
          <button type="button" style={bigButton} disabled={busy} onClick={() => void send('confirm')}>
            {t('volunteers.served.confirm')}
          </button>
          <button type="button" style={ghostButton} disabled={busy} onClick={() => setDisputing(true)}>
            {t('volunteers.served.dispute')}
          </button>
        </>
      )}
      {waiting && disputing && (
        <>
          <label style={{ display: 'block', fontSize: 22 }}>
            {t('volunteers.served.disputeNote')}
            <textarea
              value={note}
              maxLength={200}
              rows={3}
              onChange={(e) => setNote(e.target.value)}
              style={{ display: 'block', width: '100%', fontSize: 22, marginTop: 6, padding: 8, boxSizing: 'border-box' }}
            />
          </label>
          <button type="button" style={{ ...bigButton, background: DANGER }} disabled={busy} onClick={() => void send('dispute')}>
            {t('volunteers.served.sendDispute')}
          </button>
        </>
      )}
      {error && <div style={{ fontSize: 22, color: DANGER }}>{error}</div>}
    </div>
  );
}
