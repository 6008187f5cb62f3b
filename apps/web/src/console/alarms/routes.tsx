import { AlertOutlined, ApiOutlined, HeartOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const AlarmCentrePage = lazyPage(() => import('./AlarmCentrePage.tsx'), 'AlarmCentrePage');
// The alarm centre is the page operators open first and keep open: when the app starts on it, its
// code is fetched now, beside the session check, not after the session check and the layout.
if (typeof location !== 'undefined' && location.pathname === '/console/alarms') void AlarmCentrePage.preload();
const DeviceHealthPage = lazyPage(() => import('./DeviceHealthPage.tsx'), 'DeviceHealthPage');
const DevicesPage = lazyPage(() => import('./DevicesPage.tsx'), 'DevicesPage');

type Key = 'alarms' | 'devices' | 'health';
const PAGES: Array<{ key: Key; path: string; needs: Action; icon: ReactNode; element: ReactNode }> = [
  { key: 'alarms', path: 'alarms', needs: 'alarm:read', icon: <AlertOutlined />, element: <AlarmCentrePage /> },
  { key: 'devices', path: 'devices', needs: 'device:read', icon: <ApiOutlined />, element: <DevicesPage /> },
  { key: 'health', path: 'device-health', needs: 'device:read', icon: <HeartOutlined />, element: <DeviceHealthPage /> },
];

/** The safety-loop console routes, placed inside the console layout by ConsoleRoutes. */
export function safetyRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action={p.needs}>{p.element}</RequirePermission>} />
  ));
}

/** Menu entries of the safety loop (label keys under `safety.nav`). */
export const SAFETY_MENU = PAGES.map((p) => ({
  path: `/console/${p.path}`,
  label: `safety.nav.${p.key}` as const,
  icon: p.icon,
  needs: p.needs,
}));
