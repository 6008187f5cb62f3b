import { DashboardOutlined, HomeOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const FamilyBedsPage = lazyPage(() => import('./FamilyBedsPage.tsx'), 'FamilyBedsPage');
const BedBoardPage = lazyPage(() => import('./BedBoardPage.tsx'), 'BedBoardPage');

type Key = 'beds' | 'board';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'beds', path: 'family-beds', needs: 'family_bed:read', icon: <HomeOutlined />, element: <FamilyBedsPage /> },
  { key: 'board', path: 'family-beds/board', needs: 'family_bed:read', icon: <DashboardOutlined />, element: <BedBoardPage /> },
];

/** The 家庭照护床位 pages, placed inside the console layout by ConsoleRoutes. */
export function familyBedRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** The menu group 家庭照护床位 (empty without family_bed:read). */
export function familyBedsMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/${p.path}`,
    icon: p.icon,
    label: t(`familyBeds.nav.${p.key}`),
  }));
  return children.length ? [{ type: 'group' as const, key: 'family-beds', label: t('familyBeds.nav.group'), children }] : [];
}
