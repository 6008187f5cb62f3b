import { type Campaign, campaignBody, campaignPatch } from '@zhiyang/shared';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import {
  type CampaignFormValues,
  campaignBodyOf,
  campaignErrorText,
  campaignFieldOf,
  campaignPatchOf,
  describeRetry,
  describeTarget,
  formValuesOf,
  newCampaignValues,
  nextQuestionKey,
} from './campaign-form.ts';

let zh: TFunction;
let en: TFunction;

beforeAll(async () => {
  // The global instance: fieldErrorText (range messages) reads it, as in the console.
  const i18n = i18next;
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  zh = i18n.getFixedT('zh-CN');
  en = i18n.getFixedT('en-US');
});

const stored: Campaign = {
  id: '7d0c2f1e-0000-4000-8000-000000000001',
  name: '独居 80+ 每周关爱',
  regionCode: '510107',
  target: { livingSituations: ['alone', 'empty_nest'], minAge: 80 },
  frequency: 'weekly',
  script: [
    { key: 'health', text: '最近身体感觉怎么样？', kind: 'choice', options: ['good', 'fair', 'poor'] },
    { key: 'mood', text: '心情怎么样？', kind: 'scale' },
  ],
  workStart: '09:00',
  workEnd: '17:30',
  retryAfterMinutes: 120,
  maxAttemptsPerDay: 3,
  visitAfterDays: 3,
  active: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('the target rule in words', () => {
  it('reads as the supervisor would say it: 独居或空巢，80 岁及以上', () => {
    expect(describeTarget(stored.target, zh)).toBe('独居或空巢，80 岁及以上');
  });

  it('names every kind of condition in Chinese, with no code left over', () => {
    const text = describeTarget(
      {
        livingSituations: ['with_family', 'institution'],
        minAge: 70,
        birthdayThisWeek: true,
        noHeartbeatHours: 24,
        openFamilyCareBed: true,
      },
      zh,
    );
    expect(text).toBe('与家人同住或入住机构，70 岁及以上，本周过生日，设备失联 24 小时以上，家庭养老床位服务中');
    expect(text).not.toMatch(/[A-Za-z]/);
  });

  it('an English console reads English', () => {
    expect(describeTarget({ livingSituations: ['alone'], minAge: 80 }, en)).toBe('Lives alone, aged 80 and over');
  });

  it('says the retry rules with the wait as a duration', () => {
    expect(describeRetry(stored, zh, 'zh-CN')).toBe('未接通 2小时后重拨，每天最多 3 次，连续 3 天未接通转上门探访');
    expect(describeRetry({ retryAfterMinutes: 90, maxAttemptsPerDay: 2, visitAfterDays: 5 }, zh, 'zh-CN')).toMatch(
      /^未接通 1小时30分后重拨，每天最多 2 次，连续 5 天/,
    );
  });
});

describe('form values ⇄ API body', () => {
  it('a new campaign with the defaults and one condition is a body the contract accepts', () => {
    const v: CampaignFormValues = {
      ...newCampaignValues('510107'),
      name: ' 空巢 70+ 每月关爱 ',
      livingSituations: ['empty_nest'],
    };
    const body = campaignBodyOf(v);
    expect(body).toMatchObject({
      name: '空巢 70+ 每月关爱',
      regionCode: '510107',
      target: { livingSituations: ['empty_nest'] },
      frequency: 'weekly',
      workStart: '09:00',
      workEnd: '17:30',
      retryAfterMinutes: 120,
      maxAttemptsPerDay: 3,
      visitAfterDays: 3,
      active: true,
    });
    // Conditions left empty are left out, not sent as null or false.
    expect(Object.keys(body.target)).toEqual(['livingSituations']);
    expect(body.script.map((q) => q.key)).toEqual(['health', 'needs', 'meals', 'mood']);
    const parsed = campaignBody.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('every field of the contract is set from the form: all five conditions, 24:00, the limits', () => {
    const v: CampaignFormValues = {
      ...newCampaignValues('510107001'),
      name: '生日关爱',
      livingSituations: ['alone'],
      minAge: 50,
      birthdayThisWeek: true,
      noHeartbeatHours: 336,
      openFamilyCareBed: true,
      frequency: 'once',
      workStart: '00:00',
      workEnd: '24:00',
      retryAfterMinutes: 5,
      maxAttemptsPerDay: 10,
      visitAfterDays: 14,
      active: false,
    };
    const body = campaignBodyOf(v);
    expect(body.target).toEqual({
      livingSituations: ['alone'],
      minAge: 50,
      birthdayThisWeek: true,
      noHeartbeatHours: 336,
      openFamilyCareBed: true,
    });
    expect(campaignBody.parse(body)).toEqual(body);
  });

  it('a stored campaign round-trips through the form unchanged, and the patch leaves the region out', () => {
    const v = formValuesOf(stored);
    expect(v).toMatchObject({
      livingSituations: ['alone', 'empty_nest'],
      minAge: 80,
      birthdayThisWeek: false,
      noHeartbeatHours: null,
      openFamilyCareBed: false,
    });
    const patch = campaignPatchOf(v);
    expect(patch).not.toHaveProperty('regionCode');
    expect(patch.target).toEqual(stored.target);
    expect(patch.script).toEqual(stored.script);
    expect(campaignPatch.safeParse(patch).success).toBe(true);
  });

  it('options go only with a choice: a question switched from choice to text drops them', () => {
    const v = formValuesOf(stored);
    v.script[0] = { ...v.script[0], kind: 'text' };
    v.script[1] = { key: 'meals', text: ' 吃饭正常吗？ ', kind: 'choice', options: ['regular', 'needs_help'] };
    const { script } = campaignPatchOf(v);
    expect(script[0]).toEqual({ key: 'health', text: '最近身体感觉怎么样？', kind: 'text' });
    expect(script[1]).toEqual({ key: 'meals', text: '吃饭正常吗？', kind: 'choice', options: ['regular', 'needs_help'] });
    expect(campaignPatch.safeParse({ script }).success).toBe(true);
  });

  it('an empty rule is sent as an empty rule, which the contract refuses on the target', () => {
    const body = campaignBodyOf({ ...newCampaignValues('510107'), name: '无条件' });
    expect(body.target).toEqual({});
    const parsed = campaignBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => campaignFieldOf(['body', ...i.path].join('.')))).toEqual(['livingSituations']);
  });

  it('a new question gets a key no other question has', () => {
    expect(nextQuestionKey(['health', 'mood'])).toBe('q1');
    expect(nextQuestionKey(['q1', 'q2', 'q4'])).toBe('q3');
  });
});

describe('server field errors land on the form field', () => {
  it('maps each path the contract can answer with', () => {
    expect(campaignFieldOf('body.name')).toBe('name');
    expect(campaignFieldOf('body.regionCode')).toBe('regionCode');
    expect(campaignFieldOf('body.workEnd')).toBe('workEnd');
    expect(campaignFieldOf('body.retryAfterMinutes')).toBe('retryAfterMinutes');
    expect(campaignFieldOf('body.target.minAge')).toBe('minAge');
    expect(campaignFieldOf('body.target.noHeartbeatHours')).toBe('noHeartbeatHours');
    expect(campaignFieldOf('body.target.livingSituations.1')).toBe('livingSituations');
    expect(campaignFieldOf('body.target')).toBe('livingSituations');
    expect(campaignFieldOf('body.script')).toBe('script');
    expect(campaignFieldOf('body.script.2.options')).toEqual(['script', 2, 'options']);
    expect(campaignFieldOf('body.script.0.options.1')).toEqual(['script', 0, 'options']);
    expect(campaignFieldOf('body.script.3.key')).toEqual(['script', 3, 'key']);
    expect(campaignFieldOf('body.script.1')).toEqual(['script', 1, 'text']);
    expect(campaignFieldOf('body.somethingElse')).toBeNull();
  });

  it('an options error on a question that is not a choice goes on its kind, where the supervisor can see it', () => {
    const v = formValuesOf(stored); // question 0 a choice, question 1 a scale
    expect(campaignFieldOf('body.script.0.options', v)).toEqual(['script', 0, 'options']);
    expect(campaignFieldOf('body.script.1.options', v)).toEqual(['script', 1, 'kind']);
  });

  it('says the contract’s rules in Chinese, never its English message', () => {
    expect(campaignErrorText('question keys must differ', zh, 'zh-CN')).toBe('字段名不能重复');
    expect(campaignErrorText('give at least one condition', zh, 'zh-CN')).toBe('请至少设置一项外呼对象条件');
    expect(campaignErrorText('only a choice has options', zh, 'zh-CN')).toMatch(/单选/);
    expect(campaignErrorText('Too small: expected number to be >=50', zh, 'zh-CN')).toBe('不能小于 50');
    expect(campaignErrorText('question keys must differ', en, 'en-US')).toBe('question keys must differ');
  });

  it('the contract’s own issues for a bad script and bad limits all find a field', () => {
    const body = {
      ...campaignBodyOf({ ...newCampaignValues('510107'), name: '测试', minAge: 80 }),
      workStart: '18:00',
      workEnd: '08:00',
      maxAttemptsPerDay: 11,
      script: [
        { key: 'Health', text: '身体？', kind: 'choice' },
        { key: 'mood', text: ' ', kind: 'scale', options: ['a', 'b'] },
      ],
    };
    const parsed = campaignBody.safeParse(body);
    expect(parsed.success).toBe(false);
    const fields = parsed.error?.issues.map((i) => campaignFieldOf(['body', ...i.path].join('.')));
    expect(fields).not.toContain(null);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['script', 0, 'key'],
        ['script', 0, 'options'],
        ['script', 1, 'text'],
        ['script', 1, 'options'],
        'maxAttemptsPerDay',
      ]),
    );
  });
});
