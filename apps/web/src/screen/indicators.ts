import { SCREEN_INDICATOR_LABELS_ZH, type ScreenIndicator, type SupervisionScreen } from '@zhiyang/shared';
import type { MapIndicator } from './ScreenMap.tsx';

/** Four shades of the screen's teal, light to strong, for counts relative to the largest community. */
const SHADES = ['rgba(54,207,201,0.25)', 'rgba(54,207,201,0.5)', 'rgba(54,207,201,0.75)', '#13c2c2'];

/** Counts (elders, meals, services): four equal steps up to the largest community, the empty ones unfilled. */
function countScale(key: ScreenIndicator, values: Map<string, number | null>, unit: string): MapIndicator {
  const max = Math.max(0, ...[...values.values()].map((v) => v ?? 0));
  const bucket = (v: number) => Math.min(3, Math.max(0, Math.ceil((v * 4) / max) - 1));
  const legend: Array<[string, string]> = [];
  for (let i = 0; i < 4; i++) {
    const lower = Math.floor((max * i) / 4) + 1;
    const upper = Math.floor((max * (i + 1)) / 4);
    if (lower <= upper) legend.push([SHADES[i], lower === upper ? `${upper}` : `${lower}–${upper}`]);
  }
  return {
    key,
    values,
    colourOf: (v) => (v && v > 0 && max > 0 ? SHADES[bucket(v)] : null),
    text: (v) => (v ? `${v}` : ''),
    legendTitle: `${SCREEN_INDICATOR_LABELS_ZH[key]}（${unit}）`,
    legend: legend.length ? legend : [[SHADES[0], '0']],
  };
}

/** 健康管理率: red under 40 %, amber under 60 %, teal under 80 %, green from 80 %. */
function coverageScale(values: Map<string, number | null>): MapIndicator {
  const colourOf = (v: number | null) =>
    v === null ? null : v < 40 ? '#ff4d4f' : v < 60 ? '#ffa940' : v < 80 ? '#36cfc9' : '#52c41a';
  return {
    key: 'coverage',
    values,
    colourOf,
    text: (v) => (v === null ? '' : `${Math.round(v)}%`),
    legendTitle: '健康管理率（65岁及以上签约）',
    legend: [
      ['#ff4d4f', '<40%'],
      ['#ffa940', '40–60%'],
      ['#36cfc9', '60–80%'],
      ['#52c41a', '≥80%'],
    ],
  };
}

/** The map colouring for an indicator other than the open alarms, from the supervision screen's figures. */
export function indicatorOf(key: Exclude<ScreenIndicator, 'alarms'>, data: SupervisionScreen): MapIndicator {
  const values = new Map(data.communities.map((c) => [c.regionCode, c[key]]));
  if (key === 'coverage') return coverageScale(values);
  return countScale(key, values, key === 'elders' ? '人' : key === 'meals' ? '人次' : '单');
}
