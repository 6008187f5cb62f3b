import {
  BarChartOutlined,
  BookOutlined,
  DashboardOutlined,
  HeartOutlined,
  PhoneOutlined,
  ProfileOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SoundOutlined,
} from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const AgentConsolePage = lazyPage(() => import('./AgentConsolePage.tsx'), 'AgentConsolePage');
const CareCallsPage = lazyPage(() => import('./CareCallsPage.tsx'), 'CareCallsPage');
const CampaignsPage = lazyPage(() => import('./CampaignsPage.tsx'), 'CampaignsPage');
const MonitorPage = lazyPage(() => import('./MonitorPage.tsx'), 'MonitorPage');
const CallLogPage = lazyPage(() => import('./CallLogPage.tsx'), 'CallLogPage');
const SimulatorPage = lazyPage(() => import('./SimulatorPage.tsx'), 'SimulatorPage');
const KnowledgePage = lazyPage(() => import('./KnowledgePage.tsx'), 'KnowledgePage');
const SettingsPage = lazyPage(() => import('./SettingsPage.tsx'), 'SettingsPage');
const CallReportsPage = lazyPage(() => import('../call-reports/CallReportsPage.tsx'), 'CallReportsPage');

type Key = 'console' | 'care' | 'campaigns' | 'monitor' | 'log' | 'reports' | 'simulator' | 'kb' | 'settings';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'console', path: 'calls/console', needs: 'call:take', icon: <PhoneOutlined />, element: <AgentConsolePage /> },
  { key: 'care', path: 'calls/care', needs: 'call:take', icon: <HeartOutlined />, element: <CareCallsPage /> },
  {
    key: 'campaigns',
    path: 'calls/campaigns',
    needs: 'call:supervise',
    icon: <ScheduleOutlined />,
    element: <CampaignsPage />,
  },
  { key: 'monitor', path: 'calls/monitor', needs: 'call:supervise', icon: <DashboardOutlined />, element: <MonitorPage /> },
  { key: 'log', path: 'calls/log', needs: 'call:read', icon: <ProfileOutlined />, element: <CallLogPage /> },
  { key: 'reports', path: 'calls/reports', needs: 'call:read', icon: <BarChartOutlined />, element: <CallReportsPage /> },
  { key: 'kb', path: 'calls/kb', needs: 'call:read', icon: <BookOutlined />, element: <KnowledgePage /> },
  { key: 'simulator', path: 'calls/simulator', needs: 'call:supervise', icon: <SoundOutlined />, element: <SimulatorPage /> },
  { key: 'settings', path: 'calls/settings', needs: 'call:supervise', icon: <SettingOutlined />, element: <SettingsPage /> },
];

/** The call-centre console routes, placed inside the console layout by ConsoleRoutes. */
export function callRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** Menu entries of the call centre (label keys under `calls.nav`). */
export const CALLS_MENU = PAGES.map((p) => ({
  path: `/console/${p.path}`,
  label: `calls.nav.${p.key}` as const,
  icon: p.icon,
  needs: p.needs,
}));
