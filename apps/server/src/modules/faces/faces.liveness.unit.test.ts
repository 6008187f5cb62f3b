import { describe, expect, it } from 'vitest';
import { type FrameFigures, judgeLiveness, LIVENESS } from './faces.liveness.ts';

// The judge alone, on figures written by hand: what each rule accepts and refuses. Whether the
// model really reads the built frames as these figures is faces' and allowances' HTTP tests' job.

const T = 0.74;
const neutral: FrameFigures = { nose: 0.4, yaw: 0.1, mouth: 0.02, eye: 0.35, score: 0.9 };
const act = {
  turn_left: { ...neutral, nose: 0.52, yaw: 0.02 },
  turn_right: { ...neutral, nose: 0.28, yaw: 0.2 },
  open_mouth: { ...neutral, mouth: 0.09 },
  blink: { ...neutral, eye: 0.15 },
};
const jitter = (f: FrameFigures, k: number) => ({ ...f, nose: f.nose + k * 0.002 });

describe('judgeLiveness', () => {
  it('passes the two actions in the asked order after a neutral start', () => {
    const frames = [neutral, jitter(neutral, 1), act.turn_left, act.turn_left, neutral, act.blink, neutral];
    expect(judgeLiveness(['turn_left', 'blink'], frames, T)).toEqual({ passed: true, frames: { first: 2, second: 5 } });
  });
  it('refuses the right actions in the wrong order', () => {
    const frames = [neutral, act.blink, neutral, act.turn_left, neutral, neutral];
    expect(judgeLiveness(['turn_left', 'blink'], frames, T)).toMatchObject({ passed: false, reason: 'wrong-order', frame: 1 });
  });
  it('refuses a missing action', () => {
    const frames = [neutral, act.turn_left, neutral, act.blink, neutral, neutral];
    expect(judgeLiveness(['turn_left', 'open_mouth'], frames, T)).toMatchObject({ passed: false, reason: 'action-missing' });
    expect(judgeLiveness(['blink', 'turn_left'], frames, T)).toMatchObject({ passed: false, reason: 'wrong-order' });
  });
  it('refuses a clip of every action in a row, whatever the challenge; an unasked blink is allowed', () => {
    const all = [neutral, act.turn_left, neutral, act.turn_right, neutral, act.open_mouth, neutral, act.blink, neutral];
    const pairs = (['turn_left', 'turn_right', 'open_mouth', 'blink'] as const).flatMap((a) =>
      (['turn_left', 'turn_right', 'open_mouth', 'blink'] as const).filter((b) => b !== a).map((b) => [a, b] as const),
    );
    expect(pairs).toHaveLength(12);
    for (const p of pairs) expect(judgeLiveness(p, all, T).passed, p.join(' → ')).toBe(false);
    const withBlink = [neutral, act.blink, act.turn_left, neutral, act.open_mouth, neutral];
    expect(judgeLiveness(['turn_left', 'open_mouth'], withBlink, T).passed).toBe(true);
  });
  it('refuses a still picture', () => {
    expect(judgeLiveness(['turn_left', 'blink'], Array(8).fill(neutral), T)).toMatchObject({
      passed: false,
      reason: 'no-motion',
    });
  });
  it('refuses a sequence with one frame of someone else, whatever the actions', () => {
    const frames = [neutral, act.turn_left, neutral, { ...act.blink, score: T - 0.01 }, neutral, neutral];
    expect(judgeLiveness(['turn_left', 'blink'], frames, T)).toMatchObject({
      passed: false,
      reason: 'different-person',
      frame: 3,
    });
  });
  it('needs both figures of a turn to move the same way (a sideways shift of the whole face moves neither)', () => {
    const noseOnly = { ...neutral, nose: neutral.nose + LIVENESS.turnNose + 0.05 };
    const frames = [neutral, noseOnly, neutral, act.blink, neutral, neutral];
    expect(judgeLiveness(['turn_left', 'blink'], frames, T)).toMatchObject({ passed: false, reason: 'action-missing' });
  });
});
