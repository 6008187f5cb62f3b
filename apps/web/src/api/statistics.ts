import { type SeriesQuery, statisticsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Statistics 统计: `statisticsApi.monthlyReport({ query: { month, regionCode } })`, `statisticsApi.series(…)`. */
export const statisticsApi = createApi(statisticsContract);

const qs = (q: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)).toString();

/** The monthly report as .xlsx (a file, not a contract route). */
export const monthlyReportXlsxUrl = (month: string, regionCode?: string) =>
  `/api/v1/statistics/monthly-report.xlsx?${qs({ month, regionCode })}`;

/** An ad-hoc table as .xlsx. */
export const seriesXlsxUrl = (q: SeriesQuery) => `/api/v1/statistics/series.xlsx?${qs({ ...q, period: q.period ?? 'month' })}`;
