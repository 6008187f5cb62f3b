import { formatDuration } from '../../app/format.ts';
import type { Alarm, Priority } from './types.ts';

export const PRIORITY_COLOR: Record<Priority, string> = { P1: '#cf1322', P2: '#d46b08', P3: '#1677ff' };
const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };

const untaken = (a: Alarm) => (a.status === 'raised' ? 0 : 1);
/**
 * The queue's triage order, the same as the server's (GET /alarms?status=open): priority first,
 * then the alarms nobody took yet, oldest first, then those in hand.
 */
export function byPriorityThenAge(a: Alarm, b: Alarm): number {
  return (
    RANK[a.priority] - RANK[b.priority] ||
    untaken(a) - untaken(b) ||
    a.raisedAt.localeCompare(b.raisedAt) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Background for an alarm's age: waiting alarms turn from calm to amber at 30 s and red at the
 * 60 s target; alarms in hand stay neutral.
 */
export function ageColour(a: Alarm, now: number): string {
  if (a.status !== 'raised') return '#fafafa';
  const s = (now - Date.parse(a.raisedAt)) / 1000;
  if (s >= 60) return '#fff1f0';
  if (s >= 30) return '#fff7e6';
  return '#f6ffed';
}

/** How long since `iso`, for people: 10分55秒 (one formatter for every duration, app/format.ts). */
export function ageText(iso: string, now: number): string {
  return formatDuration((now - Date.parse(iso)) / 1000);
}

/** The operator's choice of alarm sound (on unless set to `off`), kept in this browser. */
export const ALARM_SOUND_KEY = 'zy.alarmSound';
let audio: AudioContext | null = null;
/** True for a moment after the audio context is made: a browser that allows sound starts it by then. */
let starting = false;
const soundListeners = new Set<() => void>();
const soundChanged = () => {
  for (const l of soundListeners) l();
};
/** How long a new audio context may take to start before the page says the browser blocks sound. */
const SOUND_START_MS = 1500;
/**
 * Allow sound. Browsers start audio only after a click, so the alarm centre calls this at once
 * (it works when the sign-in click came just before) and again on the operator's first click.
 */
export function enableSound(): void {
  if (audio) {
    void audio.resume();
    return;
  }
  audio = new AudioContext();
  audio.addEventListener('statechange', soundChanged);
  starting = true;
  const started = () => {
    if (!starting) return;
    starting = false;
    soundChanged();
  };
  // resume() stays pending while the browser blocks sound: the timer ends the moment then.
  void audio.resume().then(started, started);
  setTimeout(started, SOUND_START_MS);
}
/**
 * Whether the browser lets the page make sound now: `blocked` until a click allowed it, `starting`
 * before the page asked or while a new context starts (the page's first moment says nothing yet).
 */
export const soundState = (): 'running' | 'starting' | 'blocked' =>
  audio?.state === 'running' ? 'running' : !audio || starting ? 'starting' : 'blocked';
export function onSoundState(l: () => void): () => void {
  soundListeners.add(l);
  return () => soundListeners.delete(l);
}

let flashing: ReturnType<typeof setInterval> | undefined;
let plainTitle = '';
/**
 * Flash the browser tab's title (a new P1/P2 while the operator looks elsewhere) until the
 * operator clicks or presses a key on the page.
 */
export function flashTitle(text: string): void {
  if (!flashing) plainTitle = document.title;
  clearInterval(flashing);
  let on = true;
  document.title = text;
  flashing = setInterval(() => {
    on = !on;
    document.title = on ? text : plainTitle;
  }, 1000);
  const stop = () => {
    clearInterval(flashing);
    flashing = undefined;
    document.title = plainTitle;
    window.removeEventListener('pointerdown', stop);
    window.removeEventListener('keydown', stop);
  };
  window.addEventListener('pointerdown', stop);
  window.addEventListener('keydown', stop);
}

/** Three short high beeps: a new or escalated P1 or P2. */
export function beep(): void {
  const ctx = audio;
  if (ctx?.state !== 'running') return;
  for (let i = 0; i < 3; i++) {
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 1046;
    g.gain.value = 0.2;
    o.connect(g).connect(ctx.destination);
    const t = ctx.currentTime + i * 0.25;
    o.start(t);
    o.stop(t + 0.15);
  }
}
