import type { Role } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useMe } from '../../app/auth.tsx';

/**
 * Roles that work on a phone page, not at the desktop console, and the page each one uses.
 * Such an account opening /console (or logging in there) is sent to its page.
 */
export const PHONE_HOME: Partial<Record<Role, string>> = {
  service_worker: '/worker',
  responder: '/worker/respond',
  doctor: '/worker/doctor',
  elder: '/elder',
  family: '/family',
  volunteer: '/worker/volunteer',
};

/** The console's gate for roles that do not work in it: they go to their phone page. */
export function ConsoleRolesOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  const home = PHONE_HOME[me.role];
  return home ? <Navigate to={home} replace /> : children;
}
