import { GRADE_LABELS_ZH } from '@zhiyang/shared';
import type { TFunction } from 'i18next';

/** 一级 … 五级, or 未达等级 for a total below 一级. */
export const gradeText = (grade: number | null, t: TFunction) =>
  grade === null ? t('inspections.noGrade') : (GRADE_LABELS_ZH[grade] ?? String(grade));
