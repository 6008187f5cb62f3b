import type { FieldCipher } from '../../lib/crypto.ts';
import { isoDate } from '../../lib/http.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import type { AlarmView } from './alarms.repo.ts';

/** The alarm as the API and the WebSocket present it. */
export function presentAlarm(cipher: FieldCipher, v: NonNullable<AlarmView>) {
  const a = v.alarm;
  return {
    id: a.id,
    type: a.type,
    priority: a.priority,
    raisedPriority: a.raisedPriority,
    status: a.status,
    open: a.open,
    elderId: a.elderId,
    elderName: v.elderName ?? null,
    address: v.alarm.elderId ? openElderPrivate(cipher, v.elderPrivate).address : null,
    lat: v.elderLat ?? null,
    lng: v.elderLng ?? null,
    deviceId: a.deviceId,
    regionCode: a.regionCode,
    regionName: v.regionName ?? null,
    eventCount: a.eventCount,
    lastEventAt: a.lastEventAt.toISOString(),
    data: a.data,
    cancelledAt: isoDate(a.cancelledAt),
    raisedAt: a.raisedAt.toISOString(),
    acknowledgedAt: isoDate(a.acknowledgedAt),
    holder: a.acknowledgedBy ? { id: a.acknowledgedBy, name: v.holderName ?? '' } : null,
    escalationLevel: a.escalationLevel,
    resolvedAt: isoDate(a.resolvedAt),
    outcome: a.outcome,
    resolutionNote: a.resolutionNote,
    reviewedAt: isoDate(a.reviewedAt),
  };
}
