import { AuditOutlined, CarOutlined, FileDoneOutlined, NotificationOutlined, OrderedListOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';
import { BACK_OFFICE_MENU, backOfficeRoutes } from './back-office.routes.tsx';

const ApplicationsPage = lazyPage(() => import('./ApplicationsPage.tsx'), 'ApplicationsPage');
const NoticesPage = lazyPage(() => import('./NoticesPage.tsx'), 'NoticesPage');
const RollsPage = lazyPage(() => import('./RollsPage.tsx'), 'RollsPage');
const TiersPage = lazyPage(() => import('./TiersPage.tsx'), 'TiersPage');
const VisitTasksPage = lazyPage(() => import('./VisitTasksPage.tsx'), 'VisitTasksPage');

type Key = 'applications' | 'notices' | 'rolls' | 'tiers' | 'visitTasks';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  {
    key: 'applications',
    path: 'allowances/applications',
    needs: 'allowance:read',
    icon: <AuditOutlined />,
    element: <ApplicationsPage />,
  },
  {
    key: 'notices',
    path: 'allowances/notices',
    needs: 'allowance:read',
    icon: <NotificationOutlined />,
    element: <NoticesPage />,
  },
  { key: 'rolls', path: 'allowances/rolls', needs: 'allowance:manage', icon: <FileDoneOutlined />, element: <RollsPage /> },
  { key: 'tiers', path: 'allowances/tiers', needs: 'allowance:read', icon: <OrderedListOutlined />, element: <TiersPage /> },
  {
    key: 'visitTasks',
    path: 'allowances/visit-tasks',
    needs: 'allowance:read',
    icon: <CarOutlined />,
    element: <VisitTasksPage />,
  },
];

/** The high-age allowance pages, placed inside the console layout by ConsoleRoutes. */
export function allowanceRoutes() {
  return [
    ...PAGES.map((p) => (
      <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
    )),
    ...backOfficeRoutes(),
  ];
}

/** Menu entries of the allowance (label keys under `allowances.nav`). */
export const ALLOWANCES_MENU = [
  ...PAGES.map((p) => ({
    path: `/console/${p.path}`,
    label: `allowances.nav.${p.key}` as const,
    icon: p.icon,
    needs: p.needs,
  })),
  ...BACK_OFFICE_MENU,
];
