import { checkBoundaryGeometry } from '@zhiyang/shared';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { placeText, problemHalf } from './boundaryProblems.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i = i18next.createInstance();
  await i.init({
    lng,
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    interpolation: { escapeValue: false },
  });
  return i.t;
}

describe('boundary import problems, as the regions page lists them', () => {
  // What the server answers for a ring left open and a position outside ±180 / ±90 (its own checker).
  const open = [
    [104.0, 30.6],
    [104.01, 30.6],
    [104.01, 30.61],
    [104.0, 30.61],
  ];
  const swapped = [
    [30.6, 104.0],
    [30.6, 104.01],
    [30.61, 104.01],
    [30.6, 104.0],
  ];
  const checked = checkBoundaryGeometry({ type: 'MultiPolygon', coordinates: [[open], [swapped]] }, 'body.features[3].geometry');
  const problems = checked.ok ? [] : checked.problems;

  it('in Chinese: the place as 第 N 个要素 and the message without its English half', async () => {
    const t = await translator('zh-CN');
    expect(problems.length).toBeGreaterThanOrEqual(2);
    const rows = problems.map((p) => ({ where: placeText(p.path, t), message: problemHalf(p.message, 'zh-CN') }));
    expect(rows[0]).toEqual({ where: '第 4 个要素 · 坐标 [0][0]', message: '环未闭合（首尾点须相同）' });
    for (const r of rows) {
      expect(r.where).toMatch(/^第 4 个要素/);
      expect(r.message).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('in English: the English half and place', async () => {
    const t = await translator('en-US');
    expect(problemHalf(problems[0].message, 'en-US')).toBe('ring not closed (first and last positions must be equal)');
    expect(placeText(problems[0].path, t)).toBe('Feature 4 · position [0][0]');
  });

  it('the server’s region messages and places without coordinates', async () => {
    const t = await translator('zh-CN');
    expect(problemHalf('未找到名为「芙蓉」的区划 / no region named "芙蓉" in your scope', 'zh-CN')).toBe(
      '未找到名为「芙蓉」的区划',
    );
    expect(problemHalf('须为 Polygon 或 MultiPolygon / must be Polygon or MultiPolygon: Point', 'zh-CN')).toBe(
      '须为 Polygon 或 MultiPolygon',
    );
    expect(placeText('body.features[0]', t)).toBe('第 1 个要素');
    expect(placeText('body.features[1].geometry.type', t)).toBe('第 2 个要素 · 几何类型');
    expect(placeText('body.geometry', t)).toBe('几何');
    expect(placeText('body', t)).toBe('整个文件');
  });
});
