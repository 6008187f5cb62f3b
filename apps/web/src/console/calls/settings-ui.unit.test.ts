import type { CallAgent, CallHotline } from '@zhiyang/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api.ts';
import { conflictOnField, queuesServed, skillName, skillOptions } from './settings-ui.ts';

const names = { known: { emergency: '紧急求助', dialect: '方言' }, unnamed: '其他技能' };
const queue = (id: string, name: string, skill: string | null, active = true) => ({
  id,
  hotlineId: 'h',
  name,
  skill,
  overflowSeconds: 60,
  active,
});
const hotline = (over: Partial<CallHotline>): CallHotline => ({
  id: 'h1',
  number: '968962',
  name: '为老服务热线',
  regionCode: '510101',
  active: true,
  queues: [],
  ...over,
});
const agent = (skills: string[], regionCode = '510101001') =>
  ({ skills, regionCode }) as Pick<CallAgent, 'skills' | 'regionCode'>;

describe('skill names', () => {
  const lines = [hotline({ queues: [queue('q1', '综合服务', null), queue('q2', '助餐专线', 'meal_line')] })];

  it('are the catalogue’s, else the name of the queue that asks for the skill, never the code', () => {
    expect(skillName('emergency', names, lines)).toBe('紧急求助');
    expect(skillName('meal_line', names, lines)).toBe('助餐专线');
  });

  it('number the skills nobody named, in a stable order', () => {
    const agents = [{ skills: ['zz_b', 'zz_a'] }] as CallAgent[];
    expect(skillName('zz_a', names, lines, agents)).toBe('其他技能 1');
    expect(skillName('zz_b', names, lines, agents)).toBe('其他技能 2');
  });

  it('offer every known and used skill once, known ones first', () => {
    const opts = skillOptions(names, lines, [{ skills: ['emergency', 'meal_line'] }] as CallAgent[]);
    const values = opts.map((o) => o.value);
    expect(values.slice(0, 2)).toEqual(['emergency', 'dialect']);
    expect(values.filter((v) => v === 'meal_line')).toHaveLength(1);
    expect(opts.find((o) => o.value === 'meal_line')?.label).toBe('助餐专线');
    expect(opts.every((o) => !/^[a-z_]+$/.test(o.label))).toBe(true);
  });
});

describe('queues an agent serves', () => {
  const lines = [
    hotline({
      queues: [queue('any', '综合服务', null), queue('sos', '紧急求助', 'emergency'), queue('off', '停用', null, false)],
    }),
    hotline({ id: 'h2', name: '另一区热线', regionCode: '510102', queues: [queue('x', '综合', null)] }),
    hotline({ id: 'h3', name: '停用热线', active: false, queues: [queue('y', '综合', null)] }),
  ];

  it('are the active queues of active hotlines of her region asking no skill or one she has', () => {
    expect(queuesServed(agent([]), lines).map((q) => q.id)).toEqual(['any']);
    expect(queuesServed(agent(['emergency']), lines).map((q) => q.id)).toEqual(['any', 'sos']);
  });

  it('include a street hotline for a district agent (regions nest either way)', () => {
    const street = [hotline({ regionCode: '510101001', queues: [queue('s', '街道', null)] })];
    expect(queuesServed(agent([], '510101'), street).map((q) => q.id)).toEqual(['s']);
  });
});

describe('conflicts on a form field', () => {
  const problem = (status: number, paths: string[]) =>
    new ApiError({
      type: 'x',
      title: 'x',
      status,
      code: status === 409 ? 'duplicate' : 'unprocessable',
      errors: paths.map((path) => ({ path, message: 'm' })),
    } as ConstructorParameters<typeof ApiError>[0]);
  const textOf = (field: string, status: 409 | 422) =>
    field === 'extension' ? '分机号已被使用' : field === 'userId' ? (status === 409 ? '已是坐席' : '不能接听') : undefined;

  it('puts the page’s sentence on the field the server names', () => {
    expect(conflictOnField(problem(409, ['body.extension']), textOf)).toEqual([
      { name: 'extension', errors: ['分机号已被使用'] },
    ]);
    expect(conflictOnField(problem(422, ['body.userId']), textOf)).toEqual([{ name: 'userId', errors: ['不能接听'] }]);
  });

  it('leaves other failures to the dialog: validation, unknown fields, other errors', () => {
    expect(conflictOnField(problem(400, ['body.extension']), textOf)).toBeNull();
    expect(conflictOnField(problem(409, ['body.somethingElse']), textOf)).toBeNull();
    expect(conflictOnField(problem(409, []), textOf)).toBeNull();
    expect(conflictOnField(new Error('x'), textOf)).toBeNull();
  });
});
