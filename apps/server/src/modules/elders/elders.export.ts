import {
  ABILITY_LEVEL_LABELS_ZH,
  type AbilityLevelCode,
  ageOn,
  ELDER_CATEGORY_LABELS_ZH,
  ELDER_STATUS_LABELS_ZH,
  type ElderCategoryCode,
  ID_TYPE_LABELS_ZH,
  LIVING_SITUATION_LABELS_ZH,
} from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { forbidden } from '../../lib/errors.ts';
import { maskAddress } from '../../lib/http.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { clearValue, maskedId, maskedPhone } from './elders.present.ts';
import { openElderPrivate } from './elders.private.ts';
import * as repo from './elders.repo.ts';
import { type ElderQuery, toSearch } from './elders.service.ts';

export const EXPORT_MAX_ROWS = 100_000;

/**
 * The filtered list as xlsx. Identifiers are masked unless the caller holds `elder:reveal`
 * and asks for full values; either way the export is on the audit trail with its row count.
 * With full values the file has the import template's headers, so it can be edited and re-imported.
 */
export async function exportElders(ctx: AppContext, actor: Actor, f: ElderQuery, reveal: boolean): Promise<Buffer> {
  if (reveal && !can(actor, 'elder:reveal')) throw forbidden('Your role may not export full ID numbers and phones.');
  const rows: Array<Array<string | number | null>> = [];
  for await (const batch of repo.searchAllElders(ctx.db, actor, toSearch(ctx, f), EXPORT_MAX_ROWS)) {
    for (const r of batch) {
      rows.push([
        r.name,
        ID_TYPE_LABELS_ZH[r.idType as keyof typeof ID_TYPE_LABELS_ZH],
        reveal ? clearValue(ctx.cipher, r.idNumberEnc) : maskedId(ctx.cipher, r.idNumberEnc),
        r.birthDate,
        ageOn(r.birthDate as string),
        r.sex === 'male' ? '男' : '女',
        reveal ? clearValue(ctx.cipher, r.phoneEnc) : maskedPhone(ctx.cipher, r.phoneEnc),
        r.regionCode,
        r.regionName,
        reveal ? openElderPrivate(ctx.cipher, r.privateBox).address : (r.addressMasked ?? maskAddress(r.plainAddress)),
        LIVING_SITUATION_LABELS_ZH[r.livingSituation as keyof typeof LIVING_SITUATION_LABELS_ZH],
        (r.categories ?? []).map((c) => ELDER_CATEGORY_LABELS_ZH[c as ElderCategoryCode] ?? c).join('；'),
        r.abilityLevel ? ABILITY_LEVEL_LABELS_ZH[r.abilityLevel as AbilityLevelCode] : '未评估',
        ELDER_STATUS_LABELS_ZH[r.status as keyof typeof ELDER_STATUS_LABELS_ZH],
        r.nextAssessmentDue,
      ]);
    }
  }
  await recordAudit(ctx.db, {
    actor,
    action: 'elder.export',
    targetType: 'elder',
    regionCode: f.regionCode ?? actor.regionCode,
    detail: {
      rows: rows.length,
      revealed: reveal,
      filters: Object.keys(f).filter((k) => f[k as keyof ElderQuery] !== undefined),
    },
  });
  return writeXlsx(
    '老人档案',
    [
      '姓名',
      '证件类型',
      '证件号码',
      '出生日期',
      '年龄',
      '性别',
      '联系电话',
      '居住社区编码',
      '社区',
      '详细地址',
      '居住状况',
      '政策对象类别',
      '能力等级',
      '状态',
      '下次评估日期',
    ],
    rows,
  );
}
