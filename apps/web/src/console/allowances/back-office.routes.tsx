import { BankOutlined, BarChartOutlined, UserDeleteOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const CorrectionsPage = lazyPage(() => import('./CorrectionsPage.tsx'), 'CorrectionsPage');
const DeathsPage = lazyPage(() => import('./DeathsPage.tsx'), 'DeathsPage');
const ReportsPage = lazyPage(() => import('./ReportsPage.tsx'), 'ReportsPage');

type Key = 'corrections' | 'deaths' | 'reports';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  {
    key: 'corrections',
    path: 'allowances/corrections',
    needs: 'allowance:read',
    icon: <BankOutlined />,
    element: <CorrectionsPage />,
  },
  { key: 'deaths', path: 'allowances/deaths', needs: 'allowance:read', icon: <UserDeleteOutlined />, element: <DeathsPage /> },
  { key: 'reports', path: 'allowances/reports', needs: 'allowance:read', icon: <BarChartOutlined />, element: <ReportsPage /> },
];

/** The allowance's back-office pages (returns and accounts, deaths and recovery, reports). */
export function backOfficeRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

export const BACK_OFFICE_MENU = PAGES.map((p) => ({
  path: `/console/${p.path}`,
  label: `allowances.backOffice.nav.${p.key}` as const,
  icon: p.icon,
  needs: p.needs,
}));
