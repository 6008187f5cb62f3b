import {
  AuditOutlined,
  CarOutlined,
  ClusterOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  RadarChartOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Action, Role } from '@zhiyang/shared';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { SAFETY_MENU } from '../alarms/routes.tsx';
import { ALLOWANCES_MENU } from '../allowances/routes.tsx';
import { CALLS_MENU } from '../calls/routes.tsx';
import { careVisitsMenu } from '../care-visits/routes.tsx';
import { creditMenu } from '../credit/routes.tsx';
import { dataExchangeMenu } from '../data-exchange/routes.tsx';
import { familyBedsMenu } from '../family-beds/routes.tsx';
import { healthRecordsMenu } from '../health-records/routes.tsx';
import { institutionsMenu } from '../institutions/routes.tsx';
import { MEALS_MENU } from '../meals/routes.tsx';
import { medicalMenu } from '../medical/routes.tsx';
import { PRIVILEGE_CARDS_MENU } from '../privilege-cards/routes.tsx';
import { SERVICE_MENU } from '../service/routes.tsx';
import { statisticsMenu } from '../statistics/routes.tsx';
import { supervisionMenu } from '../supervision/routes.tsx';
import { volunteersMenu } from '../volunteers/routes.tsx';

interface Entry {
  path: string;
  label:
    | 'nav.dashboard'
    | 'nav.users'
    | 'nav.regions'
    | 'nav.organizations'
    | 'nav.audit'
    | 'elders.nav.elders'
    | 'elders.nav.assessments'
    | 'elders.nav.visits'
    | 'riskRadar.nav.radar';
  icon: ReactNode;
  /** Shown only to users holding this permission (from `me.permissions`). */
  needs?: Action;
  /** Left out for these roles (the operator's home is the alarm centre itself). */
  notFor?: readonly Role[];
}

const MAIN: Entry[] = [
  { path: '/console', label: 'nav.dashboard', icon: <HomeOutlined />, notFor: ['operator'] },
  { path: '/console/elders', label: 'elders.nav.elders', icon: <IdcardOutlined />, needs: 'elder:read' },
  { path: '/console/assessments', label: 'elders.nav.assessments', icon: <FormOutlined />, needs: 'assessment:read' },
  // Elders the care calls could not reach, for the community workers to visit (issue 14).
  { path: '/console/care-visits', label: 'elders.nav.visits', icon: <CarOutlined />, needs: 'elder:read', notFor: ['operator'] },
  // Elders ranked by risk from every signal the platform has (issue 18).
  { path: '/console/risk-radar', label: 'riskRadar.nav.radar', icon: <RadarChartOutlined />, needs: 'risk:read' },
];

const SYSTEM: Entry[] = [
  { path: '/console/users', label: 'nav.users', icon: <TeamOutlined />, needs: 'user:read' },
  // Every role may read regions and most may read organisations (pickers and names need them), but only
  // those who maintain them get the pages in the menu.
  { path: '/console/regions', label: 'nav.regions', icon: <ClusterOutlined />, needs: 'region:write' },
  { path: '/console/organizations', label: 'nav.organizations', icon: <ShopOutlined />, needs: 'org:write' },
  { path: '/console/audit-log', label: 'nav.audit', icon: <AuditOutlined />, needs: 'audit:read' },
];

/** The side menu for this user: entries they may not use are left out rather than disabled. */
export function buildMenu(permissions: readonly string[], t: TFunction, role?: Role): NonNullable<MenuProps['items']> {
  const allowed = (entry: Entry) =>
    (!entry.needs || permissions.includes(entry.needs)) && !(role && entry.notFor?.includes(role));
  const item = (entry: Entry) => ({ key: entry.path, icon: entry.icon, label: t(entry.label) });
  const system = SYSTEM.filter(allowed).map(item);
  const safety = SAFETY_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const calls = CALLS_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const allowances = ALLOWANCES_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const cards = PRIVILEGE_CARDS_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const meals = MEALS_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const service = SERVICE_MENU.filter((e) => permissions.includes(e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  return [
    ...MAIN.filter(allowed).map(item),
    ...supervisionMenu(permissions),
    ...statisticsMenu(permissions),
    ...dataExchangeMenu(permissions),
    ...(safety.length ? [{ type: 'group' as const, key: 'safety', label: t('safety.nav.group'), children: safety }] : []),
    ...(service.length ? [{ type: 'group' as const, key: 'service', label: t('service.nav.group'), children: service }] : []),
    ...(calls.length ? [{ type: 'group' as const, key: 'calls', label: t('calls.nav.group'), children: calls }] : []),
    ...(allowances.length
      ? [{ type: 'group' as const, key: 'allowances', label: t('allowances.nav.group'), children: allowances }]
      : []),
    ...(meals.length ? [{ type: 'group' as const, key: 'meals', label: t('meals.nav.group'), children: meals }] : []),
    ...(cards.length
      ? [{ type: 'group' as const, key: 'privilege-cards', label: t('privilegeCards.mine.title'), children: cards }]
      : []),
    ...careVisitsMenu(permissions, t),
    ...creditMenu(permissions, t),
    ...familyBedsMenu(permissions, t),
    ...medicalMenu(permissions, t),
    ...volunteersMenu(permissions, t),
    ...institutionsMenu(permissions, t),
    ...healthRecordsMenu(permissions, t),
    ...(system.length ? [{ type: 'group' as const, key: 'system', label: t('nav.system'), children: system }] : []),
  ];
}

type MenuItems = NonNullable<MenuProps['items']>;

/** Every page path in a built menu, groups and submenus included. */
function menuPaths(items: MenuItems): string[] {
  return items.flatMap((i) => {
    if (!i) return [];
    const children = 'children' in i && i.children ? menuPaths(i.children as MenuItems) : [];
    const own = typeof i.key === 'string' && i.key.startsWith('/console') ? [i.key] : [];
    return [...own, ...children];
  });
}

/**
 * The menu key to highlight for a path: the longest page of the menu the user has that prefixes
 * it. Read from the built menu, so a module's pages are highlighted as soon as it adds them.
 */
export function selectedMenuKey(pathname: string, items: MenuItems): string {
  const paths = menuPaths(items).sort((a, b) => b.length - a.length);
  return paths.find((p) => pathname === p || pathname.startsWith(`${p}/`)) ?? '/console';
}
