import { formatDuration } from '../../app/format.ts';

export { useNow } from '../../app/useNow.ts';

/** How long since `iso`, for people (10分55秒), or a dash. */
export function sinceText(iso: string | null | undefined, now: number): string {
  return iso ? formatDuration((now - Date.parse(iso)) / 1000) : '—';
}

/** Seconds between two instants (null when either is missing). */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** A duration in seconds for people, or a dash. */
export function durationText(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '—' : formatDuration(seconds);
}

/** Colour of an agent state (tags on the state bar and the supervisor's wall). */
export const STATE_COLOR: Record<string, string> = {
  offline: 'default',
  idle: 'green',
  ringing: 'orange',
  talking: 'blue',
  wrap_up: 'purple',
  break: 'gold',
};
