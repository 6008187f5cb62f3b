import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { Action } from '@zhiyang/shared';
import { Route } from 'react-router';
import { lazyPage } from '../common/lazyPage.tsx';
import { RequirePermission } from '../common/RequirePermission.tsx';

const PrivilegeCardsPage = lazyPage(() => import('./PrivilegeCardsPage.tsx'), 'PrivilegeCardsPage');

const NEEDS: Action = 'card:read';

/** The 优待证管理 page, placed inside the console layout by ConsoleRoutes. */
export function privilegeCardRoutes() {
  return (
    <Route
      key="privilege-cards"
      path="privilege-cards"
      element={
        <RequirePermission action={NEEDS}>
          <PrivilegeCardsPage />
        </RequirePermission>
      }
    />
  );
}

/** Its menu entry (community, street and district staff: those holding card:read). */
export const PRIVILEGE_CARDS_MENU = [
  {
    path: '/console/privilege-cards',
    label: 'privilegeCards.nav.manage' as const,
    icon: <SafetyCertificateOutlined />,
    needs: NEEDS,
  },
];
