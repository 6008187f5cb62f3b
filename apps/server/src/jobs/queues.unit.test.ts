import { describe, expect, it } from 'vitest';
import { jobDefinitions } from '../modules/index.ts';
import { QUEUES, SENT_QUEUES } from './queues.ts';

describe('the queue list', () => {
  it('has exactly one job per queue, and every job works a listed queue', () => {
    const names = jobDefinitions.map((j) => j.name);
    expect([...names].sort()).toEqual(Object.keys(QUEUES).sort());
  });

  it('sends into queues whose jobs are not schedules', () => {
    for (const q of SENT_QUEUES) expect(jobDefinitions.find((j) => j.name === q)?.cron, q).toBeUndefined();
  });
});
