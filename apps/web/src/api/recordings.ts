import { CALL_RECORDING_PART_PATH, CALL_RECORDING_PATH } from '@zhiyang/shared';
import { ApiError, apiUrl } from '../app/api.ts';
import { fillPath } from './client.ts';

/** The call's recording (audio/wav): a file, not JSON, so not a contract route (see contracts/recordings.ts). */
export const callRecordingUrl = (id: string, part?: number) =>
  apiUrl(part === undefined ? fillPath(CALL_RECORDING_PATH, { id }) : fillPath(CALL_RECORDING_PART_PATH, { id, part }));

/**
 * The whole recording (or one `part` of a call's recordings) as a Blob, with the console's session cookie: one request, so one audited
 * playback, and the browser seeks in the Blob rather than asking the server again. A refusal
 * (403, 404 `recording-missing`, 409 `recording-elsewhere` …) is thrown as an ApiError.
 */
export async function loadCallRecording(id: string, signal?: AbortSignal, part?: number): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(callRecordingUrl(id, part), {
      credentials: 'include',
      headers: { Accept: 'audio/wav, application/problem+json', 'X-Zhiyang-Client': 'web' },
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ title: 'Network error', status: 0, detail: (err as Error).message });
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ApiError({ title: res.statusText || 'Error', ...body, status: res.status });
  }
  return res.blob();
}
