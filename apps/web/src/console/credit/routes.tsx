import { SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const CreditPage = lazyPage(() => import('./CreditPage.tsx'), 'CreditPage');
const ListingsPage = lazyPage(() => import('./ListingsPage.tsx'), 'ListingsPage');

const PAGES = [
  { key: 'organizations', path: 'credit', icon: <SafetyCertificateOutlined />, element: <CreditPage /> },
  { key: 'listings', path: 'credit/listings', icon: <StopOutlined />, element: <ListingsPage /> },
] as const;

/** The credit pages 信用档案 and 失信名单, placed inside the console layout by ConsoleRoutes. */
export function creditRoutes() {
  return PAGES.map((p) => (
    <Route key={p.key} path={p.path} element={<RequirePermission action="credit:read">{p.element}</RequirePermission>} />
  ));
}

/** The menu group 综合监管 for this user (empty without credit:read). */
export function creditMenu(permissions: readonly string[], t: TFunction) {
  if (!permissions.includes('credit:read')) return [];
  const children = PAGES.map((p) => ({ key: `/console/${p.path}`, icon: p.icon, label: t(`credit.nav.${p.key}`) }));
  return [{ type: 'group' as const, key: 'credit', label: t('credit.nav.group'), children }];
}
