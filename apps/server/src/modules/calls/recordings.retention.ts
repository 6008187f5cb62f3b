import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CALL_RECORDING_DELETE_AUDIT } from '@zhiyang/shared';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isMissing, recordingsDirOf, resolveRecording } from './recordings.files.ts';
import { clearRecording, recordingsDue } from './recordings.repo.ts';

/**
 * Recordings are kept RECORDING_RETENTION_DAYS (default 180) after the call, then deleted by the
 * daily `calls.recording-retention` job (docs/recordings.md):
 *
 * 1. every recording (every part: after 转接 a call has one per agent's leg) of a call past retention
 *    (the call ended — or, never ended, was offered — before the cutoff): its file under
 *    RECORDINGS_DIR is deleted, the part forgotten (the call's recordingRef follows), and the
 *    deletion audited (`call.recording.delete` on the call, once per part). A URL kept by another
 *    recorder is that recorder's to expire and is left alone.
 * 2. recording files (.pcap, .wav, and a sealer's leftover .sealing) in RECORDINGS_DIR last written before the cutoff that no call
 *    named (the telephony never reported them): deleted too, counted in one audit entry
 *    (`call.recording.purge`). A file last written before the cutoff cannot belong to a newer call.
 *
 * Idempotent: a file already gone is fine, a reference already cleared is not cleared (nor
 * audited) twice, and a second run finds nothing to do.
 */

const BATCH = 200;
// Also what a sealer left half-written when its process died (recordings.seal.ts).
const RECORDING_FILE = /\.(pcap|wav|sealing)$/i;
const DAY_MS = 86_400_000;

export interface RetentionResult {
  /** Recordings (parts of calls) removed. */
  calls: number;
  /** Files not named by any call that were removed. */
  orphans: number;
}

export async function expireRecordings(ctx: AppContext, now = new Date()): Promise<RetentionResult> {
  const days = ctx.config.recordingRetentionDays ?? 180;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const dir = recordingsDirOf(ctx.config);
  let cleared = 0;
  let after: string | null = null;
  for (;;) {
    const due = await recordingsDue(ctx.db, cutoff, after, BATCH);
    if (due.length === 0) break;
    after = due[due.length - 1].partId;
    for (const call of due) {
      const ref = call.recordingRef as string;
      let file: 'deleted' | 'already-gone' | 'not-a-file' = 'not-a-file';
      try {
        const where = await resolveRecording(dir, ref);
        if (where.kind === 'file') {
          await unlink(where.file);
          file = 'deleted';
        } else if (where.kind === 'missing') file = 'already-gone';
      } catch (err) {
        if (!isMissing(err)) {
          // Kept, and tried again tomorrow: a reference is cleared only once its file is gone.
          ctx.log.error({ err, callId: call.id }, 'recording retention: could not delete the file');
          continue;
        }
        file = 'already-gone';
      }
      const done = await ctx.db.transaction(async (tx) => {
        if (!(await clearRecording(tx, call.id, call.partId))) return false;
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: CALL_RECORDING_DELETE_AUDIT,
          targetType: 'call',
          targetId: call.id,
          regionCode: call.regionCode,
          detail: { reason: 'retention', retentionDays: days, file },
        });
        return true;
      });
      if (done) cleared++;
    }
  }
  const orphans = await purgeOldFiles(ctx, dir, cutoff);
  if (orphans > 0)
    await recordAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: 'call.recording.purge',
      detail: { reason: 'retention', retentionDays: days, files: orphans },
    });
  return { calls: cleared, orphans };
}

/** Delete recording files under `dir` last written before `cutoff`; symbolic links are never followed. */
async function purgeOldFiles(ctx: AppContext, dir: string, cutoff: Date): Promise<number> {
  let removed = 0;
  const walk = async (at: string, depth: number): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const e of entries) {
      const full = path.join(at, e.name);
      if (e.isDirectory() && depth < 8) await walk(full, depth + 1);
      else if (e.isFile() && RECORDING_FILE.test(e.name)) {
        try {
          const st = await lstat(full);
          if (st.mtime < cutoff) {
            await unlink(full);
            removed++;
          }
        } catch (err) {
          if (!isMissing(err)) ctx.log.error({ err }, 'recording retention: could not delete an old file');
        }
      }
    }
  };
  await walk(dir, 0);
  return removed;
}
