import { describe, expect, it } from 'vitest';
import { detailLines } from './detail.ts';

const flat = (lines: ReturnType<typeof detailLines>): string[] =>
  lines.flatMap((l) => [`${l.label}：${l.text}`, ...(l.children ? flat(l.children).map((x) => `  ${x}`) : [])]);

describe('audit detail lines', () => {
  it('names keys in Chinese and formats values: money, yes/no, codes, from → to, field lists', () => {
    const lines = flat(
      detailLines(
        {
          payment: 'self',
          amountFen: 8000,
          locked: true,
          changed: { hotline: { from: '12349', to: '028-85551234' } },
          fields: ['checkInRadiusM', 'checkInReasonMinutes'],
        },
        'zh-CN',
      ),
    );
    expect(lines).toEqual([
      '支付方式：自费',
      '金额：80.00 元',
      '已锁定：是',
      '修改内容：',
      '  服务中心电话：12349 → 028-85551234',
      '字段：签到半径（米）、签到偏离预约需说明（分钟）',
    ]);
  });

  it('names the filters of a search (elder.search, call.search) in Chinese, not by their query names', () => {
    expect(flat(detailLines({ filters: ['q', 'direction', 'from'], results: 2 }, 'zh-CN'))).toEqual([
      '筛选条件：搜索词、方向、开始时间',
      '结果：2',
    ]);
    expect(flat(detailLines({ filters: ['q'] }, 'en-US'))).toEqual(['Filters：Search text']);
  });

  it('shows an unknown key plainly and nests objects as lines, never as JSON', () => {
    const lines = flat(detailLines({ somethingNew: 3, nested: { b: 1, a: [1, 2] }, empty: null }, 'zh-CN'));
    expect(lines).toEqual(['somethingNew：3', 'nested：', '  b：1', '  a：1、2', 'empty：—']);
    expect(lines.join('\n')).not.toMatch(/[{}"]/);
  });

  it("a changed list or object (a policy's coverage) shows its old and new value as lines", () => {
    const lines = flat(
      detailLines({ changed: { covers: { from: { categories: [] }, to: { categories: ['daily_care'] } } } }, 'zh-CN'),
    );
    expect(lines).toEqual([
      '修改内容：',
      '  适用服务：',
      '    原值：',
      '      服务类别：—',
      '    新值：',
      '      服务类别：生活照料',
    ]);
  });

  it('speaks English for en-US', () => {
    expect(flat(detailLines({ payment: 'points', wasLocked: false }, 'en-US'))).toEqual(['Payment：Points', 'Was locked：no']);
  });
});
