import dayjs from 'dayjs';
import i18next from 'i18next';

/** Date and minute in the viewer's time zone, or a dash. */
export function formatTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm') : '—';
}

/** Like formatTime with seconds, for logs. */
export function formatTimeSeconds(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : '—';
}

const DURATION_UNITS = {
  'zh-CN': { d: '天', h: '小时', m: '分', s: '秒', sep: '' },
  'en-US': { d: ' d', h: ' h', m: ' min', s: ' s', sep: ' ' },
} as const;

/**
 * A length of time for people, in the viewer's language: 55秒, 10分55秒, 2小时5分, 3天2小时
 * (en-US: 10 min 55 s). Two units at most; every waiting time and age on a screen goes through here.
 */
export function formatDuration(seconds: number, lang: string = i18next.language): string {
  const u = lang === 'en-US' ? DURATION_UNITS['en-US'] : DURATION_UNITS['zh-CN'];
  const s = Math.max(0, Math.floor(seconds));
  const parts: [number, string][] =
    s < 60
      ? [[s, u.s]]
      : s < 3600
        ? [
            [Math.floor(s / 60), u.m],
            [s % 60, u.s],
          ]
        : s < 86_400
          ? [
              [Math.floor(s / 3600), u.h],
              [Math.floor((s % 3600) / 60), u.m],
            ]
          : [
              [Math.floor(s / 86_400), u.d],
              [Math.floor((s % 86_400) / 3600), u.h],
            ];
  return parts
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(u.sep);
}
