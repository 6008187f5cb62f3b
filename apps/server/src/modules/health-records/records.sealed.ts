import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { openSealed, sealedNumber, sealedText, sealJson } from '../../lib/sealed.ts';
import * as repo from './health-records.repo.ts';

/** A medicine's values as the record shows them. */
export interface MedicationValues {
  name: string;
  dose: string | null;
  frequency: string | null;
}

/** A physical exam's values as the record shows them (snake_case, as the columns once were). */
export interface PhysicalValues {
  institution: string | null;
  height_cm: number | null;
  weight_kg: number | null;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  fasting_glucose: number | null;
  total_cholesterol: number | null;
  triglycerides: number | null;
  ecg: string | null;
  conclusion: string | null;
}

const PHYSICAL_NUMBERS = [
  'height_cm',
  'weight_kg',
  'systolic',
  'diastolic',
  'heart_rate',
  'fasting_glucose',
  'total_cholesterol',
  'triglycerides',
] as const;

export const sealValues = (cipher: FieldCipher, v: MedicationValues | PhysicalValues) => sealJson(cipher, v);

export function openMedicationValues(cipher: FieldCipher, box: string | null): MedicationValues {
  const o = openSealed(cipher, box);
  return { name: sealedText(o.name) ?? '', dose: sealedText(o.dose), frequency: sealedText(o.frequency) };
}
export function openMedication(cipher: FieldCipher, r: repo.SealedMedicationRow) {
  return { id: r.id, ...openMedicationValues(cipher, r.box), started_on: r.started_on, ended_on: r.ended_on };
}
export type MedicationRow = ReturnType<typeof openMedication>;

export function openPhysicalValues(cipher: FieldCipher, box: string | null): PhysicalValues {
  const o = openSealed(cipher, box);
  const v = {
    institution: sealedText(o.institution),
    ecg: sealedText(o.ecg),
    conclusion: sealedText(o.conclusion),
  } as PhysicalValues;
  for (const k of PHYSICAL_NUMBERS) v[k] = sealedNumber(o[k]);
  return v;
}
export function openPhysical(cipher: FieldCipher, r: repo.SealedPhysicalRow) {
  return { id: r.id, exam_year: r.exam_year, exam_date: r.exam_date, ...openPhysicalValues(cipher, r.box) };
}
export type PhysicalRow = ReturnType<typeof openPhysical>;

/** An elder's medicines and physicals, opened. */
export const medicationsOf = async (ctx: AppContext, elderId: string) =>
  (await repo.listMedications(ctx.db, elderId)).map((r) => openMedication(ctx.cipher, r));
export const physicalsOf = async (ctx: AppContext, elderId: string) =>
  (await repo.listPhysicals(ctx.db, elderId)).map((r) => openPhysical(ctx.cipher, r));

/**
 * Seal the medicines and physicals written before 0996 and clear their plain columns (the key
 * lives with the application, so the migration cannot). Batches in their own transactions, rows
 * locked and skipped: safe to run again and from two processes. Nothing opened is logged.
 */
export async function backfillHealthSeals(ctx: AppContext, batch = 500): Promise<number> {
  const meds = await inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockUnsealedMedications(tx, limit);
    for (const r of rows) await repo.sealMedicationRow(tx, r.id, sealValues(ctx.cipher, openMedicationValues(ctx.cipher, r.box)));
    return rows.length;
  });
  const physicals = await inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockUnsealedPhysicals(tx, limit);
    for (const r of rows) await repo.sealPhysicalRow(tx, r.id, sealValues(ctx.cipher, openPhysicalValues(ctx.cipher, r.box)));
    return rows.length;
  });
  return meds + physicals;
}
