import type { Action } from '@zhiyang/shared';
import { describe, expect, it } from 'vitest';
import { recordingOffer, recordingPartOffer } from './recording-ui.ts';

const may =
  (...actions: Action[]) =>
  (a: Action) =>
    actions.includes(a);
const me = { id: 'u-agent' };
const call = (recordingRef: string | null, agentUserId: string | null = 'u-agent') => ({ recordingRef, agentUserId });

describe('the call log’s recording player', () => {
  it('is offered to the agent who took the call and to supervisors only', () => {
    expect(recordingOffer(call('pcaps/a.pcap'), me, may('call:read', 'call:take'))).toBe('play');
    expect(recordingOffer(call('pcaps/a.pcap', 'u-other'), me, may('call:read', 'call:take'))).toBe('not-allowed');
    expect(recordingOffer(call('pcaps/a.pcap', 'u-other'), me, may('call:read', 'call:supervise'))).toBe('play');
    expect(recordingOffer(call('pcaps/a.pcap'), me, may('call:read'))).toBe('not-allowed');
    expect(recordingOffer(call('pcaps/a.pcap'), null, may('call:take'))).toBe('not-allowed');
  });

  it('says so when there is no recording, or another recorder keeps it', () => {
    expect(recordingOffer(call(null), me, may('call:supervise'))).toBe('none');
    expect(recordingOffer(call('https://rec.example/1.wav'), me, may('call:supervise'))).toBe('elsewhere');
  });
});

describe('a part of a transferred call’s recordings', () => {
  it('plays to its own agent, the call’s agent and supervisors only', () => {
    const part = { recordingRef: 'pcaps/leg1.pcap', agentUserId: 'u-agent' };
    const call2 = { agentUserId: 'u-second' };
    expect(recordingPartOffer(part, call2, me, may('call:take'))).toBe('play');
    expect(recordingPartOffer({ ...part, agentUserId: 'u-other' }, call2, me, may('call:take'))).toBe('not-allowed');
    expect(recordingPartOffer({ ...part, agentUserId: 'u-other' }, { agentUserId: 'u-agent' }, me, may('call:take'))).toBe(
      'play',
    );
    expect(recordingPartOffer({ ...part, agentUserId: 'u-other' }, call2, me, may('call:supervise'))).toBe('play');
    expect(recordingPartOffer(part, call2, me, may('call:read'))).toBe('not-allowed');
  });
});
