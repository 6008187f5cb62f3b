import { FundProjectionScreenOutlined } from '@ant-design/icons';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const SupervisionPage = lazyPage(() => import('./SupervisionPage.tsx'), 'SupervisionPage');

/** 综合监管 dashboard (issue 21), placed inside the console layout by ConsoleRoutes. */
export function supervisionRoutes() {
  return (
    <Route
      key="supervision"
      path="supervision"
      element={
        <RequirePermission action="supervision:read">
          <SupervisionPage />
        </RequirePermission>
      }
    />
  );
}

/** The menu entry 监管看板 (the 综合监管 dashboard) for district, street and community staff (zh-CN only, like the page). */
export function supervisionMenu(permissions: readonly string[]) {
  if (!permissions.includes('supervision:read')) return [];
  return [{ key: '/console/supervision', icon: <FundProjectionScreenOutlined />, label: '监管看板' }];
}
