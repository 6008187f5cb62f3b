import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { recordingRefKind } from '@zhiyang/shared';
import type { Config } from '../../config.ts';
import { type FieldCipher, isSealedFile } from '../../lib/crypto.ts';

/**
 * Where recordings live on disk: RECORDINGS_DIR (default DATA_DIR/recordings). A recordingRef is
 * only ever used as a path after `recordingRefKind` says it is a plain relative file name, and the
 * resolved path — symbolic links followed — must still lie inside the directory. Nothing else of
 * the file system can be named by a recordingRef.
 */

export const recordingsDirOf = (config: Config) => config.recordingsDir ?? path.join(config.dataDir, 'recordings');

/** A recording file larger than this is refused rather than read (about 3 hours of a two-leg G.711 call). */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

export type ResolvedRecording =
  | { kind: 'file'; file: string }
  | { kind: 'missing' }
  | { kind: 'url' }
  | { kind: 'invalid'; why: string };

const inside = (dir: string, file: string) => file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** The absolute path of a recording file inside `dir`, or why there is none. */
export async function resolveRecording(dir: string, ref: string): Promise<ResolvedRecording> {
  const kind = recordingRefKind(ref);
  if (kind === 'url') return { kind: 'url' };
  if (kind !== 'file') return { kind: 'invalid', why: 'not a relative file name inside RECORDINGS_DIR' };
  const root = path.resolve(dir);
  const file = path.resolve(root, ref);
  if (!inside(root, file)) return { kind: 'invalid', why: 'outside RECORDINGS_DIR' };
  let real: string;
  let realRoot: string;
  try {
    [realRoot, real] = await Promise.all([realpath(root), realpath(file)]);
  } catch (err) {
    if (isMissing(err)) return { kind: 'missing' };
    throw err;
  }
  // A symbolic link inside the directory must not lead out of it.
  if (!inside(realRoot, real)) return { kind: 'invalid', why: 'a link leading outside RECORDINGS_DIR' };
  const st = await lstat(real);
  if (!st.isFile()) return { kind: 'invalid', why: 'not a regular file' };
  return { kind: 'file', file: real };
}

/**
 * The whole file as the recorder wrote it — opened when it is sealed (recordings.seal.ts, with the
 * reference it was sealed under) — or null when it is larger than MAX_RECORDING_BYTES. Throws
 * RecordingSealError when a sealed file does not open.
 */
export async function readRecording(file: string, ref: string, cipher: FieldCipher): Promise<Buffer | null> {
  const raw = await readRecordingBytes(file);
  if (!raw || !isSealedFile(raw)) return raw;
  try {
    return await cipher.openFile(raw, ref);
  } catch {
    throw new RecordingSealError();
  }
}

/** The file's bytes as they are on disk (sealed or not), or null when it is larger than MAX_RECORDING_BYTES. */
export async function readRecordingBytes(file: string): Promise<Buffer | null> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size > MAX_RECORDING_BYTES) return null;
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** A sealed recording that does not open: changed on disk, moved from another name, or sealed under another SECRET_KEY. */
export class RecordingSealError extends Error {}

export const isMissing = (err: unknown) =>
  (err as NodeJS.ErrnoException)?.code === 'ENOENT' || (err as NodeJS.ErrnoException)?.code === 'ENOTDIR';
