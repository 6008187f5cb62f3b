import type { Role } from '@zhiyang/shared';

/** Who is doing something: a logged-in user, or the system itself (jobs, devices). */
export interface Actor {
  id: string | null;
  username: string;
  displayName: string;
  role: Role | 'system';
  /** Root of the region subtree the actor may see; null means the whole tree. */
  regionCode: string | null;
  orgId: string | null;
  ip?: string;
}

export const SYSTEM_ACTOR: Actor = {
  id: null,
  username: 'system',
  displayName: 'System',
  role: 'system',
  regionCode: null,
  orgId: null,
};
