import { ArrowLeftOutlined, CameraOutlined, LogoutOutlined, WifiOutlined } from '@ant-design/icons';
import type { PatrolRun, PatrolRunDetail } from '@zhiyang/shared';
import { Alert, App, Button, Card, Flex, Input, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patrolsApi } from '../api/patrols.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { photoDataUrl } from './care-visit-queue.ts';

/** 56 px targets, 20 px text: the patrol walks the building with the phone in one hand. */
const big = { minHeight: 56, fontSize: 20 };
const TAG = /^ZYP-[A-Z2-9]{16}$/i;

/** Web NFC where the browser has it (Chrome on Android): not in TypeScript's DOM types yet. */
interface NdefReader {
  scan(opts?: { signal?: AbortSignal }): Promise<void>;
  onreading: ((e: { message: { records: Array<{ recordType: string; data?: DataView }> } }) => void) | null;
  onreadingerror: (() => void) | null;
}
const NdefCtor = (globalThis as unknown as { NDEFReader?: new () => NdefReader }).NDEFReader;

/**
 * 安防巡查 on the phone (/worker/patrol) for an institution's staff: the runs open now, then one
 * run's checkpoints in order; each is scanned — QR with the back camera (jsQR), an NFC tag where
 * the browser reads them, or the code typed — and recorded as 正常 or a hazard with a note and a
 * photo. The server checks the code and decides lateness by its own clock.
 */
export default function PatrolPage() {
  return (
    <MobileGate area="worker" path="/worker/patrol">
      {() => <Patrol />}
    </MobileGate>
  );
}

function Patrol() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const [runId, setRunId] = useState<string>();
  const runs = useFetch((signal) => patrolsApi.myRuns({ signal }), runId ?? 'list');
  return (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 12, fontSize: 18 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        {runId ? (
          <Button icon={<ArrowLeftOutlined />} style={big} onClick={() => setRunId(undefined)}>
            {t('patrols.phone.back')}
          </Button>
        ) : (
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('patrols.phone.title')}
          </Typography.Title>
        )}
        <Button icon={<LogoutOutlined />} style={big} onClick={logout}>
          {t('patrols.phone.logout')}
        </Button>
      </Flex>
      {runId ? (
        <RunView id={runId} />
      ) : runs.loading && !runs.data ? (
        <Spin />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text strong>{t('patrols.phone.runs')}</Typography.Text>
          {(runs.data?.items ?? []).length === 0 && <Alert type="info" message={t('patrols.phone.none')} />}
          {(runs.data?.items ?? []).map((r) => (
            <RunCard key={r.id} run={r} onStart={() => setRunId(r.id)} />
          ))}
        </Flex>
      )}
    </div>
  );
}

function RunCard({ run, onStart }: { run: PatrolRun; onStart(): void }) {
  const { t } = useTranslation();
  const started = dayjs(run.startsAt).isBefore(dayjs());
  return (
    <Card size="small">
      <Flex justify="space-between" align="center" gap={8}>
        <div>
          <div style={{ fontSize: 20, fontWeight: 600 }}>
            {run.routeName} · {run.shift}
          </div>
          <div>
            {started
              ? t('patrols.phone.dueBy', { time: dayjs(run.dueAt).format('HH:mm') })
              : t('patrols.phone.notStarted', { time: dayjs(run.startsAt).format('HH:mm') })}{' '}
            · {t('patrols.runs.progress', { scanned: run.scanned, total: run.checkpoints })}
          </div>
        </div>
        <Button type="primary" style={big} disabled={!started} onClick={onStart}>
          {t('patrols.phone.start')}
        </Button>
      </Flex>
    </Card>
  );
}

function RunView({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [run, setRun] = useState<PatrolRunDetail>();
  const [code, setCode] = useState('');
  const [method, setMethod] = useState<'qr' | 'nfc' | 'typed'>('typed');
  const [camera, setCamera] = useState(false);
  const [hazard, setHazard] = useState(false);
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [nfc, setNfc] = useState<'idle' | 'waiting' | 'failed'>('idle');

  useEffect(() => {
    const ac = new AbortController();
    patrolsApi.getRun({ params: { id }, signal: ac.signal }).then(setRun, () => undefined);
    return () => ac.abort();
  }, [id]);

  const got = (value: string, how: 'qr' | 'nfc') => {
    setCode(value.trim().toUpperCase());
    setMethod(how);
    setCamera(false);
    setNfc('idle');
  };

  const readNfc = async () => {
    if (!NdefCtor) return;
    try {
      const reader = new NdefCtor();
      setNfc('waiting');
      reader.onreading = (e) => {
        const rec = e.message.records.find((r) => r.recordType === 'text' && r.data);
        const text = rec?.data ? new TextDecoder().decode(rec.data).replace(/^\W*[a-z]{2}(?=ZYP-)/i, '') : '';
        if (TAG.test(text.trim())) got(text, 'nfc');
      };
      reader.onreadingerror = () => setNfc('failed');
      await reader.scan();
    } catch {
      setNfc('failed');
    }
  };

  const send = async (result: 'pass' | 'hazard') => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await patrolsApi.scan({
        params: { id },
        body: {
          code,
          method,
          result,
          note: result === 'hazard' ? note : undefined,
          photos: result === 'hazard' && photo ? [photo] : undefined,
        },
      });
      const point = next.points.find((p) => p.scan && !run?.points.find((q) => q.id === p.id)?.scan);
      message.success(t('patrols.phone.recorded', { name: point?.name ?? code }));
      setRun(next);
      setCode('');
      setMethod('typed');
      setHazard(false);
      setNote('');
      setPhoto(undefined);
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (!run) return <Spin />;
  const done = run.points.every((p) => p.scan);
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {run.routeName} · {run.shift}
      </Typography.Title>
      <Typography.Text>
        {t('patrols.phone.dueBy', { time: dayjs(run.dueAt).format('HH:mm') })} ·{' '}
        {t('patrols.runs.progress', { scanned: run.scanned, total: run.checkpoints })}
      </Typography.Text>
      {done ? (
        <Alert type="success" message={t('patrols.phone.allDone')} />
      ) : (
        <Card size="small">
          <Flex vertical gap={10}>
            <Input
              size="large"
              style={{ fontSize: 20 }}
              aria-label={t('patrols.phone.codeLabel')}
              placeholder={t('patrols.phone.codeHint')}
              value={code}
              onChange={(e) => {
                setCode(e.target.value.toUpperCase());
                setMethod('typed');
              }}
            />
            <Flex gap={8}>
              <Button style={{ ...big, flex: 1 }} icon={<CameraOutlined />} onClick={() => setCamera((c) => !c)}>
                {t('patrols.phone.scanQr')}
              </Button>
              {NdefCtor && (
                <Button style={{ ...big, flex: 1 }} icon={<WifiOutlined />} onClick={readNfc}>
                  {t('patrols.phone.readNfc')}
                </Button>
              )}
            </Flex>
            {nfc === 'waiting' && <Alert type="info" message={t('patrols.phone.nfcWaiting')} />}
            {nfc === 'failed' && <Alert type="warning" message={t('patrols.phone.nfcFailed')} />}
            {camera && <BackCameraQr onCode={(c) => got(c, 'qr')} />}
            {error && <Alert type="error" message={error} role="alert" />}
            {hazard ? (
              <Flex vertical gap={8}>
                <Input.TextArea
                  rows={3}
                  style={{ fontSize: 18 }}
                  aria-label={t('patrols.phone.hazardNote')}
                  placeholder={t('patrols.phone.hazardNote')}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                />
                <label style={{ ...big, display: 'flex', alignItems: 'center', gap: 8 }}>
                  <CameraOutlined /> {t('patrols.phone.photo')}
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    aria-label={t('patrols.phone.photo')}
                    onChange={async (e) => {
                      const f = e.target.files?.[0];
                      if (f) setPhoto(await photoDataUrl(f));
                    }}
                  />
                </label>
                {photo && <img src={photo} alt={t('patrols.phone.photo')} style={{ maxWidth: 160, borderRadius: 6 }} />}
                <Flex gap={8}>
                  <Button style={{ ...big, flex: 1 }} onClick={() => setHazard(false)}>
                    {t('patrols.phone.cancel')}
                  </Button>
                  <Button
                    danger
                    type="primary"
                    style={{ ...big, flex: 2 }}
                    disabled={!code || !note.trim()}
                    loading={busy}
                    onClick={() => send('hazard')}
                  >
                    {t('patrols.phone.submitHazard')}
                  </Button>
                </Flex>
              </Flex>
            ) : (
              <Flex gap={8}>
                <Button type="primary" style={{ ...big, flex: 1 }} disabled={!code} loading={busy} onClick={() => send('pass')}>
                  {t('patrols.phone.pass')}
                </Button>
                <Button danger style={{ ...big, flex: 1 }} disabled={!code} onClick={() => setHazard(true)}>
                  {t('patrols.phone.hazard')}
                </Button>
              </Flex>
            )}
          </Flex>
        </Card>
      )}
      <Flex vertical gap={6} data-testid="patrol-points">
        {run.points.map((p) => (
          <Flex
            key={p.id}
            justify="space-between"
            align="center"
            style={{ padding: '10px 12px', background: p.scan ? '#f6ffed' : '#fff', border: '1px solid #eee', borderRadius: 8 }}
          >
            <span>
              {p.seq}. {p.name}
              <br />
              <Typography.Text type="secondary">
                {p.area} · {t(`patrols.kinds.${p.kind}`)}
              </Typography.Text>
            </span>
            {p.scan ? (
              <Flex vertical align="end">
                <Tag color={p.scan.result === 'pass' ? 'success' : 'error'}>{t(`patrols.scanResult.${p.scan.result}`)}</Tag>
                {p.scan.late && <Tag color="warning">{t('patrols.phone.late')}</Tag>}
              </Flex>
            ) : (
              <Tag>{t('patrols.runs.notScanned')}</Tag>
            )}
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}

/** The back camera in a <video>; a few frames a second go through jsQR until one holds a tag code. */
function BackCameraQr({ onCode }: { onCode(code: string): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setFailed(true);
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (stopped) {
          for (const tr of s.getTracks()) tr.stop();
          return;
        }
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        await v.play().catch(() => undefined);
        const canvas = document.createElement('canvas');
        const g = canvas.getContext('2d', { willReadFrequently: true });
        timer = setInterval(() => {
          if (!g || !v.videoWidth) return;
          const scale = Math.min(1, 640 / v.videoWidth);
          canvas.width = Math.round(v.videoWidth * scale);
          canvas.height = Math.round(v.videoHeight * scale);
          g.drawImage(v, 0, 0, canvas.width, canvas.height);
          const img = g.getImageData(0, 0, canvas.width, canvas.height);
          const text = jsQR(img.data, img.width, img.height)?.data.trim();
          if (text && TAG.test(text)) {
            clearInterval(timer);
            handler.current(text);
          }
        }, 250);
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      clearInterval(timer);
      for (const tr of stream?.getTracks() ?? []) tr.stop();
    };
  }, []);
  if (failed) return <Alert type="warning" message={t('patrols.phone.noCamera')} />;
  return (
    <video
      ref={video}
      muted
      playsInline
      style={{ width: '100%', aspectRatio: '4 / 3', objectFit: 'cover', background: '#0b3d38', borderRadius: 8 }}
    />
  );
}
