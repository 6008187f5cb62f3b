import {
  ELDER_CATEGORY_LABELS_ZH,
  LIVING_SITUATION_LABELS_ZH,
  type Policy,
  type PolicyConditions,
  type PolicyInput,
  type PolicyPreview,
} from '@zhiyang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';

/** What the preview answers: who would receive the policy and what it would cost. */
export type Preview = PolicyPreview;

export const ABILITY = ['intact', 'mild', 'moderate', 'severe', 'total'] as const;
export const ABILITY_ZH: Record<string, string> = {
  intact: '能力完好',
  mild: '轻度失能',
  moderate: '中度失能',
  severe: '重度失能',
  total: '完全失能',
};

/** The policy form's fields: the conditions are spread over plain inputs, hukou is a three-way choice. */
export interface PolicyFormValues {
  name: string;
  kind: Policy['kind'];
  amount: number;
  period: Policy['period'];
  regionCode: string;
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
  minAge?: number | null;
  maxAge?: number | null;
  hukou: 'any' | 'local' | 'nonLocal';
  categoriesAny?: string[];
  livingSituations?: string[];
  abilityLevels?: string[];
  /** What the policy pays for: catalogue categories and single items; none: the whole catalogue. */
  coverCategories?: string[];
  coverItemIds?: string[];
  prorate: boolean;
  expireUnused: boolean;
}

/** The conditions in the reader's words (the server's `conditionsText` is English; the category labels are zh-CN only). */
export function describeConditions(c: PolicyConditions, t: TFunction, zh: boolean): string {
  const out: string[] = [];
  const list = (v: readonly string[], labels: Record<string, string>) =>
    v.map((x) => (zh ? (labels[x] ?? x) : x)).join(t('service.policies.describe.or'));
  if (c.minAge != null) out.push(t('service.policies.describe.minAge', { n: c.minAge }));
  if (c.maxAge != null) out.push(t('service.policies.describe.maxAge', { n: c.maxAge }));
  if (c.hukouLocal === true) out.push(t('service.policies.describe.local'));
  if (c.hukouLocal === false) out.push(t('service.policies.describe.nonLocal'));
  if (c.categoriesAny) out.push(list(c.categoriesAny, ELDER_CATEGORY_LABELS_ZH as Record<string, string>));
  if (c.livingSituations) out.push(list(c.livingSituations, LIVING_SITUATION_LABELS_ZH as Record<string, string>));
  if (c.abilityLevels) out.push(list(c.abilityLevels, ABILITY_ZH));
  return out.join(t('service.policies.describe.and')) || t('service.policies.describe.every');
}

/** A stored policy as the form shows it. */
export function formValuesOf(p: Policy): PolicyFormValues {
  const c = p.conditions;
  return {
    name: p.name,
    kind: p.kind,
    amount: p.amount,
    period: p.period,
    regionCode: p.regionCode,
    validFrom: dayjs(p.validFrom),
    validTo: p.validTo ? dayjs(p.validTo) : null,
    minAge: c.minAge ?? null,
    maxAge: c.maxAge ?? null,
    hukou: c.hukouLocal === true ? 'local' : c.hukouLocal === false ? 'nonLocal' : 'any',
    categoriesAny: c.categoriesAny ?? [],
    livingSituations: c.livingSituations ?? [],
    abilityLevels: c.abilityLevels ?? [],
    coverCategories: p.covers.categories,
    coverItemIds: p.covers.itemIds,
    prorate: p.prorate,
    expireUnused: p.expireUnused,
  };
}

/** The form's values as the API takes them (`POST /policies`, `PATCH /policies/:id`, preview). */
export function policyBody(v: PolicyFormValues): PolicyInput {
  const conditions: PolicyConditions = {};
  if (v.minAge != null) conditions.minAge = v.minAge;
  if (v.maxAge != null) conditions.maxAge = v.maxAge;
  if (v.hukou === 'local') conditions.hukouLocal = true;
  if (v.hukou === 'nonLocal') conditions.hukouLocal = false;
  if (v.categoriesAny?.length) conditions.categoriesAny = v.categoriesAny;
  if (v.livingSituations?.length) conditions.livingSituations = v.livingSituations as PolicyConditions['livingSituations'];
  if (v.abilityLevels?.length) conditions.abilityLevels = v.abilityLevels as PolicyConditions['abilityLevels'];
  return {
    name: v.name,
    kind: v.kind,
    amount: v.amount,
    period: v.period,
    regionCode: v.regionCode,
    conditions,
    validFrom: (v.validFrom ?? dayjs()).format('YYYY-MM-DD'),
    validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
    covers: {
      categories: (v.coverCategories ?? []) as NonNullable<PolicyInput['covers']>['categories'],
      itemIds: v.coverItemIds ?? [],
    },
    prorate: v.prorate,
    expireUnused: v.expireUnused,
  };
}

/** What the policy pays for, in the reader's words: categories and items, or the whole catalogue. */
export function describeCovers(c: Policy['covers'], itemName: (id: string) => string | undefined, t: TFunction): string {
  if (!c.categories.length && !c.itemIds.length) return t('service.policies.coversAll');
  const names = [
    ...c.categories.map((k) => t(`service.catalogue.categories.${k}` as never)),
    ...c.itemIds.map((id) => itemName(id) ?? t('service.policies.coversUnknownItem')),
  ];
  return names.join(t('service.policies.describe.or'));
}
