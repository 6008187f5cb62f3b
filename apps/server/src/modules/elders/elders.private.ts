import type { FieldCipher } from '../../lib/crypto.ts';
import { maskAddress } from '../../lib/http.ts';
import { openSealed, sealedStrings, sealedText, sealJson } from '../../lib/sealed.ts';

/**
 * An elder's private fields: the street address (who goes to the door needs it), the health
 * notes (meals, 医养结合, health records) and the free-text notes. Stored encrypted together in
 * `elders.private_enc` (0995); lists show `address_masked` only.
 */
export interface ElderPrivate {
  address: string | null;
  chronicConditions: string[];
  allergies: string[];
  dietRestrictions: string[];
  notes: string | null;
}

/** The elders columns that hold the private fields, for an insert or an update. The plain columns are cleared. */
export function sealElderPrivate(cipher: FieldCipher, p: Partial<ElderPrivate>) {
  const value: ElderPrivate = {
    address: p.address ?? null,
    chronicConditions: p.chronicConditions ?? [],
    allergies: p.allergies ?? [],
    dietRestrictions: p.dietRestrictions ?? [],
    notes: p.notes ?? null,
  };
  return {
    privateEnc: sealJson(cipher, value),
    addressMasked: maskAddress(value.address),
    plainAddress: null,
    plainChronicConditions: [] as string[],
    plainAllergies: [] as string[],
    plainDietRestrictions: [] as string[],
    plainNotes: null,
  };
}

/**
 * Open what `privateBox` (elders.repo.ts) selected: the encrypted box, or the plain columns of a
 * row the backfill has not reached yet. A box that does not open reads as empty, never as a 500.
 */
export function openElderPrivate(cipher: FieldCipher, box: string | null | undefined): ElderPrivate {
  const o = openSealed(cipher, box);
  return {
    address: sealedText(o.address),
    chronicConditions: sealedStrings(o.chronicConditions),
    allergies: sealedStrings(o.allergies),
    dietRestrictions: sealedStrings(o.dietRestrictions),
    notes: sealedText(o.notes),
  };
}

/** The private fields of a whole elders row (a Drizzle `select()` of the table), sealed or not yet. */
export function openElderRow(
  cipher: FieldCipher,
  r: {
    privateEnc: string | null;
    plainAddress: string | null;
    plainChronicConditions: string[] | null;
    plainAllergies: string[] | null;
    plainDietRestrictions: string[] | null;
    plainNotes: string | null;
  },
): ElderPrivate {
  if (r.privateEnc) return openElderPrivate(cipher, r.privateEnc);
  return {
    address: r.plainAddress,
    chronicConditions: r.plainChronicConditions ?? [],
    allergies: r.plainAllergies ?? [],
    dietRestrictions: r.plainDietRestrictions ?? [],
    notes: r.plainNotes,
  };
}

/**
 * A row selected with `privateBox(…) AS elder_private`, the box opened into the snake_case fields
 * such a query once selected in clear (address, chronic_conditions, allergies, diet_restrictions).
 */
export function withElderPrivate<T extends { elder_private: string | null }>(cipher: FieldCipher, row: T) {
  const { elder_private, ...rest } = row;
  const p = openElderPrivate(cipher, elder_private);
  return {
    ...rest,
    address: p.address,
    chronic_conditions: p.chronicConditions,
    allergies: p.allergies,
    diet_restrictions: p.dietRestrictions,
  };
}
