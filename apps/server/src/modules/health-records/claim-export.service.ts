import { ABILITY_LEVEL_LABELS_ZH, type AbilityLevelCode } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './ltc.repo.ts';

/**
 * The monthly claim file of one provider under one 长护险 policy, for the insurer's agency
 * (经办机构): one line per EVV-verified order, in the column layout of docs/health-records.md.
 * The ID number goes out whole (the agency matches the insured by it); the export is audited.
 */
export const CLAIM_COLUMNS = [
  '序号',
  '结算月份',
  '服务机构',
  '工单号',
  '老人姓名',
  '身份证号',
  '失能等级',
  '服务项目',
  '服务日期',
  '服务时长(分钟)',
  '签到时间',
  '签退时间',
  '核验方式',
  '服务金额(元)',
  '长护险支付(元)',
  '个人自付(元)',
] as const;

const yuan = (fen: number) => (fen / 100).toFixed(2);
const cst = (d: Date | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
const METHOD_ZH: Record<string, string> = { gps: '定位签到', qr: '扫码签到' };

export async function exportClaim(ctx: AppContext, actor: Actor, claimId: string, format: 'xlsx' | 'csv') {
  const claim = await repo.findClaim(ctx.db, actor, claimId);
  if (!claim) throw notFound('Claim');
  const lines = await repo.claimLines(ctx.db, claimId);
  const rows = lines.map((l, i) => [
    i + 1,
    claim.month,
    claim.provider_name,
    l.order_no,
    l.elder_name,
    ctx.cipher.decrypt(l.id_number_enc),
    ABILITY_LEVEL_LABELS_ZH[l.ability_level as AbilityLevelCode] ?? l.ability_level,
    l.item_name,
    l.served_on,
    l.minutes,
    cst(l.check_in_at),
    cst(l.check_out_at),
    METHOD_ZH[l.check_in_method ?? ''] ?? '',
    yuan(l.amount_fen),
    yuan(l.claim_fen),
    yuan(l.copay_fen),
  ]);
  await recordAudit(ctx.db, {
    actor,
    action: 'ltc.claim.export',
    targetType: 'ltc_claim',
    targetId: claimId,
    detail: { format, lines: rows.length, month: claim.month },
  });
  const base = `ltc-claim-${claim.month}-${claimId.slice(0, 8)}`;
  if (format === 'xlsx') {
    const total = [
      '合计',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      yuan(Number(claim.amount_fen)),
      yuan(Number(claim.claim_fen)),
      '',
    ];
    return { filename: `${base}.xlsx`, buffer: await writeXlsx('长护险结算', [...CLAIM_COLUMNS], [...rows, total]) };
  }
  // CSV: UTF-8 with BOM (Excel opens it as UTF-8), CRLF lines, every field quoted.
  // A text field starting like a formula is kept as text (CSV injection).
  const q = (v: string | number) =>
    `"${(typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v)).replace(/"/g, '""')}"`;
  const text = [CLAIM_COLUMNS, ...rows].map((r) => r.map(q).join(',')).join('\r\n');
  return { filename: `${base}.csv`, buffer: Buffer.from(`\ufeff${text}\r\n`, 'utf8') };
}
