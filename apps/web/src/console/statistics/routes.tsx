import { BarChartOutlined, FileTextOutlined } from '@ant-design/icons';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const MonthlyReportPage = lazyPage(() => import('./MonthlyReportPage.tsx'), 'MonthlyReportPage');
const AdhocStatisticsPage = lazyPage(() => import('./AdhocStatisticsPage.tsx'), 'AdhocStatisticsPage');

export function statisticsRoutes() {
  return [
    <Route
      key="statistics-monthly"
      path="statistics/monthly"
      element={
        <RequirePermission action="supervision:read">
          <MonthlyReportPage />
        </RequirePermission>
      }
    />,
    <Route
      key="statistics-adhoc"
      path="statistics/adhoc"
      element={
        <RequirePermission action="supervision:read">
          <AdhocStatisticsPage />
        </RequirePermission>
      }
    />,
  ];
}

/** The menu entries 统计月报 and 自定义统计 (zh-CN only, like the dashboard). */
export function statisticsMenu(permissions: readonly string[]) {
  if (!permissions.includes('supervision:read')) return [];
  return [
    { key: '/console/statistics/monthly', icon: <FileTextOutlined />, label: '统计月报' },
    { key: '/console/statistics/adhoc', icon: <BarChartOutlined />, label: '自定义统计' },
  ];
}
