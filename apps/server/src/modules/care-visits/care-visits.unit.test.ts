import { describe, expect, it } from 'vitest';
import { decodePhoto, findingsOf } from './care-visits.rules.ts';

const good = {
  health: 'good',
  mood: 'good',
  gas: 'ok',
  electricity: 'ok',
  fallsRisk: 'low',
  food: 'enough',
  hygiene: 'ok',
  medicines: 'ok',
  needs: [],
} as const;

describe('findings of a visit form', () => {
  it('a good form finds nothing; a fair answer is not a finding', () => {
    expect(findingsOf('met', { ...good, needs: [] })).toEqual([]);
    expect(findingsOf('met', { ...good, health: 'fair', mood: 'fair', needs: [] })).toEqual([]);
  });
  it('each bad answer and each need is one finding; gas and electricity are urgent', () => {
    const f = findingsOf('met', {
      ...good,
      gas: 'hazard',
      electricity: 'hazard',
      food: 'short',
      needs: ['meal', 'meal', 'repair'],
    });
    expect(f.map((x) => `${x.type}:${x.severity}:${x.detail ?? ''}`)).toEqual([
      'gas:urgent:',
      'electricity:urgent:',
      'food:concern:',
      'need:concern:meal',
      'need:concern:repair',
    ]);
  });
  it('not meeting the elder is the finding, whatever else was sent', () => {
    expect(findingsOf('not_home', { ...good, gas: 'hazard', needs: [] })).toEqual([
      { type: 'not_home', severity: 'concern', detail: null },
    ]);
  });
});

describe('visit photos', () => {
  it('accept a JPEG or PNG whose bytes say so, refuse a label that lies', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]).toString('base64');
    expect(decodePhoto(`data:image/jpeg;base64,${jpeg}`)?.mime).toBe('image/jpeg');
    expect(decodePhoto(`data:image/png;base64,${png}`)?.bytes.length).toBe(6);
    expect(decodePhoto(`data:image/png;base64,${jpeg}`)).toBeNull();
    expect(decodePhoto('data:text/html;base64,PGI+')).toBeNull();
  });
});
