import { z } from 'zod';

/**
 * Call recordings (录音, issue 15; docs/recordings.md). The telephony reports a recording with
 * `call.recording_ready` and a `recordingRef`: for Zhiyang's own telephony (rtpengine) the path of
 * a pcap file relative to RECORDINGS_DIR; another recorder may send a URL or its own key.
 *
 * `GET /api/v1/calls/{id}/recording` answers the recording as a 16-bit 8 kHz stereo WAV (left:
 * the leg heard first, normally the caller; right: the other leg), with HTTP Range support. It is
 * a file, not JSON, so it is described here rather than as a `route()` entry; the web loads it
 * through `callRecordingUrl` (apps/web/src/api/recordings.ts).
 */

/** The route's path under /api/v1. */
export const CALL_RECORDING_PATH = '/calls/:id/recording';
/** What the recording is answered as. */
export const CALL_RECORDING_MEDIA_TYPE = 'audio/wav';
/** The audit action every playback (every answer with audio in it) records, on the call. */
export const CALL_RECORDING_PLAY_AUDIT = 'call.recording.play';
/** The audit action of the retention job deleting a recording, on the call. */
export const CALL_RECORDING_DELETE_AUDIT = 'call.recording.delete';

export const callRecordingParams = z.object({ id: z.uuid() });

/** One part of a call's recordings (1 = the first; after 转接 the next agent's leg is the next part). */
export const CALL_RECORDING_PART_PATH = '/calls/:id/recordings/:part';
export const callRecordingPartParams = z.object({ id: z.uuid(), part: z.coerce.number().int().min(1).max(1000) });

/**
 * What a recordingRef names: a `file` under RECORDINGS_DIR (a relative path of plain segments:
 * letters, digits and `. _ - @ + = ~ % , ! : ( ) [ ] * '`, none starting with a dot, no leading `/`, no backslash), a `url` kept by another
 * recorder (played there, not here), or `invalid` (anything else, refused).
 */
export type RecordingRefKind = 'file' | 'url' | 'invalid';

// A SIP Call-ID (rtpengine names its pcap after it) may hold : ( ) [ ] * ' as well.
const SEGMENT = /^[A-Za-z0-9_@+=~%,!:()[\]*'-][A-Za-z0-9._@+=~%,!:()[\]*'-]{0,199}$/;

export function recordingRefKind(ref: string | null | undefined): RecordingRefKind | null {
  if (!ref) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return 'url';
  if (ref.length > 500) return 'invalid';
  const parts = ref.split('/');
  if (parts.length > 8) return 'invalid';
  return parts.every((p) => SEGMENT.test(p)) ? 'file' : 'invalid';
}
