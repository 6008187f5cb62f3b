import type { KioskElder } from '@zhiyang/shared';
import { Button, Input, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../app/problems.ts';
import { kioskApi } from './api.ts';
import type { LookupMode } from './CameraScreen.tsx';
import { QrScanner } from './QrScanner.tsx';
import { bigButton, panel } from './style.ts';

/**
 * The way round the face: the last 4 of the ID or of the phone (or the whole phone number), the
 * elder's card (a scanner types its code into the field, or the camera reads it) or ID number,
 * or staff searching by name — among this canteen's elders only. With the photo of a face the kiosk could not place, the chosen elder is verified 1:1
 * against it; a mismatch is refused.
 */
export function LookupScreen({
  canteenId,
  mode,
  photo,
  notice,
  onFound,
  onBack,
}: {
  canteenId: string;
  mode: LookupMode;
  photo: string | null;
  notice?: string;
  onFound(elder: { id: string; name: string }): void;
  onBack(): void;
}) {
  const { t } = useTranslation();
  const input = useRef<InputRef>(null);
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<KioskElder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Four digits are the last 4 of the ID number or of the phone: the staff say which.
  const [tailOf, setTailOf] = useState<'id' | 'phone'>('id');
  const [scanning, setScanning] = useState(false);
  useEffect(() => input.current?.focus(), []);
  const hint = {
    tail: tailOf === 'phone' ? t('kiosk.phoneTailHint') : t('kiosk.tailHint'),
    card: t('kiosk.cardHint'),
    name: t('kiosk.nameHint'),
  }[mode];

  const search = async (text = q) => {
    const typed = text.trim();
    if (!typed) return;
    setBusy(true);
    setError(null);
    try {
      const by = mode === 'tail' && /^\d{3}[\dXx]$/.test(typed) ? (tailOf === 'phone' ? 'phoneTail4' : 'idTail4') : undefined;
      const res = await kioskApi.findKioskElders({ params: { id: canteenId }, query: by ? { q: typed, by } : { q: typed } });
      setFound(res.items);
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (elder: KioskElder) => {
    if (!photo) return onFound(elder);
    setBusy(true);
    setError(null);
    try {
      const res = await kioskApi.verifyFace({ body: { elderId: elder.id, photo } });
      if (res.match) onFound(elder);
      else setError(t('kiosk.notMatched'));
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 900, margin: '0 auto', width: '100%' }}>
      {notice && (
        <div role="alert" style={{ ...panel, fontSize: 26, background: '#fff7e6', color: '#ad4e00' }}>
          {notice}
        </div>
      )}
      {mode === 'tail' && (
        <div style={{ display: 'flex', gap: 12 }}>
          {(['id', 'phone'] as const).map((k) => (
            <Button
              key={k}
              type={tailOf === k ? 'primary' : 'default'}
              aria-pressed={tailOf === k}
              style={{ ...bigButton, flex: 1 }}
              onClick={() => {
                setTailOf(k);
                setFound(null);
                input.current?.focus();
              }}
            >
              {k === 'id' ? t('kiosk.tailOfId') : t('kiosk.tailOfPhone')}
            </Button>
          ))}
        </div>
      )}
      <form
        style={{ display: 'flex', gap: 12 }}
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <Input
          ref={input}
          aria-label={hint}
          placeholder={hint}
          value={q}
          inputMode={mode === 'tail' ? 'none' : 'text'}
          autoComplete="off"
          maxLength={60}
          onChange={(e) => setQ(e.target.value)}
          style={{ height: 72, fontSize: 30, flex: 1 }}
        />
        <Button type="primary" htmlType="submit" loading={busy} style={bigButton}>
          {t('kiosk.search')}
        </Button>
      </form>
      {mode === 'card' &&
        (scanning ? (
          <QrScanner
            onCode={(code) => {
              setScanning(false);
              setQ(code);
              void search(code);
            }}
          />
        ) : (
          <Button style={{ ...bigButton, alignSelf: 'flex-start' }} onClick={() => setScanning(true)}>
            {t('kiosk.scanWithCamera')}
          </Button>
        ))}
      {mode === 'tail' && (
        // The tablet's own number pad has no X (the last character of many ID numbers): keys of our own.
        <div className="kiosk-keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0', '⌫'].map((k) => (
            <Button
              key={k}
              aria-label={k === '⌫' ? t('kiosk.backspace') : k}
              style={{ height: 72, fontSize: 32 }}
              onClick={() => setQ((v) => (k === '⌫' ? v.slice(0, -1) : `${v}${k}`.slice(0, 11)))}
            >
              {k}
            </Button>
          ))}
        </div>
      )}
      {error && (
        <div role="alert" style={{ ...panel, fontSize: 24, background: '#fff1f0', color: '#a8071a' }}>
          {error}
        </div>
      )}
      {found && found.length === 0 && <div style={{ ...panel, fontSize: 24 }}>{t('kiosk.noneFound')}</div>}
      {found && found.length > 0 && (
        <>
          <div style={{ fontSize: 24 }}>{t('kiosk.choose')}</div>
          <div className="kiosk-grid">
            {found.map((e) => (
              <button key={e.id} type="button" className="kiosk-card" disabled={busy} onClick={() => void choose(e)}>
                <div style={{ fontSize: 32, fontWeight: 600 }}>{e.name}</div>
                <div style={{ fontSize: 22, color: '#555' }}>
                  {t('kiosk.elderLine', { sex: t(`kiosk.${e.sex}`), age: e.age, community: e.communityName })}
                </div>
              </button>
            ))}
          </div>
        </>
      )}
      <Button style={{ ...bigButton, alignSelf: 'flex-start' }} onClick={onBack}>
        {t('kiosk.back')}
      </Button>
    </div>
  );
}
