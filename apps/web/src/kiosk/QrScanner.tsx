import jsQR from 'jsqr';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useCamera } from './camera.ts';

/** The elder card's code: `ZYQR1.` and its keyed hash (the same card as the service visits' check-in). */
const CARD = /^ZYQR1\.[0-9a-f]{8,}$/i;
/** Frames are decoded at most this wide: a card held up to the tablet is large in the picture. */
const MAX_WIDTH = 640;

/**
 * The elder's QR card read by the tablet's camera (jsQR, in the browser): a few frames a second
 * are decoded until one holds a card code, which is handed to `onCode` once. Another way beside
 * a USB or Bluetooth scanner typing into the field; nothing is sent until a code is read, and
 * the camera stops when the panel closes.
 */
export function QrScanner({ onCode }: { onCode(code: string): void }) {
  const { t } = useTranslation();
  const camera = useCamera();
  const done = useRef(false);
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    if (camera.state !== 'ready') return;
    const canvas = document.createElement('canvas');
    const g = canvas.getContext('2d', { willReadFrequently: true });
    const timer = setInterval(() => {
      const v = camera.video.current;
      if (done.current || !g || !v?.videoWidth) return;
      const scale = Math.min(1, MAX_WIDTH / v.videoWidth);
      canvas.width = Math.round(v.videoWidth * scale);
      canvas.height = Math.round(v.videoHeight * scale);
      g.drawImage(v, 0, 0, canvas.width, canvas.height);
      const img = g.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
      const text = code?.data.trim();
      if (text && CARD.test(text)) {
        done.current = true;
        handler.current(text);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [camera.state, camera.video]);
  return (
    <div className="kiosk-qr" style={{ display: 'flex', flexDirection: 'column', gap: 8, alignItems: 'center' }}>
      <div
        style={{
          position: 'relative',
          width: '100%',
          maxWidth: 480,
          aspectRatio: '4 / 3',
          background: '#0b3d38',
          borderRadius: 12,
          overflow: 'hidden',
        }}
      >
        <video
          ref={camera.video}
          muted
          playsInline
          aria-label={t('kiosk.qrCamera')}
          style={{ width: '100%', height: '100%', objectFit: 'cover' }}
        />
      </div>
      <div style={{ fontSize: 24 }}>{camera.state === 'failed' ? t('kiosk.noCamera') : t('kiosk.qrHint')}</div>
    </div>
  );
}
