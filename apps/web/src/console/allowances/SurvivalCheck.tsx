import type { LivenessAction, SurvivalChallenge } from '@zhiyang/shared';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { survivalApi } from '../../api/allowance-survival.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

/**
 * 生存认证 on the elder's and the family's phone page: the card under 高龄津贴, and a full-screen
 * camera page (video only, no microphone) that shows the challenge's two actions in large type
 * one after the other, takes frames on a fixed schedule and sends them. The schedule is fixed so
 * the elder has the same time for each action on every phone; the browser test's fake camera
 * video follows it (apps/web/e2e/survival.e2e.test.ts).
 */

/** When frames are taken, in ms after the camera's first frame: two neutral, three per action. */
export const CAPTURE_SCHEDULE = {
  neutral: [400, 800],
  firstPrompt: 1000,
  first: [2000, 2500, 3000],
  secondPrompt: 3400,
  second: [4400, 4900, 5400],
  end: 5600,
} as const;
const MAX_SIDE = 640;

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
  marginTop: 12,
};
const plain: CSSProperties = { ...big, background: '#fff', color: '#111', border: '2px solid #111' };
const overlay: CSSProperties = {
  position: 'fixed',
  inset: 0,
  zIndex: 1000,
  background: '#fff',
  overflowY: 'auto',
  padding: 16,
  fontSize: 22,
};

export type Result = Awaited<ReturnType<typeof survivalApi.answerSurvival>>;
type Step =
  | { kind: 'intro'; c: SurvivalChallenge }
  | { kind: 'capture'; c: SurvivalChallenge }
  | { kind: 'sending' }
  | { kind: 'result'; r: Result }
  | { kind: 'error'; text: string };

const sleepUntil = (t0: number, ms: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - performance.now())));

function grab(video: HTMLVideoElement): string {
  const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  // The unmirrored camera picture: the elder's own left is the picture's right, as the server reads it.
  canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.85);
}

/** The camera page: runs the schedule on a challenge and sends the frames (phone page and the console's 社区刷脸认证). */
export function CapturePage({ c, onDone }: { c: SurvivalChallenge; onDone(r: Result | { error: string }): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [prompt, setPrompt] = useState(t('survival.page.lookStraight'));
  const done = useRef(onDone);
  done.current = onDone;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per challenge; texts are read when shown.
  useEffect(() => {
    let stream: MediaStream | undefined;
    let cancelled = false;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: 'user', width: { ideal: 640 } },
        });
      } catch {
        done.current({ error: t('survival.page.cameraError') });
        return;
      }
      const v = video.current;
      if (!v || cancelled) return;
      v.srcObject = stream;
      await new Promise<void>((resolve) => {
        v.onplaying = () => resolve();
        void v.play().catch(() => undefined);
      });
      const t0 = performance.now();
      const frames: string[] = [];
      const take = async (at: number) => {
        await sleepUntil(t0, at);
        if (!cancelled) frames.push(grab(v));
      };
      const [first, second] = c.actions as [LivenessAction, LivenessAction];
      for (const at of CAPTURE_SCHEDULE.neutral) await take(at);
      await sleepUntil(t0, CAPTURE_SCHEDULE.firstPrompt);
      setPrompt(t(`survival.actions.${first}`));
      for (const at of CAPTURE_SCHEDULE.first) await take(at);
      await sleepUntil(t0, CAPTURE_SCHEDULE.secondPrompt);
      setPrompt(t(`survival.actions.${second}`));
      for (const at of CAPTURE_SCHEDULE.second) await take(at);
      await sleepUntil(t0, CAPTURE_SCHEDULE.end);
      for (const track of stream.getTracks()) track.stop();
      if (cancelled) return;
      setPrompt(t('survival.page.sending'));
      try {
        done.current(await survivalApi.answerSurvival({ params: { id: c.id }, body: { nonce: c.nonce, frames } }));
      } catch (e) {
        done.current({ error: problemText(e, t) });
      }
    })();
    return () => {
      cancelled = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [c.id]);

  return (
    <div>
      <div
        data-testid="survival-prompt"
        aria-live="assertive"
        style={{ fontSize: 40, fontWeight: 800, textAlign: 'center', margin: '8px 0 16px', color: BRAND }}
      >
        {prompt}
      </div>
      <video
        ref={video}
        muted
        playsInline
        style={{
          width: '100%',
          maxHeight: '60vh',
          objectFit: 'cover',
          borderRadius: 16,
          background: '#222',
          transform: 'scaleX(-1)',
        }}
      />
    </div>
  );
}

/** The survival card inside 高龄津贴, and the camera page it opens. */
export function SurvivalCheck() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const [step, setStep] = useState<Step>();
  const res = useFetch((signal) => survivalApi.getMySurvival({ signal }), `my-survival-${version}`);
  const s = res.data;
  if (!s?.applicationId) return null;

  const begin = async () => {
    try {
      setStep({ kind: 'intro', c: await survivalApi.startMySurvival() });
    } catch (e) {
      setStep({ kind: 'error', text: problemText(e, t) });
    }
  };
  const close = () => {
    setStep(undefined);
    setVersion((v) => v + 1);
  };

  return (
    <div data-testid="my-survival" style={{ marginTop: 12, paddingTop: 12, borderTop: '1px solid #999' }}>
      <strong>{t('survival.card.title')}</strong>
      <div>{t(s.verifiedThisPeriod ? 'survival.card.verified' : 'survival.card.due', { period: s.period ?? '' })}</div>
      {!s.faceEnrolled ? (
        <p>{t('survival.card.notEnrolled')}</p>
      ) : s.triesLeft === 0 && !s.verifiedThisPeriod ? (
        <p>{t('survival.card.exhausted')}</p>
      ) : (
        !s.verifiedThisPeriod && (
          <button type="button" style={big} onClick={() => void begin()}>
            {t('survival.card.start')}
          </button>
        )
      )}
      {step && (
        <div style={overlay} role="dialog" aria-label={t('survival.page.title')} data-testid="survival-page">
          <h2 style={{ fontSize: 30, margin: '8px 0' }}>{t('survival.page.title')}</h2>
          {step.kind === 'intro' && (
            <div style={box}>
              <p>{t('survival.page.intro')}</p>
              <p>{t('survival.page.actions')}</p>
              <p style={{ fontSize: 30, fontWeight: 800 }}>
                1. {t(`survival.actions.${step.c.actions[0]}`)}
                <br />
                2. {t(`survival.actions.${step.c.actions[1]}`)}
              </p>
              <button type="button" style={big} onClick={() => setStep({ kind: 'capture', c: step.c })}>
                {t('survival.page.ready')}
              </button>
              <button type="button" style={plain} onClick={close}>
                {t('survival.page.cancel')}
              </button>
            </div>
          )}
          {step.kind === 'capture' && (
            <CapturePage
              c={step.c}
              onDone={(r) => setStep('error' in r ? { kind: 'error', text: r.error } : { kind: 'result', r })}
            />
          )}
          {step.kind === 'result' && (
            <div style={box} data-testid="survival-result">
              {step.r.result === 'passed' ? (
                <>
                  <p style={{ fontSize: 36, fontWeight: 800, color: BRAND }}>{t('survival.page.passed')}</p>
                  <p>{t('survival.page.passedNote')}</p>
                </>
              ) : (
                <>
                  <p style={{ fontSize: 32, fontWeight: 800, color: '#a8071a' }}>{t('survival.page.failed')}</p>
                  <p>{step.r.reason ? t(`survival.reasons.${step.r.reason}`) : ''}</p>
                  <p>{t('survival.page.triesLeft', { n: step.r.triesLeft })}</p>
                  {step.r.visitTaskCreated && <p>{t('survival.page.visitTask')}</p>}
                  {step.r.triesLeft > 0 && (
                    <button type="button" style={big} onClick={() => void begin()}>
                      {t('survival.page.tryAgain')}
                    </button>
                  )}
                </>
              )}
              <button type="button" style={plain} onClick={close}>
                {t('survival.page.done')}
              </button>
            </div>
          )}
          {step.kind === 'error' && (
            <div style={box}>
              <p role="alert" style={{ color: '#a8071a' }}>
                {step.text}
              </p>
              <button type="button" style={plain} onClick={close}>
                {t('survival.page.done')}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
