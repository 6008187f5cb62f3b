import dayjs from 'dayjs';

/** Date and minute in the viewer's time zone, or a dash. */
export function formatTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm') : '—';
}

/** Like formatTime with seconds, for logs. */
export function formatTimeSeconds(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : '—';
}
