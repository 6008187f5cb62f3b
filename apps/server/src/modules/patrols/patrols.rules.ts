import type { CheckpointKind } from '@zhiyang/shared';
import { addDays } from '../../lib/dates.ts';

/** Days to rectify a hazard found at a checkpoint of this kind: gas and electrical the next day, others 3. */
export const RECTIFY_DAYS: Record<CheckpointKind, number> = {
  gas: 1,
  electrical: 1,
  fire_exit: 2,
  high_risk_room: 2,
  other: 3,
};

/** The default deadline of a hazard found today at a checkpoint of this kind. */
export function hazardDeadline(kind: CheckpointKind, today: string): string {
  return addDays(today, RECTIFY_DAYS[kind] ?? 3);
}

/** A photo data URL → its type and base64 data, or null when it is not a JPEG, PNG or WebP picture. */
export function decodePatrolPhoto(dataUrl: string): { mime: string; data: string } | null {
  const m = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return null;
  const bytes = Buffer.from(m[2], 'base64');
  const magic =
    (m[1] === 'image/jpeg' && bytes[0] === 0xff && bytes[1] === 0xd8) ||
    (m[1] === 'image/png' && bytes.subarray(0, 4).toString('hex') === '89504e47') ||
    (m[1] === 'image/webp' && bytes.subarray(8, 12).toString('ascii') === 'WEBP');
  return magic ? { mime: m[1], data: bytes.toString('base64') } : null;
}
