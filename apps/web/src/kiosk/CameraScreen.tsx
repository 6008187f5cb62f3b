import { FACE_PHOTO_REFUSAL_ZH, type FacePhotoRefusal } from '@zhiyang/shared';
import { Button, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { problemText } from '../app/problems.ts';
import { kioskApi } from './api.ts';
import { useCamera } from './camera.ts';
import { bigButton, panel } from './style.ts';

export type LookupMode = 'tail' | 'card' | 'name';

/** Why the face module refused the photo, in Chinese (its 422 names the code first). */
function refusalText(err: ApiError): string | null {
  const message = err.problem.errors?.[0]?.message ?? '';
  const code = message.split(':')[0] as FacePhotoRefusal;
  return FACE_PHOTO_REFUSAL_ZH[code] ?? null;
}

/**
 * The first screen: the camera, "开始刷脸", and the ways round the face (last 4 digits, the card
 * or ID number, staff search by name). Identification searches only the elders enrolled for
 * this canteen; anything less than a clear match goes to the second factor with the same photo.
 */
export function CameraScreen({
  canteenId,
  onIdentified,
  onLookup,
}: {
  canteenId: string;
  onIdentified(elder: { id: string; name: string }): void;
  onLookup(mode: LookupMode, photo: string | null, notice?: string): void;
}) {
  const { t } = useTranslation();
  const camera = useCamera();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const identify = async () => {
    const photo = camera.capture();
    if (!photo) return setNotice(t('kiosk.noCamera'));
    setBusy(true);
    setNotice(null);
    try {
      const res = await kioskApi.identifyFace({ body: { scope: { type: 'org', orgId: canteenId }, photo } });
      if (res.outcome === 'identified' && res.elder) return onIdentified(res.elder);
      onLookup('tail', photo, t('kiosk.secondFactor'));
    } catch (err) {
      const why = err instanceof ApiError && err.status === 422 ? refusalText(err) : null;
      if (why) return onLookup('tail', null, t('kiosk.noFace', { why }));
      setNotice(err instanceof ApiError && err.status === 429 ? t('kiosk.busy') : problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="kiosk-split">
      <div style={{ ...panel, padding: 12, position: 'relative', display: 'flex', flexDirection: 'column', gap: 12 }}>
        <div style={{ position: 'relative', background: '#0b3d38', borderRadius: 12, overflow: 'hidden', aspectRatio: '4 / 3' }}>
          <video
            ref={camera.video}
            muted
            playsInline
            aria-label={t('kiosk.title')}
            style={{ width: '100%', height: '100%', objectFit: 'cover', transform: 'scaleX(-1)' }}
          />
          {(busy || camera.state === 'starting') && (
            <div className="kiosk-overlay">
              <Spin size="large" />
              {busy && <div style={{ marginTop: 16 }}>{t('kiosk.identifying')}</div>}
            </div>
          )}
        </div>
        <div style={{ fontSize: 24, textAlign: 'center' }}>
          {camera.state === 'failed' ? t('kiosk.noCamera') : t('kiosk.lookAtCamera')}
        </div>
      </div>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <Button
          type="primary"
          style={{ ...bigButton, height: 112, fontSize: 36 }}
          disabled={camera.state !== 'ready' || busy}
          onClick={() => void identify()}
        >
          {t('kiosk.start')}
        </Button>
        {notice && (
          <div role="alert" style={{ ...panel, fontSize: 24, color: '#ad4e00', background: '#fff7e6' }}>
            {notice}
          </div>
        )}
        <Button style={bigButton} onClick={() => onLookup('tail', null)}>
          {t('kiosk.byTail')}
        </Button>
        <Button style={bigButton} onClick={() => onLookup('card', null)}>
          {t('kiosk.byCard')}
        </Button>
        <Button style={bigButton} onClick={() => onLookup('name', null)}>
          {t('kiosk.byName')}
        </Button>
      </div>
    </div>
  );
}
