import type { Role } from '@zhiyang/shared';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
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

/**
 * Console pages a phone role may still open at a desk: a family-doctor team schedules visits,
 * admits and discharges 家庭病床 and answers referrals on the 医养结合 pages at the health centre.
 */
export const CONSOLE_PAGES_OF_PHONE_ROLES: Partial<Record<Role, readonly string[]>> = {
  doctor: ['/console/medical/'],
};

/** The console's gate for roles that do not work in it: they go to their phone page. */
export function ConsoleRolesOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  const { pathname } = useLocation();
  const home = PHONE_HOME[me.role];
  const allowed = CONSOLE_PAGES_OF_PHONE_ROLES[me.role]?.some((p) => pathname.startsWith(p));
  return home && !allowed ? <Navigate to={home} replace /> : children;
}
