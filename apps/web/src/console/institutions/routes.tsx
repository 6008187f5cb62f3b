import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  HeatMapOutlined,
  MobileOutlined,
  SafetyOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const BedBoardPage = lazyPage(() => import('./BedBoardPage.tsx'), 'BedBoardPage');
const AdmissionsPage = lazyPage(() => import('./AdmissionsPage.tsx'), 'AdmissionsPage');
// 智慧安防 (the patrols module's pages, in this menu group)
const PatrolsPage = lazyPage(() => import('../patrols/PatrolsPage.tsx'), 'PatrolsPage');
const RiskMapPage = lazyPage(() => import('../patrols/RiskMapPage.tsx'), 'RiskMapPage');
const DistrictRiskMapPage = lazyPage(() => import('../patrols/DistrictRiskMapPage.tsx'), 'DistrictRiskMapPage');
// 检查评级 and 运营状态 (the inspections module's pages, in this menu group)
const InspectionsPage = lazyPage(() => import('../inspections/InspectionsPage.tsx'), 'InspectionsPage');
const OperatingStatusPage = lazyPage(() => import('../inspections/OperatingStatusPage.tsx'), 'OperatingStatusPage');

type Key = 'beds' | 'admissions' | 'patrols' | 'riskMap' | 'districtRisk' | 'inspections' | 'status';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'beds', path: 'institution/beds', needs: 'institution:read', icon: <AppstoreOutlined />, element: <BedBoardPage /> },
  {
    key: 'admissions',
    path: 'institution/admissions',
    needs: 'institution:write',
    icon: <SolutionOutlined />,
    element: <AdmissionsPage />,
  },
  { key: 'patrols', path: 'institution/patrols', needs: 'institution:read', icon: <SafetyOutlined />, element: <PatrolsPage /> },
  {
    key: 'riskMap',
    path: 'institution/risk-map',
    needs: 'institution:read',
    icon: <HeatMapOutlined />,
    element: <RiskMapPage />,
  },
  {
    key: 'districtRisk',
    path: 'institutions/risk-map',
    needs: 'institution:read',
    icon: <EnvironmentOutlined />,
    element: <DistrictRiskMapPage />,
  },
  {
    key: 'inspections',
    path: 'institutions/inspections',
    needs: 'inspection:read',
    icon: <AuditOutlined />,
    element: <InspectionsPage />,
  },
  {
    key: 'status',
    path: 'institutions/status',
    needs: 'inspection:read',
    icon: <DashboardOutlined />,
    element: <OperatingStatusPage />,
  },
];

/** The 机构养老 pages, placed inside the console layout by ConsoleRoutes. */
export function institutionRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** The menu group 机构养老: the pages for whoever runs institutions; the phone page for those who record care. */
export function institutionsMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/${p.path}`,
    icon: p.icon,
    label: t(`institutions.nav.${p.key}`),
  }));
  // The nursing staff's phone page, outside the console.
  if (permissions.includes('institution:care'))
    children.push({ key: '/worker/care', icon: <MobileOutlined />, label: t('institutions.nav.round') });
  if (permissions.includes('institution:care'))
    children.push({ key: '/worker/patrol', icon: <AlertOutlined />, label: t('institutions.nav.patrol') });
  return children.length ? [{ type: 'group' as const, key: 'institutions', label: t('institutions.nav.group'), children }] : [];
}
