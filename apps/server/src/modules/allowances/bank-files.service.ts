import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { clearValue } from '../elders/elders.present.ts';
import * as repo from './allowances.repo.ts';

/**
 * The bank payment file of an approved roll in the two text layouts of docs/allowances.md
 * (数据交换格式): CSV and fixed-width. Both carry the same fields as the xlsx — the full ID number
 * and the bank account, decrypted only into the file — plus the roll reference, a check value per
 * line and a total record, so the bank can refuse a file that was cut or edited.
 */

export type BankFileFormat = 'csv' | 'fixed';

/** The roll reference printed in every file and expected back in a return file: GLJT-<district>-<YYYYMM>. */
export const rollReference = (district: string, month: string) => `GLJT-${district}-${month.replace('-', '')}`;

export const KIND_CODE = { regular: 'R', arrears: 'A', retry: 'T' } as const;

export interface BankLine {
  seq: number;
  name: string;
  idNumber: string;
  bankName: string;
  account: string;
  holder: string;
  amountFen: number;
  month: string;
  kind: keyof typeof KIND_CODE;
  regionCode: string;
}

/** Yuan with 2 decimals from whole fen, without floating point. */
export const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** The check value of a line: the first 8 hex digits of SHA-256 over `seq|ID|account|amount|month`. */
export const lineCheck = (l: BankLine) =>
  sha256Hex(`${l.seq}|${l.idNumber}|${l.account}|${yuan(l.amountFen)}|${l.month}`)
    .slice(0, 8)
    .toUpperCase();

/** The file's check value: the first 8 hex digits of SHA-256 over every line's check value in order. */
export const fileCheck = (checks: string[]) => sha256Hex(checks.join('')).slice(0, 8).toUpperCase();

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export const CSV_HEADERS = [
  '记录类型',
  '序号',
  '姓名',
  '身份证号',
  '开户银行',
  '银行账号',
  '户名',
  '金额（元）',
  '所属月份',
  '类别',
  '社区代码',
  '名册编号',
  '校验码',
];

/** Pad or cut to `width` characters (code points), left-aligned with spaces. */
const left = (v: string, width: number) => {
  const chars = [...v].slice(0, width);
  return chars.join('') + ' '.repeat(width - chars.length);
};
/** Right-aligned with zeros. */
const zeros = (v: string | number, width: number) => String(v).padStart(width, '0');

export function renderCsv(ref: string, district: string, month: string, lines: BankLine[]) {
  const out = [CSV_HEADERS.join(',')];
  const checks: string[] = [];
  let total = 0;
  for (const l of lines) {
    const check = lineCheck(l);
    checks.push(check);
    total += l.amountFen;
    out.push(
      [
        'D',
        l.seq,
        l.name,
        l.idNumber,
        l.bankName,
        l.account,
        l.holder,
        yuan(l.amountFen),
        l.month,
        KIND_CODE[l.kind],
        l.regionCode,
        ref,
        check,
      ]
        .map(cell)
        .join(','),
    );
  }
  out.push(['T', lines.length, '', '', '', '', '', yuan(total), month, '', district, ref, fileCheck(checks)].map(cell).join(','));
  // A BOM so a spreadsheet opens the Chinese text as UTF-8; CRLF as banks' systems expect.
  return `\uFEFF${out.join('\r\n')}\r\n`;
}

/** Record widths of the fixed-width layout (characters); docs/allowances.md lists them field by field. */
export const FIXED = {
  header: 80,
  detail: 170,
  trailer: 80,
};

export function renderFixed(ref: string, district: string, month: string, lines: BankLine[]) {
  const total = lines.reduce((a, l) => a + l.amountFen, 0);
  const checks: string[] = [];
  const out = [
    left(`H${district}${month.replace('-', '')}${left(ref, 20)}${zeros(lines.length, 8)}${zeros(yuan(total), 15)}`, FIXED.header),
  ];
  for (const l of lines) {
    const check = lineCheck(l);
    checks.push(check);
    out.push(
      [
        'D',
        zeros(l.seq, 8),
        left(l.name, 20),
        left(l.idNumber, 18),
        left(l.bankName, 30),
        left(l.account, 30),
        left(l.holder, 20),
        zeros(yuan(l.amountFen), 12),
        l.month.replace('-', ''),
        KIND_CODE[l.kind],
        left(l.regionCode, 12),
        check,
        ' '.repeat(FIXED.detail - 1 - 8 - 20 - 18 - 30 - 30 - 20 - 12 - 6 - 1 - 12 - 8),
      ].join(''),
    );
  }
  out.push(left(`T${zeros(lines.length, 8)}${zeros(yuan(total), 15)}${left(ref, 20)}${fileCheck(checks)}`, FIXED.trailer));
  return `${out.join('\r\n')}\r\n`;
}

/** The lines of an approved roll with the full ID and account numbers, in line order (keyset pages). */
export async function bankLines(ctx: AppContext, rollId: string) {
  const lines: BankLine[] = [];
  const page = 5000;
  for (let after = 0; ; ) {
    const batch = await repo.rollLinesAfter(ctx.db, rollId, after, page);
    after = batch.at(-1)?.line.id ?? after;
    for (const l of batch)
      lines.push({
        seq: lines.length + 1,
        name: l.elderName,
        idNumber: clearValue(ctx.cipher, l.idNumberEnc) ?? '',
        bankName: l.bankName ?? '',
        account: clearValue(ctx.cipher, l.bankAccountEnc) ?? '',
        holder: l.accountHolder ?? '',
        amountFen: l.line.amountFen,
        month: l.line.month,
        kind: l.line.kind,
        regionCode: l.line.regionCode,
      });
    if (batch.length < page) break;
  }
  return lines;
}

/** The bank file of an approved roll as CSV or fixed-width text; audited with its row count. */
export async function exportBankFile(ctx: AppContext, actor: Actor, id: string, format: BankFileFormat) {
  const roll = await repo.findRoll(ctx.db, actor, id);
  if (!roll) throw notFound('Payment roll');
  if (roll.status !== 'approved') throw conflict('Only an approved roll is exported for the bank.', undefined, 'invalid-state');
  const lines = await bankLines(ctx, id);
  const ref = rollReference(roll.regionCode, roll.month);
  const text =
    format === 'csv' ? renderCsv(ref, roll.regionCode, roll.month, lines) : renderFixed(ref, roll.regionCode, roll.month, lines);
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.roll.export',
    targetType: 'allowance_roll',
    targetId: id,
    regionCode: roll.regionCode,
    detail: { month: roll.month, rows: lines.length, format },
  });
  return {
    filename: `高龄津贴发放-${roll.regionCode}-${roll.month}.${format === 'csv' ? 'csv' : 'txt'}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8',
    data: Buffer.from(text, 'utf8'),
  };
}
