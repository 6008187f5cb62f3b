import { SoundOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadCallRecording } from '../../api/recordings.ts';
import { problemText } from '../../app/problems.ts';

/**
 * 播放录音 in the call log's drawer: the recording is loaded through the API only when asked for
 * (each load is one audited playback), then played from memory with the browser's own controls.
 */
export function RecordingPlayer({ callId, part }: { callId: string; part?: number }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const abort = useRef<AbortController | null>(null);

  const url = useRef<string | null>(null);
  // The drawer closing (or showing another call, which remounts this by key): stop a load, free the audio.
  useEffect(
    () => () => {
      abort.current?.abort();
      if (url.current) URL.revokeObjectURL(url.current);
    },
    [],
  );

  const play = async () => {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setLoading(true);
    setError(undefined);
    try {
      const blob = await loadCallRecording(callId, ctrl.signal, part);
      url.current = URL.createObjectURL(blob);
      setSrc(url.current);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      if (abort.current === ctrl) setLoading(false);
    }
  };

  if (src)
    return (
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        {/* biome-ignore lint/a11y/useMediaCaption: a phone call's recording has no captions */}
        <audio
          controls
          autoPlay
          src={src}
          style={{ width: '100%' }}
          data-testid={part ? `recording-audio-${part}` : 'recording-audio'}
        />
        <Typography.Text type="secondary">{t('calls.recordings.hint')}</Typography.Text>
      </Space>
    );
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }}>
      <Button
        icon={<SoundOutlined />}
        loading={loading}
        onClick={play}
        data-testid={part ? `recording-play-${part}` : 'recording-play'}
      >
        {loading ? t('calls.recordings.loading') : t('calls.recordings.play')}
      </Button>
      {error !== undefined && <Alert type="error" showIcon title={problemText(error, t)} />}
    </Space>
  );
}
