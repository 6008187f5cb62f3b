import { ApartmentOutlined, CarOutlined, FileProtectOutlined, MedicineBoxOutlined, SwapOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const MedicalPage = lazyPage(() => import('./MedicalPage.tsx'), 'MedicalPage');

export type MedicalTab = 'teams' | 'contracts' | 'visits' | 'beds' | 'referrals';
const PAGES: Array<{ key: MedicalTab; icon: ReactNode; needs: Action }> = [
  { key: 'teams', icon: <ApartmentOutlined />, needs: 'medical:read' },
  { key: 'contracts', icon: <FileProtectOutlined />, needs: 'medical:read' },
  { key: 'visits', icon: <CarOutlined />, needs: 'medical:read' },
  { key: 'beds', icon: <MedicineBoxOutlined />, needs: 'medical:read' },
  { key: 'referrals', icon: <SwapOutlined />, needs: 'medical:read' },
];

/** The 医养结合 pages, placed inside the console layout by ConsoleRoutes. */
export function medicalRoutes() {
  return PAGES.map((p) => (
    <Route
      key={p.key}
      path={`medical/${p.key}`}
      element={
        <RequirePermission action={p.needs}>
          <MedicalPage />
        </RequirePermission>
      }
    />
  ));
}

/** The menu group 医养结合 (empty without medical:read). */
export function medicalMenu(permissions: readonly string[], t: TFunction) {
  const children = PAGES.filter((p) => permissions.includes(p.needs)).map((p) => ({
    key: `/console/medical/${p.key}`,
    icon: p.icon,
    label: t(`medical.nav.${p.key}`),
  }));
  return children.length ? [{ type: 'group' as const, key: 'medical', label: t('medical.nav.group'), children }] : [];
}
