import {
  AccountBookOutlined,
  AlertOutlined,
  BarChartOutlined,
  CarOutlined,
  CoffeeOutlined,
  GiftOutlined,
  ScheduleOutlined,
} from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const TodayMealsPage = lazyPage(() => import('./TodayMealsPage.tsx'), 'TodayMealsPage');
const MenusPage = lazyPage(() => import('./MenusPage.tsx'), 'MenusPage');
const StatementsPage = lazyPage(() => import('./StatementsPage.tsx'), 'StatementsPage');
const RulesPage = lazyPage(() => import('./RulesPage.tsx'), 'RulesPage');
const DeliveriesPage = lazyPage(() => import('./DeliveriesPage.tsx'), 'DeliveriesPage');
const StatsPage = lazyPage(() => import('./StatsPage.tsx'), 'StatsPage');
const SignalsPage = lazyPage(() => import('./SignalsPage.tsx'), 'SignalsPage');

type Key = 'today' | 'menus' | 'deliveries' | 'statements' | 'rules' | 'stats' | 'signals';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'today', path: 'meals/today', needs: 'meal:read', icon: <CoffeeOutlined />, element: <TodayMealsPage /> },
  { key: 'menus', path: 'meals/menus', needs: 'canteen:read', icon: <ScheduleOutlined />, element: <MenusPage /> },
  // The round is the canteen's work: those who check off (meal:serve) get it in the menu.
  { key: 'deliveries', path: 'meals/deliveries', needs: 'meal:serve', icon: <CarOutlined />, element: <DeliveriesPage /> },
  {
    key: 'statements',
    path: 'meals/statements',
    needs: 'meal:read',
    icon: <AccountBookOutlined />,
    element: <StatementsPage />,
  },
  // Region staff (community, street, bureau): those who also get the missed-meal signals; a canteen has 今日就餐.
  { key: 'stats', path: 'meals/stats', needs: 'meal:signals', icon: <BarChartOutlined />, element: <StatsPage /> },
  // The community worker's list of regular diners who stopped coming, to call or visit.
  { key: 'signals', path: 'meals/signals', needs: 'meal:signals', icon: <AlertOutlined />, element: <SignalsPage /> },
  { key: 'rules', path: 'meals/subsidy-rules', needs: 'policy:read', icon: <GiftOutlined />, element: <RulesPage /> },
];

/** The canteen pages, placed inside the console layout by ConsoleRoutes. */
export function mealRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** Menu entries of meal assistance (label keys under `meals.nav`). */
export const MEALS_MENU = PAGES.map((p) => ({
  path: `/console/${p.path}`,
  label: `meals.nav.${p.key}` as const,
  icon: p.icon,
  needs: p.needs,
}));
