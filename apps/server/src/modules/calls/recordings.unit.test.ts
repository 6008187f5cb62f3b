import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordingRefKind } from '@zhiyang/shared';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { PcapError, readPcapRtp } from './recordings.pcap.ts';
import { parseRange } from './recordings.service.ts';
import { agentLeg, buildPcap, callerLeg } from './recordings.testing.ts';
import { buildTimeline, decodeAlaw, decodeUlaw, wavBytes, wavSize } from './recordings.wav.ts';

describe('G.711 expansion', () => {
  it('matches the ITU-T tables at their ends', () => {
    expect(decodeUlaw(0xff)).toBe(0);
    expect(decodeUlaw(0x7f)).toBe(0);
    expect(decodeUlaw(0x00)).toBe(-32124);
    expect(decodeUlaw(0x80)).toBe(32124);
    expect(decodeAlaw(0xd5)).toBe(8);
    expect(decodeAlaw(0x55)).toBe(-8);
    expect(decodeAlaw(0xaa)).toBe(32256);
    expect(decodeAlaw(0x2a)).toBe(-32256);
  });
});

describe('reading a pcap', () => {
  it('refuses what is not a classic pcap, and keeps the whole packets of a file cut short', () => {
    expect(() => readPcapRtp(Buffer.from('hello'))).toThrow(PcapError);
    expect(() => readPcapRtp(Buffer.alloc(64))).toThrow(/magic/);
    const pcap = buildPcap([callerLeg({ packets: 10 })]);
    expect(readPcapRtp(pcap)).toHaveLength(10);
    expect(readPcapRtp(pcap.subarray(0, pcap.length - 50))).toHaveLength(9);
  });

  it('tells the legs apart by SSRC and puts the later leg on the right', () => {
    const t = buildTimeline(readPcapRtp(buildPcap([callerLeg(), agentLeg()])));
    expect(t.streams.map((s) => [s.ssrc, s.channel])).toEqual([
      [0x11111111, 0],
      [0x22222222, 1],
    ]);
    expect(t.frames).toBe(16000);
    // Any byte range renders the same bytes as the whole.
    const whole = Buffer.concat([...wavBytes(t, 0, wavSize(t) - 1)]);
    expect(whole.length).toBe(wavSize(t));
    expect(Buffer.concat([...wavBytes(t, 41, 300_001)]).equals(whole.subarray(41, 300_002))).toBe(true);
  });
});

describe('Range header', () => {
  it.each([
    [undefined, null],
    ['bytes=0-99', [0, 99]],
    ['bytes=100-', [100, 999]],
    ['bytes=-10', [990, 999]],
    ['bytes=-5000', [0, 999]],
    ['bytes=990-5000', [990, 999]],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-1', null],
    ['bytes=0-1,5-9', null],
    ['items=0-1', null],
  ] as const)('%s → %j', (header, want) => {
    expect(parseRange(header, 1000)).toEqual(want);
  });
});

describe('recordingRef', () => {
  it.each([
    ['pcaps/abc-123@host.pcap', 'file'],
    ['2026/11/26/call+1=x~y.pcap', 'file'],
    ['pcaps/a84b4c76e66710@[::1]:5060-7f3a9c.pcap', 'file'],
    ['https://rec.example/1.wav', 'url'],
    ['file:///etc/passwd', 'url'],
    ['../x.pcap', 'invalid'],
    ['/etc/passwd', 'invalid'],
    ['a/../b.pcap', 'invalid'],
    ['.hidden.pcap', 'invalid'],
    ['a\\b.pcap', 'invalid'],
    ['a//b.pcap', 'invalid'],
    ['a b.pcap', 'invalid'],
  ] as const)('%s is %s', (ref, kind) => {
    expect(recordingRefKind(ref)).toBe(kind);
  });
});

describe('RECORDINGS_DIR and RECORDING_RETENTION_DAYS', () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'zy-cfg-rec-'));
  it('default to DATA_DIR/recordings and 180 days', () => {
    const d = dataDir();
    const c = loadConfig({ DATA_DIR: d });
    expect(c.recordingsDir).toBe(path.join(d, 'recordings'));
    expect(c.recordingRetentionDays).toBe(180);
  });

  it('take a directory (made absolute) and 1 to 3650 days; anything else stops start-up naming the variable', () => {
    const c = loadConfig({ DATA_DIR: dataDir(), RECORDINGS_DIR: 'rec', RECORDING_RETENTION_DAYS: '30' });
    expect(c.recordingsDir).toBe(path.resolve('rec'));
    expect(c.recordingRetentionDays).toBe(30);
    for (const bad of ['0', '-1', 'half a year', '3651']) {
      const start = () => loadConfig({ DATA_DIR: dataDir(), RECORDING_RETENTION_DAYS: bad });
      expect(start).toThrow(ConfigError);
      expect(start).toThrow(/^Invalid RECORDING_RETENTION_DAYS=/);
    }
  });
});
