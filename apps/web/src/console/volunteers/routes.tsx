import { BankOutlined, EnvironmentOutlined, HeartOutlined, ScheduleOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const VolunteersPage = lazyPage(() => import('./VolunteersPage.tsx'), 'VolunteersPage');
const TasksPage = lazyPage(() => import('./TasksPage.tsx'), 'TasksPage');
const TimebankPage = lazyPage(() => import('./TimebankPage.tsx'), 'TimebankPage');
const PointsPage = lazyPage(() => import('./PointsPage.tsx'), 'PointsPage');

type Key = 'volunteers' | 'tasks' | 'timebank' | 'points';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'volunteers', path: 'volunteers', needs: 'volunteer:read', icon: <HeartOutlined />, element: <VolunteersPage /> },
  { key: 'tasks', path: 'volunteers/tasks', needs: 'volunteer:read', icon: <ScheduleOutlined />, element: <TasksPage /> },
  { key: 'timebank', path: 'volunteers/timebank', needs: 'volunteer:read', icon: <BankOutlined />, element: <TimebankPage /> },
  { key: 'points', path: 'volunteers/points', needs: 'volunteer:read', icon: <EnvironmentOutlined />, element: <PointsPage /> },
];

/** The 志愿服务 pages (志愿者, 志愿任务, 时间银行, 睦邻点), placed inside the console layout by ConsoleRoutes. */
export function volunteerRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** The menu group 志愿服务 (empty without volunteer:read: district, street and community staff). */
export function volunteersMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/${p.path}`,
    icon: p.icon,
    label: t(`volunteers.nav.${p.key}`),
  }));
  return children.length ? [{ type: 'group' as const, key: 'volunteers', label: t('volunteers.nav.group'), children }] : [];
}
