import { FileExcelOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const PhysicalsImportPage = lazyPage(() => import('./PhysicalsImportPage.tsx'), 'PhysicalsImportPage');
const LtcPage = lazyPage(() => import('./LtcPage.tsx'), 'LtcPage');

type Key = 'physicals' | 'ltc';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  {
    key: 'physicals',
    path: 'health/physicals',
    needs: 'health:import',
    icon: <FileExcelOutlined />,
    element: <PhysicalsImportPage />,
  },
  { key: 'ltc', path: 'health/ltc', needs: 'ltc:read', icon: <SafetyCertificateOutlined />, element: <LtcPage /> },
];

/** The health-record pages (体检导入, 长护险), placed inside the console layout by ConsoleRoutes. */
export function healthRecordsRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** The menu group 医养结合 for this user (empty without the permissions). */
export function healthRecordsMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/${p.path}`,
    icon: p.icon,
    label: t(`healthRecords.nav.${p.key}`),
  }));
  return children.length
    ? [{ type: 'group' as const, key: 'health-records', label: t('healthRecords.nav.group'), children }]
    : [];
}
