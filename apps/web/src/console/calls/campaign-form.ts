import {
  type Campaign,
  type CampaignInput,
  type CampaignPatch,
  type CampaignTarget,
  DEFAULT_CARE_SCRIPT,
  type LivingSituationCode,
  type ScriptQuestion,
} from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import { formatDuration } from '../../app/format.ts';
import { fieldErrorText } from '../../app/problems.ts';

/** The pure half of the campaign page: form values ⇄ API body, the rule in words, field errors. */

export type QuestionKind = ScriptQuestion['kind'];

export interface QuestionFormValues {
  key: string;
  text: string;
  kind: QuestionKind;
  /** A choice's option codes; ignored for the other kinds. */
  options?: string[];
}

/** The campaign form: the target rule is spread over plain inputs, the script is a list. */
export interface CampaignFormValues {
  name: string;
  regionCode: string | null;
  livingSituations: LivingSituationCode[];
  minAge: number | null;
  birthdayThisWeek: boolean;
  noHeartbeatHours: number | null;
  openFamilyCareBed: boolean;
  frequency: Campaign['frequency'];
  workStart: string;
  workEnd: string;
  retryAfterMinutes: number;
  maxAttemptsPerDay: number;
  visitAfterDays: number;
  active: boolean;
  script: QuestionFormValues[];
}

/** Codes the agents' page already names in Chinese (calls.care.options): offered first in the options editor. */
export const COMMON_OPTIONS = ['good', 'fair', 'poor', 'regular', 'irregular', 'needs_help'] as const;

export const QUESTION_KEY = /^[a-z][a-z0-9_]{1,29}$/;
export const OPTION_CODE = /^[a-z][a-z0-9_]{0,29}$/;
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A new campaign as the form opens it: the contract's defaults and the usual script. */
export function newCampaignValues(regionCode: string | null): CampaignFormValues {
  return {
    name: '',
    regionCode,
    livingSituations: [],
    minAge: null,
    birthdayThisWeek: false,
    noHeartbeatHours: null,
    openFamilyCareBed: false,
    frequency: 'weekly',
    workStart: '09:00',
    workEnd: '17:30',
    retryAfterMinutes: 120,
    maxAttemptsPerDay: 3,
    visitAfterDays: 3,
    active: true,
    script: DEFAULT_CARE_SCRIPT.map((q) => ({ ...q, options: q.options ? [...q.options] : undefined })),
  };
}

/** A stored campaign as the form shows it. */
export function formValuesOf(c: Campaign): CampaignFormValues {
  return {
    name: c.name,
    regionCode: c.regionCode,
    livingSituations: c.target.livingSituations ?? [],
    minAge: c.target.minAge ?? null,
    birthdayThisWeek: c.target.birthdayThisWeek === true,
    noHeartbeatHours: c.target.noHeartbeatHours ?? null,
    openFamilyCareBed: c.target.openFamilyCareBed === true,
    frequency: c.frequency,
    workStart: c.workStart,
    workEnd: c.workEnd,
    retryAfterMinutes: c.retryAfterMinutes,
    maxAttemptsPerDay: c.maxAttemptsPerDay,
    visitAfterDays: c.visitAfterDays,
    active: c.active,
    script: c.script.map((q) => ({ key: q.key, text: q.text, kind: q.kind, options: q.options ? [...q.options] : undefined })),
  };
}

/** The target rule of the form: only the conditions that were given (an empty rule stays empty; the server says why). */
export function targetOf(
  v: Pick<CampaignFormValues, 'livingSituations' | 'minAge' | 'birthdayThisWeek' | 'noHeartbeatHours' | 'openFamilyCareBed'>,
) {
  const target: CampaignTarget = {};
  if (v.livingSituations?.length) target.livingSituations = [...v.livingSituations];
  if (v.minAge != null) target.minAge = v.minAge;
  if (v.birthdayThisWeek) target.birthdayThisWeek = true;
  if (v.noHeartbeatHours != null) target.noHeartbeatHours = v.noHeartbeatHours;
  if (v.openFamilyCareBed) target.openFamilyCareBed = true;
  return target;
}

function scriptOf(qs: QuestionFormValues[]): ScriptQuestion[] {
  return (qs ?? []).map((q) => ({
    key: q.key.trim(),
    text: q.text.trim(),
    kind: q.kind,
    ...(q.kind === 'choice' ? { options: (q.options ?? []).map((o) => o.trim()) } : {}),
  }));
}

/** The form's values as `POST /care-call-campaigns` takes them. */
export function campaignBodyOf(v: CampaignFormValues): CampaignInput {
  return { regionCode: v.regionCode ?? '', ...campaignPatchOf(v) } as CampaignInput;
}

/** The form's values as `PATCH /care-call-campaigns/:id` takes them (the region cannot change). */
export function campaignPatchOf(v: CampaignFormValues): Required<CampaignPatch> {
  return {
    name: v.name.trim(),
    target: targetOf(v),
    frequency: v.frequency,
    script: scriptOf(v.script),
    workStart: v.workStart.trim(),
    workEnd: v.workEnd.trim(),
    retryAfterMinutes: v.retryAfterMinutes,
    maxAttemptsPerDay: v.maxAttemptsPerDay,
    visitAfterDays: v.visitAfterDays,
    active: v.active,
  };
}

/** A key for a new question that no other question has: q1, q2 … */
export function nextQuestionKey(taken: readonly string[]): string {
  for (let n = 1; ; n++) if (!taken.includes(`q${n}`)) return `q${n}`;
}

/** Who the campaign calls, in the reader's words: 独居或空巢，80 岁及以上. */
export function describeTarget(target: Campaign['target'], t: TFunction): string {
  const out: string[] = [];
  if (target.livingSituations?.length) {
    out.push(target.livingSituations.map((s) => t(`elders.living.${s}` as never)).join(t('calls.campaigns.describe.or')));
  }
  if (target.minAge != null) out.push(t('calls.campaigns.describe.minAge', { n: target.minAge }));
  if (target.birthdayThisWeek) out.push(t('calls.campaigns.describe.birthdayThisWeek'));
  if (target.noHeartbeatHours != null) out.push(t('calls.campaigns.describe.noHeartbeat', { n: target.noHeartbeatHours }));
  if (target.openFamilyCareBed) out.push(t('calls.campaigns.describe.openFamilyCareBed'));
  return out.join(t('calls.campaigns.describe.and')) || t('calls.campaigns.describe.none');
}

/** The retry rules in words: 未接通 2小时后重拨，每天最多 3 次，连续 3 天未接通转上门探访. */
export function describeRetry(
  c: Pick<Campaign, 'retryAfterMinutes' | 'maxAttemptsPerDay' | 'visitAfterDays'>,
  t: TFunction,
  lang?: string,
): string {
  return t('calls.campaigns.describe.retry', {
    wait: formatDuration(c.retryAfterMinutes * 60, lang),
    max: c.maxAttemptsPerDay,
    days: c.visitAfterDays,
  });
}

/** A form field: a top-level name or a path into the script list (['script', 2, 'text']). */
export type FieldName = string | [string, number, string];

const TARGET_FIELDS: Record<string, keyof CampaignFormValues> = {
  livingSituations: 'livingSituations',
  minAge: 'minAge',
  birthdayThisWeek: 'birthdayThisWeek',
  noHeartbeatHours: 'noHeartbeatHours',
  openFamilyCareBed: 'openFamilyCareBed',
};
const PLAIN_FIELDS = new Set([
  'name',
  'regionCode',
  'frequency',
  'workStart',
  'workEnd',
  'retryAfterMinutes',
  'maxAttemptsPerDay',
  'visitAfterDays',
  'active',
]);
const QUESTION_FIELDS = new Set(['key', 'text', 'kind', 'options']);

/**
 * The form field a server field error (`body.target.minAge`, `body.script.2.options.0`) belongs
 * on, or null when no field shows it. A rule-wide error (`body.target`: no condition, a condition
 * the contract does not know yet) goes on the first condition; a list-wide one (`body.script`:
 * keys repeated, too many) on the script.
 */
export function campaignFieldOf(path: string, values?: Pick<CampaignFormValues, 'script'>): FieldName | null {
  const parts = path.replace(/^body\.?/, '').split('.');
  const [head, second, third] = parts;
  if (PLAIN_FIELDS.has(head) && parts.length === 1) return head;
  if (head === 'target') return TARGET_FIELDS[second ?? ''] ?? 'livingSituations';
  if (head === 'script') {
    const i = Number(second);
    if (second === undefined || !Number.isInteger(i)) return 'script';
    const field = QUESTION_FIELDS.has(third ?? '') ? (third as string) : 'text';
    // Only a choice shows its options: an options error on another kind belongs to the kind.
    if (field === 'options' && values && values.script?.[i]?.kind !== 'choice') return ['script', i, 'kind'];
    return ['script', i, field];
  }
  return null;
}

/** The contract's own messages (campaigns.ts) that say more than "invalid", by their zh-CN key. */
const KNOWN_MESSAGES: Array<[RegExp, string]> = [
  [/give at least one condition/, 'calls.campaigns.targetNeeded'],
  [/question keys must differ/, 'calls.campaigns.questionKeyDuplicate'],
  [/working hours must end after they start/, 'calls.campaigns.endAfterStart'],
  [/a choice needs options|only a choice has options/, 'calls.campaigns.optionsForChoice'],
  [/option codes/, 'calls.campaigns.optionFormat'],
  [/lower-case letters, digits and _/, 'calls.campaigns.questionKeyFormat'],
  [/a time HH:MM/, 'calls.campaigns.timeFormat'],
];

/** The text under a field for one of the server's field errors: the contract's rule in the reader's words when it is one. */
export function campaignErrorText(message: string, t: TFunction, lang?: string): string {
  if (lang?.startsWith('en')) return message;
  const known = KNOWN_MESSAGES.find(([re]) => re.test(message));
  return known ? t(known[1] as never) : fieldErrorText(message, lang);
}
