import type { Action } from '@zhiyang/shared';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth.tsx';

/** Render `children` only for users holding `action`; the server checks again on every call. */
export function RequirePermission({ action, children }: { action: Action; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useTranslation();
  if (!can(action)) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  return children;
}
