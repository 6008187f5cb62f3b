import { SwapOutlined } from '@ant-design/icons';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const DataExchangePage = lazyPage(() => import('./DataExchangePage.tsx'), 'DataExchangePage');

/** 数据交换 (issue 21), placed inside the console layout by ConsoleRoutes. */
export function dataExchangeRoutes() {
  return (
    <Route
      key="data-exchange"
      path="data-exchange"
      element={
        <RequirePermission action="exchange:export">
          <DataExchangePage />
        </RequirePermission>
      }
    />
  );
}

/** The menu entry 数据交换 for the district's roles (zh-CN only, like the page). */
export function dataExchangeMenu(permissions: readonly string[]) {
  if (!permissions.includes('exchange:export')) return [];
  return [{ key: '/console/data-exchange', icon: <SwapOutlined />, label: '数据交换' }];
}
