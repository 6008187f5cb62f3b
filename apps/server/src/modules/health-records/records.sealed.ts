import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
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

export const sealValues = (cipher: FieldCipher, v: MedicationValues | PhysicalValues) => cipher.encrypt(JSON.stringify(v));

/** The object in a box (`plain:` + JSON for a row not sealed yet); a box that does not open reads as empty. */
function openBox(cipher: FieldCipher, box: string | null): Record<string, unknown> {
  if (!box) return {};
  try {
    const o = JSON.parse(box.startsWith('plain:') ? box.slice(6) : cipher.decrypt(box)) as unknown;
    return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
const text = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function openMedication(cipher: FieldCipher, r: repo.SealedMedicationRow) {
  const o = openBox(cipher, r.box);
  return {
    id: r.id,
    name: text(o.name) ?? '',
    dose: text(o.dose),
    frequency: text(o.frequency),
    started_on: r.started_on,
    ended_on: r.ended_on,
  };
}
export type MedicationRow = ReturnType<typeof openMedication>;

export function openPhysicalValues(cipher: FieldCipher, box: string | null): PhysicalValues {
  const o = openBox(cipher, box);
  const v = { institution: text(o.institution), ecg: text(o.ecg), conclusion: text(o.conclusion) } as PhysicalValues;
  for (const k of PHYSICAL_NUMBERS) v[k] = num(o[k]);
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
    for (const r of rows) {
      const o = openBox(ctx.cipher, r.box);
      await repo.sealMedicationRow(
        tx,
        r.id,
        sealValues(ctx.cipher, { name: text(o.name) ?? '', dose: text(o.dose), frequency: text(o.frequency) }),
      );
    }
    return rows.length;
  });
  const physicals = await inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockUnsealedPhysicals(tx, limit);
    for (const r of rows) await repo.sealPhysicalRow(tx, r.id, sealValues(ctx.cipher, openPhysicalValues(ctx.cipher, r.box)));
    return rows.length;
  });
  return meds + physicals;
}
