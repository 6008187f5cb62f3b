import type { AbilityLevelCode, FamilyBedDetail, FamilyBedMonth, FamilyBedSummary, FamilyBedSuspension } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { maskedId } from '../elders/elders.present.ts';
import type { BedNames, BedRow, DeviceState, MonthRow, SuspensionRow } from './family-beds.repo.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function presentMonth(m: MonthRow): FamilyBedMonth {
  return {
    bedId: m.bedId,
    month: m.month,
    required: m.required,
    delivered: m.delivered,
    status: m.status,
    holdReason: m.holdReason,
    amountFen: m.amountFen,
    checkedAt: m.checkedAt.toISOString(),
    releasedAt: iso(m.releasedAt),
    releaseReason: m.releaseReason,
    settled: m.settlementId !== null,
    suspendedDays: m.suspendedDays,
  };
}

export function presentSuspension(p: SuspensionRow): FamilyBedSuspension {
  return { id: p.id, fromDay: p.fromDay, toDay: p.toDay, reason: p.reason, createdAt: p.createdAt.toISOString() };
}

export function presentDevice(d: DeviceState) {
  return {
    id: d.id,
    type: d.type as 'bed',
    online: d.online,
    battery: d.battery,
    lastSeenAt: iso(d.last_seen_at),
  };
}

/** A bed in a list: the ID number masked. */
export function presentSummary(cipher: FieldCipher, b: BedRow, n: BedNames | undefined): FamilyBedSummary {
  return {
    id: b.id,
    elderId: b.elderId,
    elderName: n?.elder_name ?? '',
    idNumberMasked: n ? maskedId(cipher, n.id_number_enc) : null,
    regionCode: b.regionCode,
    regionName: n?.region_name ?? null,
    status: b.status,
    abilityLevel: b.abilityLevel as AbilityLevelCode,
    appliedOn: b.appliedOn,
    providerId: b.providerId,
    providerName: n?.provider_name ?? null,
    activatedOn: b.activatedOn,
  };
}

export function presentDetail(
  cipher: FieldCipher,
  b: BedRow,
  n: BedNames | undefined,
  extra: {
    devices: DeviceState[];
    months: MonthRow[];
    items: Array<{ id: string; name: string }>;
    suspensions: SuspensionRow[];
  },
): FamilyBedDetail {
  return {
    ...presentSummary(cipher, b, n),
    assessmentId: b.assessmentId,
    note: b.note,
    homeChecklist: b.homeChecklist,
    homeAssessedOn: b.homeAssessedOn,
    homeNote: b.homeNote,
    contractNo: b.contractNo,
    contractFrom: b.contractFrom,
    contractTo: b.contractTo,
    package:
      b.policyId && b.visitsPerWeek && b.monthlyFen
        ? {
            visitsPerWeek: b.visitsPerWeek,
            items: extra.items,
            policyId: b.policyId,
            policyName: n?.policy_name ?? '',
            monthlyFen: b.monthlyFen,
          }
        : null,
    monitoring: b.monitoring,
    devices: extra.devices.map(presentDevice),
    statusReason: b.statusReason,
    endedOn: b.endedOn,
    months: extra.months.map(presentMonth),
    suspensions: extra.suspensions.map(presentSuspension),
  };
}
