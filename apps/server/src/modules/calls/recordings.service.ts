import { CALL_RECORDING_PLAY_AUDIT } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { RecordingSealError, readRecording, recordingsDirOf, resolveRecording } from './recordings.files.ts';
import { PcapError, readPcapRtp } from './recordings.pcap.ts';
import { findCallRecording, partsOf } from './recordings.repo.ts';
import { buildTimeline, SAMPLE_RATE, wavBytes, wavSize } from './recordings.wav.ts';

/**
 * Playing a call's recording (docs/recordings.md). Who: a supervisor (`call:supervise`) of the
 * call's region, or the agent who took the call; a call outside the caller's region is 404 like
 * every call route, anyone else in the region 403. What: the recorder's pcap decoded to a WAV
 * (recordings.wav.ts), or a WAV file as it is. Every answer that carries audio is audited
 * (`call.recording.play` on the call; the range asked for, never a number or a name).
 */

export interface RecordingAnswer {
  status: 200 | 206;
  headers: Record<string, string>;
  body: Iterable<Buffer>;
  bytes: number;
}

/** 416: the route adds `Content-Range: bytes *\/size` before the problem leaves. */
export class RangeNotSatisfiable extends AppError {
  constructor(readonly size: number) {
    super(416, 'Range Not Satisfiable', `The recording has ${size} bytes.`, undefined, 'bad-request');
  }
}

const missing = (detail: string) => new AppError(404, 'Not Found', detail, undefined, 'recording-missing');
const unreadable = (detail: string) => new AppError(422, 'Unprocessable Content', detail, undefined, 'recording-unreadable');

/** May the actor hear this call's recording? (The region is already checked by the query.) */
export function mayPlay(actor: Actor, call: { regionCode: string; agentUserId: string | null }): boolean {
  if (can(actor, 'call:supervise', { regionCode: call.regionCode })) return true;
  return actor.id !== null && call.agentUserId === actor.id && can(actor, 'call:take');
}

/**
 * Play the call's recording: `part` 1, 2 … of its recordings in the order they started (after
 * 转接 the next agent's leg is the next part), or, without `part`, the first one (the original
 * single-recording route). A part's own agent may also hear that part.
 */
export async function playRecording(
  ctx: AppContext,
  actor: Actor,
  id: string,
  rangeHeader: string | undefined,
  part?: number,
): Promise<RecordingAnswer> {
  const call = await findCallRecording(ctx.db, actor, id);
  if (!call) throw notFound('Call');
  let ref = call.recordingRef;
  let partAgent: string | null = null;
  if (part !== undefined) {
    const p = (await partsOf(ctx.db, id))[part - 1];
    ref = p?.ref ?? null;
    partAgent = p?.agentUserId ?? null;
  }
  const own = partAgent !== null && actor.id !== null && partAgent === actor.id && can(actor, 'call:take');
  if (!own && !mayPlay(actor, call))
    throw forbidden('Only the agent who took the call, or a supervisor, may play its recording.');
  if (!ref) throw missing(part === undefined ? 'This call has no recording.' : `This call has no recording ${part}.`);

  const where = await resolveRecording(recordingsDirOf(ctx.config), ref);
  if (where.kind === 'url')
    throw conflict(
      'The recording is kept by another recorder (its reference is a URL); play it there. Zhiyang plays only files in RECORDINGS_DIR.',
      undefined,
      'recording-elsewhere',
    );
  if (where.kind === 'invalid') {
    ctx.log.warn({ callId: id, why: where.why }, 'recording reference refused');
    throw unreadable(`The recording reference is refused: ${where.why}.`);
  }
  if (where.kind === 'missing')
    throw missing('The recording file is not in RECORDINGS_DIR: deleted after the retention period, or not written yet.');

  let raw: Buffer | null;
  try {
    raw = await readRecording(where.file, ref, ctx.cipher);
  } catch (err) {
    if (!(err instanceof RecordingSealError)) throw err;
    ctx.log.warn({ callId: id }, 'sealed recording does not open');
    throw unreadable(
      'The recording file is sealed but does not open: it was changed on disk, moved from another name, or sealed under another SECRET_KEY.',
    );
  }
  if (!raw) throw unreadable('The recording file is too large to play here.');
  const audio = toWav(raw);
  const range = parseRange(rangeHeader, audio.size);
  if (range === 'unsatisfiable') throw new RangeNotSatisfiable(audio.size);
  const [start, end] = range ?? [0, audio.size - 1];

  await recordAudit(ctx.db, {
    actor,
    action: CALL_RECORDING_PLAY_AUDIT,
    targetType: 'call',
    targetId: call.id,
    regionCode: call.regionCode,
    detail: {
      format: audio.format,
      seconds: audio.seconds,
      range: range ? `${start}-${end}` : null,
      ...(part !== undefined && { part }),
    },
  });
  const headers: Record<string, string> = {
    'content-type': 'audio/wav',
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-store',
    'content-disposition': `inline; filename="call-${call.id}${part && part > 1 ? `-${part}` : ''}.wav"`,
  };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${audio.size}`;
  return { status: range ? 206 : 200, headers, body: audio.bytes(start, end), bytes: end - start + 1 };
}

interface Audio {
  format: 'pcap' | 'wav';
  size: number;
  seconds: number;
  bytes(start: number, end: number): Iterable<Buffer>;
}

/** A WAV file is played as it is; a pcap is decoded (any other file is refused). */
function toWav(raw: Buffer): Audio {
  if (raw.length >= 12 && raw.toString('ascii', 0, 4) === 'RIFF' && raw.toString('ascii', 8, 12) === 'WAVE') {
    const rate = raw.length >= 44 ? raw.readUInt32LE(28) : 0;
    return {
      format: 'wav',
      size: raw.length,
      seconds: rate ? Math.round((raw.length - 44) / rate) : 0,
      bytes: (s, e) => [raw.subarray(s, e + 1)],
    };
  }
  let timeline: ReturnType<typeof buildTimeline>;
  try {
    timeline = buildTimeline(readPcapRtp(raw));
  } catch (err) {
    if (err instanceof PcapError) throw unreadable(`The recording file cannot be read: ${err.message}.`);
    throw err;
  }
  if (timeline.frames === 0) throw unreadable('The recording holds no G.711 (PCMU / PCMA) audio.');
  return {
    format: 'pcap',
    size: wavSize(timeline),
    seconds: Math.round(timeline.frames / SAMPLE_RATE),
    bytes: (s, e) => wavBytes(timeline, s, e),
  };
}

/**
 * One HTTP byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a body of `size` bytes, as
 * [start, end] inclusive; null to answer the whole body (no header, a malformed one, or several
 * ranges — RFC 9110 lets a server ignore Range); 'unsatisfiable' for a range wholly past the end.
 */
export function parseRange(header: string | undefined, size: number): [number, number] | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}
