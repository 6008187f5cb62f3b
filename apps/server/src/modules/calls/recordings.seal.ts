import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../lib/context.ts';
import { isSealedFile } from '../../lib/crypto.ts';
import { isMissing, readRecordingBytes, recordingsDirOf, resolveRecording } from './recordings.files.ts';
import { markSealed, partsToSeal } from './recordings.repo.ts';

/**
 * Recordings encrypted at rest (docs/recordings.md#encrypted-at-rest). The recorder writes a call's
 * file in clear; once the telephony reports it finished (`call.recording_ready`) the job
 * `calls.recording-seal` replaces it by its sealed form under the same name (FieldCipher.sealFile,
 * the file's reference authenticated with it) and stamps the part. The replacement is a new file
 * written beside it, flushed, then renamed over the old one: at every moment the name holds either
 * the whole recording in clear or the whole sealed one. `calls.recording-seal-sweep` seals every
 * part not stamped yet (recordings made before 0999, a job that failed).
 *
 * Recordings within a day of their retention's end are left to the retention job (a rename after
 * its deletion would put the file back). Safe to run twice and from two processes: a file already
 * sealed is only stamped; two sealers of the same file each write a whole sealed copy, and the last
 * rename wins.
 */

const BATCH = 100;
const DAY_MS = 86_400_000;
const TEMP_SUFFIX = '.sealing';

export interface SealResult {
  sealed: number;
  /** Parts whose file was sealed already (stamped now). */
  already: number;
  /** Parts left for the next run: the file is missing, refused or too large. */
  skipped: number;
}

export async function sealRecordings(ctx: AppContext, only?: { partId: string }): Promise<SealResult> {
  const dir = recordingsDirOf(ctx.config);
  const result: SealResult = { sealed: 0, already: 0, skipped: 0 };
  // A day short of the retention period: what is older is about to be deleted, not sealed.
  const since = new Date(Date.now() - ((ctx.config.recordingRetentionDays ?? 180) - 1) * DAY_MS);
  let after: string | null = null;
  for (;;) {
    const parts = await partsToSeal(ctx.db, { after, partId: only?.partId, since, limit: BATCH });
    if (parts.length === 0) break;
    after = parts[parts.length - 1].partId;
    for (const part of parts) {
      const outcome = await sealOne(ctx, dir, part.ref).catch((err: unknown) => {
        ctx.log.error({ err, callId: part.callId, partId: part.partId }, 'recording seal: could not seal the file');
        return 'skipped' as const;
      });
      if (outcome !== 'skipped') await markSealed(ctx.db, part.partId);
      result[outcome]++;
    }
    if (only) break;
  }
  return result;
}

async function sealOne(ctx: AppContext, dir: string, ref: string): Promise<keyof SealResult> {
  const where = await resolveRecording(dir, ref);
  // Missing: deleted, or not written yet; the sweep looks again. Refused: the player says why.
  if (where.kind !== 'file') return 'skipped';
  const plain = await readRecordingBytes(where.file);
  if (!plain) return 'skipped';
  if (isSealedFile(plain)) return 'already';
  const sealed = await ctx.cipher.sealFile(plain, ref);
  const temp = path.join(
    path.dirname(where.file),
    `.${path.basename(where.file)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
  try {
    const out = await open(temp, 'wx', 0o600);
    try {
      await out.writeFile(sealed);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(temp, where.file);
  } catch (err) {
    await unlink(temp).catch((e: unknown) => {
      if (!isMissing(e)) throw e;
    });
    throw err;
  }
  return 'sealed';
}
