import type { CampaignCoverage } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { coverage } from './campaigns.service.ts';

/**
 * The outbound report (外呼关爱) as a workbook, beside the inbound one (calls/reports.service.ts):
 * the coverage of every campaign in its current period, and the tallies of the script's answers.
 * Headers and labels in Chinese; an option code the default script does not know is 选项 n.
 */

const FREQUENCY = { weekly: '每周', monthly: '每月', once: '一次性' } as const;
const OPTION = {
  good: '好',
  fair: '一般',
  poor: '不好',
  regular: '正常',
  irregular: '不规律',
  needs_help: '需要帮助',
} as Record<string, string>;
const KIND = { choice: '单选', scale: '评分 1–5', text: '文字' } as const;

/** A share 0–1 as a percentage with one decimal; empty when there was nothing to divide. */
const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

type Row = Array<string | number | null>;

export const OUTBOUND_SUMMARY_HEADERS = [
  '活动',
  '频次',
  '统计起',
  '统计止',
  '目标人数',
  '已接通人数',
  '覆盖率 %',
  '拨打次数',
  '接通次数',
  '接通率 %',
  '待拨',
  '未联系上',
  '上门探访任务',
  '服务工单',
  '告警',
  '投诉',
];

function summaryRow(c: CampaignCoverage): Row {
  return [
    c.name,
    FREQUENCY[c.frequency],
    c.periodFrom,
    c.periodTo,
    c.targeted,
    c.reached,
    pct(c.reachedRate),
    c.attempts,
    c.answeredAttempts,
    pct(c.answeredRate),
    c.open,
    c.unreached,
    c.visitTasks,
    c.followUps.orders,
    c.followUps.alarms,
    c.followUps.complaints,
  ];
}

/** One row per option (choice), per score and the mean (scale), or the number of answers (text). */
function answerRows(c: CampaignCoverage): Row[] {
  return c.questions.flatMap((q): Row[] => {
    const base: Row = [c.name, q.text, KIND[q.kind]];
    if (q.kind === 'text') return [[...base, '已回答', q.answered]];
    const keys = Object.keys(q.counts);
    const rows = keys.map(
      (k, i): Row => [...base, q.kind === 'scale' ? `${k} 分` : (OPTION[k] ?? `选项 ${i + 1}`), q.counts[k] ?? 0],
    );
    if (q.kind === 'scale') rows.push([...base, '平均分', q.mean]);
    return rows;
  });
}

export async function outboundReportXlsx(ctx: AppContext, actor: Actor, now = new Date()) {
  const { items } = await coverage(ctx, actor, now);
  return writeXlsx('汇总', OUTBOUND_SUMMARY_HEADERS, items.map(summaryRow), [
    { name: '问卷统计', headers: ['活动', '问题', '题型', '回答', '次数'], rows: items.flatMap(answerRows) },
  ]);
}
