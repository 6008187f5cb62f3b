import {
  ABILITY_LEVEL_LABELS_ZH,
  ADJUSTMENT_LABELS_ZH,
  ASSESSMENT_DIMENSIONS,
  ASSESSMENT_ITEMS,
  ASSESSMENT_REASON_LABELS_ZH,
  ageOn,
  DIMENSION_LABELS_ZH,
  DIMENSION_MAX,
  escapeHtml,
  RISK_EVENT_LABELS_ZH,
} from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { scriptHash } from '../../lib/security-headers.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { maskedId } from '../elders/elders.present.ts';
import * as elders from '../elders/elders.repo.ts';
import * as repo from './assessments.repo.ts';

/** The report's only script (the print button), allowed by its hash: the page's CSP has no 'unsafe-inline'. */
const PRINT_SCRIPT = "document.getElementById('print').addEventListener('click',()=>window.print());";
export const REPORT_SCRIPT_HASHES = [scriptHash(PRINT_SCRIPT)];

const fmt = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '—');

/**
 * The printable assessment report (老年人能力评估报告): an A4 HTML page with a print
 * stylesheet — the browser's "print to PDF" gives the PDF. Masked ID number; audited read.
 */
export async function assessmentReportHtml(ctx: AppContext, actor: Actor, id: string): Promise<string> {
  const a = await repo.findVisible(ctx.db, actor, id);
  if (!a) throw notFound('Assessment');
  const e = await elders.findElder(ctx.db, a.elderId);
  if (!e) throw notFound('Elder');
  const regionName = await elders.regionNameOf(ctx.db, e.regionCode);
  await recordAudit(ctx.db, {
    actor,
    action: 'assessment.report',
    targetType: 'assessment',
    targetId: id,
    regionCode: a.regionCode,
    detail: { elderId: e.id },
  });

  const rows = ASSESSMENT_DIMENSIONS.map((dim) => {
    const items = ASSESSMENT_ITEMS.filter((i) => i.dimension === dim);
    const lines = items
      .map((it) => {
        const s = a.scores[it.key];
        const wording = it.levels.find((l) => l.score === s)?.zh ?? '';
        return `<tr><td class="n">${it.no}</td><td>${escapeHtml(it.zh)}</td><td class="n">${s} / ${it.max}</td><td>${escapeHtml(wording)}</td></tr>`;
      })
      .join('');
    return `<tr class="dim"><th colspan="2">${DIMENSION_LABELS_ZH[dim]}</th><th class="n">${a.subtotals[dim]} / ${DIMENSION_MAX[dim]}</th><th></th></tr>${lines}`;
  }).join('');
  const events = a.background.riskEvents30d.filter((r) => r.count > 0).map((r) => `${RISK_EVENT_LABELS_ZH[r.type]}×${r.count}`);
  const signer = (name: string | null, at: Date | null) =>
    `<div class="sig"><div>${escapeHtml(name ?? '（未签名）')}</div><small>${fmt(at)}</small></div>`;

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>老年人能力评估报告 — ${escapeHtml(e.name)}</title>
<style>
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #111; font-size: 12pt; margin: 24px; }
  h1 { font-size: 18pt; text-align: center; margin: 0 0 4px; }
  .std { text-align: center; color: #555; margin-bottom: 16px; }
  table { width: 100%; border-collapse: collapse; margin: 8px 0 16px; }
  td, th { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
  .n { text-align: center; white-space: nowrap; width: 4em; }
  tr.dim th { background: #eef3f8; }
  .result { font-size: 14pt; border: 2px solid #111; padding: 8px 12px; margin: 12px 0; }
  .sigs { display: flex; gap: 48px; margin-top: 24px; }
  .sig { border-top: 1px solid #111; min-width: 200px; padding-top: 4px; }
  .draft { color: #b00; font-weight: bold; }
  @media print { body { margin: 0; } .noprint { display: none; } tr { page-break-inside: avoid; } }
</style></head>
<body>
<p class="noprint"><button id="print" type="button">打印 / 另存为PDF</button></p>
<h1>老年人能力评估报告</h1>
<div class="std">依据 GB/T 42195-2022《老年人能力评估规范》${a.status === 'draft' ? ' <span class="draft">（草稿，未完成双人签名）</span>' : ''}${a.status === 'superseded' ? ' <span class="draft">（已被更正）</span>' : ''}</div>
<table>
  <tr><th>姓名</th><td>${escapeHtml(e.name)}</td><th>性别</th><td>${e.sex === 'male' ? '男' : '女'}</td><th>年龄</th><td>${ageOn(e.birthDate, new Date(`${a.assessedOn}T00:00:00Z`))}</td></tr>
  <tr><th>身份证号</th><td>${escapeHtml(maskedId(ctx.cipher, e.idNumberEnc))}</td><th>所属社区</th><td colspan="3">${escapeHtml(regionName ?? e.regionCode)}</td></tr>
  <tr><th>评估原因</th><td>${ASSESSMENT_REASON_LABELS_ZH[a.reason]}</td><th>评估日期</th><td>${a.assessedOn}</td><th>地点</th><td>${escapeHtml(a.location ?? '')}</td></tr>
  <tr><th>疾病诊断</th><td colspan="5">${escapeHtml((a.background.diagnoses ?? []).join('、') || '无')}；痴呆/精神障碍：${a.background.dementiaOrMentalDisorder ? '是' : '否'}；昏迷：${a.background.coma ? '是' : '否'}；近30天风险事件：${escapeHtml(events.join('、') || '无')}</td></tr>
</table>
<table><thead><tr><th class="n">序号</th><th>评估指标</th><th class="n">得分</th><th>评定情况</th></tr></thead><tbody>${rows}</tbody></table>
<div class="result">
  总分：<b>${a.total}</b> / 90　初步等级：${ABILITY_LEVEL_LABELS_ZH[a.preliminaryLevel]}<br>
  ${a.adjustments.map((x) => `等级调整：${ADJUSTMENT_LABELS_ZH[x]}`).join('<br>')}${a.adjustments.length ? '<br>' : ''}
  能力等级：<b>${ABILITY_LEVEL_LABELS_ZH[a.level]}</b>${a.nextDue ? `　下次评估：${a.nextDue}` : ''}
</div>
${a.correctsId ? `<p>本评估更正了先前的评估（${escapeHtml(a.correctsId)}），原因：${escapeHtml(a.correctionReason ?? '')}</p>` : ''}
${a.notes ? `<p>备注：${escapeHtml(a.notes)}</p>` : ''}
<div class="sigs"><div>评估员一：${signer(a.assessor1Name, a.assessor1SignedAt)}</div><div>评估员二：${signer(a.assessor2Name, a.assessor2SignedAt)}</div></div>
<script>${PRINT_SCRIPT}</script>
</body></html>`;
}
