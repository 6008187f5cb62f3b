import type { CSSProperties } from 'react';

// 适老化: body 22 px, actions ≥ 24 px with ≥ 64 px touch targets, black on white / white on dark
// teal (contrast > 7:1).
export const INK = '#111';
export const BRAND = '#0b5d52';
export const DANGER = '#a8071a';
export const page: CSSProperties = {
  maxWidth: 560,
  margin: '0 auto',
  padding: 16,
  fontSize: 22,
  lineHeight: 1.5,
  color: INK,
  background: '#fff',
  minHeight: '100vh',
};
export const bigButton: CSSProperties = {
  display: 'block',
  width: '100%',
  minHeight: 72,
  fontSize: 28,
  fontWeight: 700,
  color: '#fff',
  background: BRAND,
  border: 'none',
  borderRadius: 14,
  margin: '12px 0',
  cursor: 'pointer',
};
export const ghostButton: CSSProperties = {
  ...bigButton,
  color: BRAND,
  background: '#fff',
  border: `3px solid ${BRAND}`,
  minHeight: 64,
  fontSize: 24,
};
export const box: CSSProperties = { border: `2px solid ${INK}`, borderRadius: 14, padding: 16, margin: '12px 0' };

/** "明天 11月26日周四 09:00" in China time: the words the confirmation shows and reads aloud. */
export function whenText(iso: string, lang: string, t: (k: string) => string): string {
  const tz = 'Asia/Shanghai';
  const day = new Intl.DateTimeFormat(lang, { month: 'long', day: 'numeric', weekday: 'short', timeZone: tz }).format(
    new Date(iso),
  );
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(
    new Date(iso),
  );
  const ahead = daysAhead(iso);
  const near = ahead >= 0 && ahead <= 2 ? `${t(`elderHome.today${ahead}`)} ` : '';
  return `${near}${day} ${time}`;
}

/** Whole China-time days from today to the instant (0 today, 1 tomorrow, negative in the past). */
export function daysAhead(iso: string): number {
  const cstDay = (d: Date) => Math.floor((d.getTime() + 8 * 3600_000) / 86_400_000);
  return cstDay(new Date(iso)) - cstDay(new Date());
}
