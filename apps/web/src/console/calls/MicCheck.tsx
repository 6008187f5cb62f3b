import { AudioOutlined } from '@ant-design/icons';
import { Button, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

type Result = 'ok' | 'silent' | 'denied';
const LISTEN_MS = 1500;
/** Root-mean-square level (0–1) above which the microphone is taken to hear something. */
const HEARD = 0.01;

/**
 * 麦克风检测: before taking calls on the softphone, the agent checks the browser may use the
 * microphone and that it hears something (the loudest moment of 1.5 seconds), then it is closed.
 */
export function MicCheck() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const check = async () => {
    setBusy(true);
    setResult(null);
    let stream: MediaStream | null = null;
    let audio: AudioContext | null = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 1024;
      audio.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let loudest = 0;
      const until = Date.now() + LISTEN_MS;
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const v of samples) sum += v * v;
        loudest = Math.max(loudest, Math.sqrt(sum / samples.length));
      }
      setResult(loudest >= HEARD ? 'ok' : 'silent');
    } catch {
      setResult('denied');
    } finally {
      for (const track of stream?.getTracks() ?? []) track.stop();
      void audio?.close();
      setBusy(false);
    }
  };
  return (
    <Space size={4}>
      <Button size="small" icon={<AudioOutlined />} loading={busy} onClick={() => void check()} data-testid="mic-check">
        {t('calls.softphone.micCheck')}
      </Button>
      {result && (
        <Tag color={result === 'ok' ? 'success' : 'error'} data-testid="mic-result" data-result={result}>
          {t(`calls.softphone.mic.${result}`)}
        </Tag>
      )}
    </Space>
  );
}
