import type { RecordingsTexts } from './recordings.i18n.ts';

export const recordingsEnUS: RecordingsTexts = {
  play: 'Play recording',
  loading: 'Loading the recording…',
  hint: 'Left channel: the caller; right: the agent. Every playback is audited',
  elsewhere: 'The recording is kept by another recording system; play it there',
  notAllowed: 'Only the agent who took the call and supervisors may hear the recording',
  part: 'Part {{n}}',
  noAgent: 'No agent',
};
