import type { CareFindingType, CareVisitForm } from '@zhiyang/shared';

export interface DerivedFinding {
  type: CareFindingType;
  severity: 'concern' | 'urgent';
  detail: string | null;
}

/**
 * What a recorded visit found: every answer of the form other than the good one, each need, and
 * not meeting the elder. Gas and electricity hazards are urgent (a fire or poisoning risk today).
 */
export function findingsOf(outcome: 'met' | 'not_home', form: CareVisitForm | undefined): DerivedFinding[] {
  if (outcome === 'not_home') return [{ type: 'not_home', severity: 'concern', detail: null }];
  if (!form) return [];
  const out: DerivedFinding[] = [];
  if (form.health === 'poor') out.push({ type: 'health', severity: 'concern', detail: null });
  if (form.mood === 'low') out.push({ type: 'mood', severity: 'concern', detail: null });
  if (form.gas === 'hazard') out.push({ type: 'gas', severity: 'urgent', detail: null });
  if (form.electricity === 'hazard') out.push({ type: 'electricity', severity: 'urgent', detail: null });
  if (form.fallsRisk === 'high') out.push({ type: 'falls', severity: 'concern', detail: null });
  if (form.food === 'short') out.push({ type: 'food', severity: 'concern', detail: null });
  if (form.hygiene === 'poor') out.push({ type: 'hygiene', severity: 'concern', detail: null });
  if (form.medicines === 'problem') out.push({ type: 'medicines', severity: 'concern', detail: null });
  for (const need of new Set(form.needs ?? [])) out.push({ type: 'need', severity: 'concern', detail: need });
  return out;
}

/** A photo data URL → its type and bytes, or null when it is not one. */
export function decodePhoto(dataUrl: string): { mime: string; bytes: Buffer } | null {
  const m = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return null;
  const bytes = Buffer.from(m[2], 'base64');
  const magic =
    (m[1] === 'image/jpeg' && bytes[0] === 0xff && bytes[1] === 0xd8) ||
    (m[1] === 'image/png' && bytes.subarray(0, 4).toString('hex') === '89504e47') ||
    (m[1] === 'image/webp' && bytes.subarray(8, 12).toString('ascii') === 'WEBP');
  return magic ? { mime: m[1], bytes } : null;
}
