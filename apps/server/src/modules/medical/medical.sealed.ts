import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { openSealed, sealedText, sealJson } from '../../lib/sealed.ts';
import * as care from './care.repo.ts';

/**
 * The health data of 医养结合 rows, sealed per row (`private_enc`, lib/sealed.ts): a home visit's
 * reason, findings, advice and vital signs; a 家庭病床's diagnosis, criteria check and discharge
 * summary; a referral's reason. The repository selects them as one `box`; services open it here and
 * seal whole values back (a later step, such as recording the visit, seals the earlier values
 * with the new ones).
 */

export interface VisitHealth {
  reason: string;
  findings: string | null;
  advice: string | null;
  vitals: Record<string, number> | null;
}

export interface EpisodeHealth {
  diagnosis: string;
  criteriaCheck: unknown;
  dischargeSummary: string | null;
}

export interface ReferralHealth {
  reason: string;
  /** The team's note when it answered (why it refused, what it did). */
  note: string | null;
}

function numbers(v: unknown): Record<string, number> | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const out = Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
  return Object.keys(out).length ? out : null;
}

export function openVisitHealth(cipher: FieldCipher, box: string | null): VisitHealth {
  const o = openSealed(cipher, box);
  return {
    reason: sealedText(o.reason) ?? '',
    findings: sealedText(o.findings),
    advice: sealedText(o.advice),
    vitals: numbers(o.vitals),
  };
}

export function openEpisodeHealth(cipher: FieldCipher, box: string | null): EpisodeHealth {
  const o = openSealed(cipher, box);
  return {
    diagnosis: sealedText(o.diagnosis) ?? '',
    criteriaCheck: o.criteriaCheck ?? null,
    dischargeSummary: sealedText(o.dischargeSummary),
  };
}

/** `plainNote`: the plain `note` column of a row answered before notes were sealed, read until the backfill seals it. */
export function openReferralHealth(cipher: FieldCipher, box: string | null, plainNote: string | null = null): ReferralHealth {
  const o = openSealed(cipher, box);
  return { reason: sealedText(o.reason) ?? '', note: sealedText(o.note) ?? plainNote };
}

export const sealVisitHealth = (cipher: FieldCipher, v: VisitHealth) => sealJson(cipher, v);
export const sealEpisodeHealth = (cipher: FieldCipher, v: EpisodeHealth) => sealJson(cipher, v);
export const sealReferralHealth = (cipher: FieldCipher, v: ReferralHealth) => sealJson(cipher, v);

/** A new visit's sealed values: only its reason is known yet. */
export const sealVisitReason = (cipher: FieldCipher, reason: string) =>
  sealVisitHealth(cipher, { reason, findings: null, advice: null, vitals: null });

const OPENERS: Record<care.SealedTable, (cipher: FieldCipher, box: string, note: string | null) => object> = {
  visits: openVisitHealth,
  episodes: openEpisodeHealth,
  referrals: openReferralHealth,
};

/**
 * Seal the visits, 家庭病床 and referrals written before 0997, and the referral notes written in
 * clear before notes were sealed, and clear their plain columns (the key lives with the
 * application, so the migration cannot). Batches in their own transactions,
 * rows locked and skipped: safe to run again and from two processes. Nothing opened is logged.
 */
export async function backfillMedicalSeals(ctx: AppContext, batch = 500): Promise<number> {
  let done = 0;
  for (const table of Object.keys(OPENERS) as care.SealedTable[]) {
    done += await inBatches(ctx.db, batch, async (tx, limit) => {
      const rows = await care.lockUnsealed(tx, table, limit);
      for (const r of rows) await care.sealRow(tx, table, r.id, sealJson(ctx.cipher, OPENERS[table](ctx.cipher, r.box, r.note)));
      return rows.length;
    });
  }
  return done;
}
