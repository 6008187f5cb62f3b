import { randomUUID } from 'node:crypto';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { validationError } from '../../lib/errors.ts';
import * as repo from './health-records.repo.ts';
import type { VitalCode } from './health-records.schema.ts';
import { activeEnrolmentPackage } from './ltc.repo.ts';
import { medicationsOf, physicalsOf } from './records.sealed.ts';
import { auditHealthRead, elderForHealth } from './records.service.ts';

/**
 * The health summary as an HL7 FHIR R4 Bundle (type `collection`) for exchange with health
 * systems: Patient, Observation (the latest reading of each vital sign, LOINC-coded, blood pressure
 * as the vital-signs panel with two components), Condition (chronic conditions), AllergyIntolerance,
 * MedicationStatement and CarePlan (the 长护险 package and recent services). docs/health-records.md
 * has the mapping. The tests validate it against the official R4 structure definitions.
 */

/** 居民身份证号 in the national health data standard (WS 364 / the OID of the resident ID). */
export const RESIDENT_ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';
/** The platform's own elder id: what the Patient carries unless the ID number is asked for. */
export const ELDER_ID_SYSTEM = 'https://zhiyang.dev/fhir/elder-id';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

const VITALS: Record<
  Exclude<VitalCode, 'systolic' | 'diastolic'>,
  { loinc: string; display: string; unit: string; ucum: string; lab?: true }
> = {
  heart_rate: { loinc: '8867-4', display: 'Heart rate', unit: '/min', ucum: '/min' },
  resp_rate: { loinc: '9279-1', display: 'Respiratory rate', unit: '/min', ucum: '/min' },
  spo2: { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%' },
  temperature: { loinc: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel' },
  glucose: { loinc: '15074-8', display: 'Glucose [Moles/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', lab: true },
};

type Resource = Record<string, unknown> & { resourceType: string; id: string };

const concept = (code: string, display: string, system = LOINC) => ({ coding: [{ system, code, display }], text: display });
const category = (code: 'vital-signs' | 'laboratory') => [
  { coding: [{ system: CATEGORY, code, display: code === 'vital-signs' ? 'Vital Signs' : 'Laboratory' }] },
];
const quantity = (value: number, unit: string, ucum: string) => ({ value, unit, system: UCUM, code: ucum });

export async function exportFhir(
  ctx: AppContext,
  actor: Actor,
  elderId: string,
  opts: { includeIdNumber: boolean; reason?: string },
) {
  const elder = await elderForHealth(ctx, actor, elderId, opts.reason);
  // The ID number is what a hospital matches a patient by; masked it is useless, so it goes out
  // whole — only when asked, with a reason, and audited as such.
  if (opts.includeIdNumber && !opts.reason) throw validationError('query.reason', 'say why the ID number leaves the platform');
  const [latest, medications, physicals, pkg] = await Promise.all([
    repo.latestObservations(ctx.db, elder.id),
    medicationsOf(ctx, elder.id),
    physicalsOf(ctx, elder.id),
    activeEnrolmentPackage(ctx.db, elder.id),
  ]);
  const services = await repo.activeCarePlanItems(ctx.db, elder.id);
  const patientRef = { reference: `urn:uuid:${elder.id}`, display: elder.name };

  const identifier: Array<Record<string, string>> = [{ system: ELDER_ID_SYSTEM, value: elder.id }];
  if (opts.includeIdNumber && elder.id_type === 'resident_id')
    identifier.unshift({ system: RESIDENT_ID_SYSTEM, value: ctx.cipher.decrypt(elder.id_number_enc) });
  const patient: Resource = {
    resourceType: 'Patient',
    id: elder.id,
    identifier,
    active: elder.status !== 'deceased',
    name: [{ text: elder.name }],
    gender: elder.sex,
    birthDate: elder.birth_date,
    ...(elder.status === 'deceased' ? { deceasedBoolean: true } : {}),
    ...(elder.address ? { address: [{ text: elder.address }] } : {}),
  };

  const resources: Resource[] = [patient];
  const byCode = new Map(latest.map((l) => [l.code, l]));
  for (const [code, v] of Object.entries(VITALS) as Array<[keyof typeof VITALS, (typeof VITALS)[keyof typeof VITALS]]>) {
    const l = byCode.get(code);
    if (!l) continue;
    resources.push({
      resourceType: 'Observation',
      id: randomUUID(),
      status: 'final',
      category: category(v.lab ? 'laboratory' : 'vital-signs'),
      code: concept(v.loinc, v.display),
      subject: patientRef,
      effectiveDateTime: new Date(l.observed_at).toISOString(),
      valueQuantity: quantity(l.value, v.unit, v.ucum),
    });
  }
  const sys = byCode.get('systolic');
  const dia = byCode.get('diastolic');
  if (sys || dia) {
    const at = new Date((sys ?? dia)?.observed_at ?? Date.now()).toISOString();
    resources.push({
      resourceType: 'Observation',
      id: randomUUID(),
      status: 'final',
      category: category('vital-signs'),
      code: concept('85354-9', 'Blood pressure panel with all children optional'),
      subject: patientRef,
      effectiveDateTime: at,
      component: [
        ...(sys
          ? [{ code: concept('8480-6', 'Systolic blood pressure'), valueQuantity: quantity(sys.value, 'mmHg', 'mm[Hg]') }]
          : []),
        ...(dia
          ? [{ code: concept('8462-4', 'Diastolic blood pressure'), valueQuantity: quantity(dia.value, 'mmHg', 'mm[Hg]') }]
          : []),
      ],
    });
  }
  // The latest physical's body measurements (体检).
  const p = physicals[0];
  if (p?.height_cm)
    resources.push(physicalObservation(patientRef, p.exam_date, '8302-2', 'Body height', quantity(p.height_cm, 'cm', 'cm')));
  if (p?.weight_kg)
    resources.push(physicalObservation(patientRef, p.exam_date, '29463-7', 'Body weight', quantity(p.weight_kg, 'kg', 'kg')));

  for (const c of elder.chronic_conditions)
    resources.push({
      resourceType: 'Condition',
      id: randomUUID(),
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active', display: 'Active' }],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: 'problem-list-item',
              display: 'Problem List Item',
            },
          ],
        },
      ],
      code: { text: c },
      subject: patientRef,
    });
  for (const a of elder.allergies)
    resources.push({
      resourceType: 'AllergyIntolerance',
      id: randomUUID(),
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active', display: 'Active' },
        ],
      },
      code: { text: a },
      patient: patientRef,
    });
  const today = new Date().toISOString().slice(0, 10);
  for (const m of medications) {
    const ended = m.ended_on !== null && m.ended_on < today;
    resources.push({
      resourceType: 'MedicationStatement',
      id: m.id,
      status: ended ? 'completed' : 'active',
      medicationCodeableConcept: { text: m.name },
      subject: patientRef,
      ...(m.started_on || m.ended_on
        ? { effectivePeriod: { ...(m.started_on ? { start: m.started_on } : {}), ...(m.ended_on ? { end: m.ended_on } : {}) } }
        : {}),
      ...(m.dose || m.frequency ? { dosage: [{ text: [m.dose, m.frequency].filter(Boolean).join('，') }] } : {}),
    });
  }
  const activities = [...(pkg?.items ?? []), ...services.map((s) => s.item).filter((s) => !pkg?.items.includes(s))];
  if (activities.length)
    resources.push({
      resourceType: 'CarePlan',
      id: randomUUID(),
      status: 'active',
      intent: 'plan',
      title: pkg ? `${pkg.policyName}（每月${pkg.monthlyHours}小时）` : '居家养老服务',
      subject: patientRef,
      activity: activities.map((a) => ({ detail: { status: 'scheduled', description: a } })),
    });

  await auditHealthRead(ctx, actor, elder, 'fhir', opts.reason, {
    includeIdNumber: opts.includeIdNumber,
    resources: resources.length,
  });
  return {
    resourceType: 'Bundle' as const,
    id: randomUUID(),
    type: 'collection',
    timestamp: new Date().toISOString(),
    entry: resources.map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: r })),
  };
}

function physicalObservation(subject: unknown, day: string, loinc: string, display: string, value: unknown): Resource {
  return {
    resourceType: 'Observation',
    id: randomUUID(),
    status: 'final',
    category: category('vital-signs'),
    code: concept(loinc, display),
    subject,
    effectiveDateTime: day,
    valueQuantity: value,
  };
}
