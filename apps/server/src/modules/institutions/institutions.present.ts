import type { FieldCipher } from '../../lib/crypto.ts';
import { cstDate } from '../../lib/dates.ts';
import { maskedId } from '../elders/elders.present.ts';
import type { AdmissionRow, BedPlace, BoardRow, InstitutionRow, SignedAssessment } from './institutions.repo.ts';
import type { careRecords, institutionIncidents } from './institutions.schema.ts';

export function presentInstitution(r: InstitutionRow) {
  return {
    orgId: r.org.id,
    name: r.org.name,
    regionCode: r.org.regionCode,
    ownership: r.profile?.ownership ?? ('private' as const),
    licenceNo: r.profile?.licenceNo ?? null,
    filingNo: r.profile?.filingNo ?? null,
    filedOn: r.profile?.filedOn ?? null,
    capacity: r.profile?.capacity ?? 0,
  };
}

function ageOf(birthDate: string | null): number | null {
  if (!birthDate) return null;
  const today = cstDate();
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** An application or stay: the ID number masked, the bed by its place. */
export function presentAdmission(
  cipher: FieldCipher,
  r: AdmissionRow,
  place: BedPlace | undefined,
  latest: SignedAssessment | undefined,
  reservation?: { place: BedPlace | undefined; reservedUntil: Date },
) {
  const a = r.a;
  return {
    id: a.id,
    orgId: a.orgId,
    elderId: a.elderId,
    elderName: r.elderName,
    idNumberMasked: maskedId(cipher, r.idNumberEnc),
    age: ageOf(r.birthDate),
    status: a.status,
    appliedOn: a.appliedOn,
    abilityAssessmentId: a.abilityAssessmentId,
    abilityLevel: a.abilityLevel,
    latestAssessment: latest ? { id: latest.id, level: latest.level, assessedOn: latest.assessed_on } : null,
    riskItems: a.riskItems,
    riskLevel: a.riskLevel,
    nursingLevel: a.nursingLevel,
    carePlan: a.carePlan,
    bed: place ? { id: place.id, building: place.building, floor: place.floor, room: place.room, label: place.label } : null,
    reservation: reservation?.place
      ? {
          bedId: reservation.place.id,
          building: reservation.place.building,
          floor: reservation.place.floor,
          room: reservation.place.room,
          label: reservation.place.label,
          reservedUntil: reservation.reservedUntil.toISOString(),
        }
      : null,
    contractNo: a.contractNo,
    bedFeeFen: a.bedFeeFen,
    nursingFeeFen: a.nursingFeeFen,
    mealFeeFen: a.mealFeeFen,
    depositFen: a.depositFen,
    admittedOn: a.admittedOn,
    endedOn: a.endedOn,
    endNote: a.endNote,
    transferDestination: a.transferDestination,
  };
}

export function presentBoardBed(b: BoardRow) {
  return {
    id: b.bed_id,
    label: b.label,
    nursing: b.nursing,
    priceFen: b.price_fen,
    status: b.status,
    admissionId: b.admission_id,
    residentName: b.resident,
    nursingLevel: (b.nursing_level as 'special' | 'level1' | 'level2' | 'level3' | null) ?? null,
    devices: b.devices ?? [],
    openAlarms: b.open_alarms,
  };
}

export function presentCareRecord(r: typeof careRecords.$inferSelect) {
  return {
    id: r.id,
    admissionId: r.admissionId,
    kind: r.kind,
    item: r.item,
    data: r.data,
    doneAt: r.doneAt.toISOString(),
    day: r.day,
    byName: r.byName,
  };
}

export function presentIncident(r: { i: typeof institutionIncidents.$inferSelect; elderName: string }) {
  return {
    id: r.i.id,
    admissionId: r.i.admissionId,
    elderName: r.elderName,
    kind: r.i.kind as 'fall',
    severity: r.i.severity as 'minor',
    occurredAt: r.i.occurredAt.toISOString(),
    description: r.i.description,
    actionTaken: r.i.actionTaken,
    familyTold: r.i.familyTold,
  };
}
