import type { NeighbourhoodPoint, VolunteerDetail, VolunteerSummary, VolunteerTask } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import type { PointRow, TaskRow, VolunteerRow } from './volunteers.repo.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function presentVolunteer(r: VolunteerRow): VolunteerSummary {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    phoneMasked: r.phone_masked,
    idNumberMasked: r.id_number_masked,
    regionCode: r.region_code,
    regionName: r.region_name,
    status: r.status,
    source: r.source,
    kind: r.kind,
    skills: r.skills as VolunteerSummary['skills'],
    availability: r.availability,
    balanceMinutes: Number(r.balance ?? 0),
    tasksDone: r.tasks_done,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function presentVolunteerDetail(
  r: VolunteerRow,
  relatives: Array<{ elder_id: string; elder_name: string; relation: string }>,
): VolunteerDetail {
  return {
    ...presentVolunteer(r),
    note: r.note,
    reviewNote: r.review_note,
    reviewedAt: iso(r.reviewed_at),
    selfElderId: r.self_elder_id,
    selfElderName: r.self_elder_name,
    relatives: relatives.map((x) => ({
      elderId: x.elder_id,
      elderName: x.elder_name,
      relation: x.relation as VolunteerDetail['relatives'][number]['relation'],
    })),
  };
}

/** A task; the elder's address only for someone serving or managing it (`withAddress`). */
export function presentTask(cipher: FieldCipher, r: TaskRow, withAddress = true): VolunteerTask {
  return {
    id: r.id,
    regionCode: r.region_code,
    elderId: r.elder_id,
    elderName: r.elder_name,
    elderAddress: withAddress && r.elder_id ? openElderPrivate(cipher, r.elder_private).address : null,
    kind: r.kind,
    notes: r.notes,
    scheduledOn: r.scheduled_on,
    plannedMinutes: r.planned_minutes,
    status: r.status,
    source: r.source,
    volunteerId: r.volunteer_id,
    volunteerName: r.volunteer_name,
    checkedInAt: iso(r.checked_in_at),
    checkInMethod: r.check_in_method,
    checkInDistanceM: r.check_in_distance_m,
    doneAt: iso(r.done_at),
    reportedMinutes: r.reported_minutes,
    doneNote: r.done_note,
    confirmedMinutes: r.confirmed_minutes,
    creditedMinutes: r.credited_minutes,
    confirmedAt: iso(r.confirmed_at),
    cancelReason: r.cancel_reason,
    servedVerdict: r.served_verdict ?? null,
    servedVerdictAt: iso(r.served_verdict_at ?? null),
    servedNote: r.served_note ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function presentPoint(r: PointRow): NeighbourhoodPoint {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    regionCode: r.region_code,
    regionName: r.region_name,
    lat: r.lat,
    lng: r.lng,
    activities: r.activities,
    active: r.active,
  };
}
