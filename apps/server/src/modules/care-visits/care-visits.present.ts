import type { CareFindingType, CareFollowUpType, CareGroup } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { maskPhone } from '../../lib/http.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import type { HouseholdRow, MemberRow } from './care-visits.repo.ts';
import type { FollowUpRow } from './follow-ups.repo.ts';
import type { FindingRow, VisitRow } from './visits.repo.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentMember(r: MemberRow) {
  return {
    elderId: r.elder_id,
    elderName: r.elder_name,
    age: r.age,
    regionCode: r.region_code,
    regionName: r.region_name,
    groups: r.groups as Array<{ group: CareGroup; source: 'computed' | 'staff' }>,
    plan:
      r.risk_level === null
        ? null
        : {
            riskLevel: r.risk_level,
            intervalDays: r.interval_days ?? 0,
            assigneeId: r.assignee_id,
            assigneeName: r.assignee_name,
            active: r.plan_active ?? false,
          },
    lastVisitedAt: iso(r.last_visited_at),
    nextDueOn: r.next_due_on,
  };
}

function safeDecrypt(cipher: FieldCipher, box: string | null) {
  if (!box) return null;
  try {
    return cipher.decrypt(box);
  } catch {
    return null;
  }
}

export function presentHousehold(
  cipher: FieldCipher,
  elder: { id: string; name: string },
  h: HouseholdRow | undefined,
  contactKeyHolders: string[],
) {
  return {
    elderId: elder.id,
    elderName: elder.name,
    members: h?.members ?? [],
    carerName: h?.carer_name ?? null,
    carerPhoneMasked: maskPhone(safeDecrypt(cipher, h?.carer_phone_enc ?? null)),
    housing: h?.housing ?? null,
    housingCondition: h?.housing_condition ?? null,
    housingNote: h?.housing_note ?? null,
    keyHolderName: h?.key_holder_name ?? null,
    keyHolderPhoneMasked: maskPhone(safeDecrypt(cipher, h?.key_holder_phone_enc ?? null)),
    contactKeyHolders,
    updatedAt: iso(h?.updated_at ?? null),
  };
}

export function presentVisit(cipher: FieldCipher, r: VisitRow, today: string) {
  return {
    id: r.id,
    elderId: r.elder_id,
    elderName: r.elder_name,
    elderAddress: openElderPrivate(cipher, r.elder_private).address,
    regionCode: r.region_code,
    regionName: r.region_name,
    groups: (r.groups ?? []) as CareGroup[],
    riskLevel: r.risk_level,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    dueOn: r.due_on,
    status: r.status,
    overdue: r.status === 'scheduled' && r.due_on < today,
    escalated: r.escalated_at !== null,
    escalatedTo: r.escalated_to,
    outcome: r.outcome,
    visitedAt: iso(r.visited_at),
    visitedByName: r.visited_by_name,
    checkInMethod: r.check_in_method,
    checkInDistanceM: r.check_in_distance_m,
    findings: r.findings,
  };
}

export function presentFinding(f: FindingRow) {
  return {
    id: f.id,
    visitId: f.visit_id,
    type: f.type as CareFindingType,
    severity: f.severity,
    detail: f.detail,
    foundAt: new Date(f.found_at).toISOString(),
  };
}

export function presentFollowUp(r: FollowUpRow, today: string) {
  return {
    id: r.id,
    findingId: r.finding_id,
    findingType: r.finding_type as CareFindingType,
    elderId: r.elder_id,
    elderName: r.elder_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    type: r.type as CareFollowUpType,
    status: r.status,
    deadline: r.deadline,
    overdue: r.status === 'open' && r.deadline < today,
    detail: r.detail,
    orderId: r.order_id,
    orderNo: r.order_no,
    orderStatus: r.order_status,
    alarmId: r.alarm_id,
    alarmStatus: r.alarm_status,
    createdByName: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    closedAt: iso(r.closed_at),
    closingNote: r.closing_note,
  };
}
