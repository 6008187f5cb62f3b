import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  CustomerServiceOutlined,
  FileDoneOutlined,
  GiftOutlined,
  SettingOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const AnomaliesPage = lazyPage(() => import('./AnomaliesPage.tsx'), 'AnomaliesPage');
const CataloguePage = lazyPage(() => import('./CataloguePage.tsx'), 'CataloguePage');
const ComplaintsPage = lazyPage(() => import('./ComplaintsPage.tsx'), 'ComplaintsPage');
const OrderBoardPage = lazyPage(() => import('./OrderBoardPage.tsx'), 'OrderBoardPage');
const PoliciesPage = lazyPage(() => import('./PoliciesPage.tsx'), 'PoliciesPage');
const ProvidersPage = lazyPage(() => import('./ProvidersPage.tsx'), 'ProvidersPage');
const SettlementsPage = lazyPage(() => import('./SettlementsPage.tsx'), 'SettlementsPage');
const ServiceSettingsPage = lazyPage(() => import('./ServiceSettingsPage.tsx'), 'ServiceSettingsPage');

type Key = 'providers' | 'catalogue' | 'policies' | 'orders' | 'anomalies' | 'complaints' | 'settlements' | 'settings';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'orders', path: 'service-orders', needs: 'order:read', icon: <CustomerServiceOutlined />, element: <OrderBoardPage /> },
  { key: 'anomalies', path: 'service-anomalies', needs: 'order:review', icon: <AlertOutlined />, element: <AnomaliesPage /> },
  { key: 'complaints', path: 'service-complaints', needs: 'order:review', icon: <AuditOutlined />, element: <ComplaintsPage /> },
  { key: 'providers', path: 'providers', needs: 'provider:read', icon: <ShopOutlined />, element: <ProvidersPage /> },
  { key: 'catalogue', path: 'service-items', needs: 'provider:read', icon: <AppstoreOutlined />, element: <CataloguePage /> },
  { key: 'policies', path: 'policies', needs: 'policy:read', icon: <GiftOutlined />, element: <PoliciesPage /> },
  { key: 'settlements', path: 'settlements', needs: 'settlement:read', icon: <FileDoneOutlined />, element: <SettlementsPage /> },
  // The district's service rules and hotline: who approves settlements (the district admin) sets them.
  {
    key: 'settings',
    path: 'service-settings',
    needs: 'settlement:approve',
    icon: <SettingOutlined />,
    element: <ServiceSettingsPage />,
  },
];

/** The service-loop console routes, placed inside the console layout by ConsoleRoutes. */
export function serviceRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** Menu entries of the service loop (label keys under `service.nav`). */
export const SERVICE_MENU = PAGES.map((p) => ({
  path: `/console/${p.path}`,
  label: `service.nav.${p.key}` as const,
  icon: p.icon,
  needs: p.needs,
}));
