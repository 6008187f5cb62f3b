import {
  BarChartOutlined,
  CalendarOutlined,
  MobileOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const GroupsPage = lazyPage(() => import('./GroupsPage.tsx'), 'GroupsPage');
const PlansPage = lazyPage(() => import('./PlansPage.tsx'), 'PlansPage');
const VisitsPage = lazyPage(() => import('./VisitsPage.tsx'), 'VisitsPage');
const FollowUpsPage = lazyPage(() => import('./FollowUpsPage.tsx'), 'FollowUpsPage');
const StatsPage = lazyPage(() => import('./StatsPage.tsx'), 'StatsPage');

type Key = 'groups' | 'plans' | 'visits' | 'followUps' | 'stats';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'groups', path: 'care/groups', needs: 'care_visit:read', icon: <TeamOutlined />, element: <GroupsPage /> },
  { key: 'plans', path: 'care/plans', needs: 'care_visit:read', icon: <ScheduleOutlined />, element: <PlansPage /> },
  { key: 'visits', path: 'care/visits', needs: 'care_visit:read', icon: <CalendarOutlined />, element: <VisitsPage /> },
  { key: 'followUps', path: 'care/follow-ups', needs: 'care_visit:read', icon: <SolutionOutlined />, element: <FollowUpsPage /> },
  { key: 'stats', path: 'care/stats', needs: 'care_visit:read', icon: <BarChartOutlined />, element: <StatsPage /> },
];

/** The 关爱巡访 pages, placed inside the console layout by ConsoleRoutes. */
export function careVisitRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** The menu group 关爱巡访 for this user (empty without care_visit:read); the phone page opens outside the console. */
export function careVisitsMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/${p.path}`,
    icon: p.icon,
    label: t(`careVisits.nav.${p.key}`),
  }));
  if (permissions.includes('care_visit:record'))
    children.push({ key: '/worker/visits', icon: <MobileOutlined />, label: t('careVisits.nav.phone') });
  return children.length ? [{ type: 'group' as const, key: 'care-visits', label: t('careVisits.nav.group'), children }] : [];
}
