import { ORG_SCOPED_ROLES, type OrgType, REGION_SCOPED_ROLES, type Role } from '@zhiyang/shared';

/** How an account of this role is scoped: by a region subtree, by an organisation, or neither. */
export function scopeKind(role: Role | undefined): 'region' | 'org' | 'none' {
  if (!role) return 'none';
  if (REGION_SCOPED_ROLES.includes(role)) return 'region';
  if (ORG_SCOPED_ROLES.includes(role)) return 'org';
  return 'none';
}

/** The organisation types an org-scoped role can belong to (narrows the picker). */
export const ORG_TYPES_FOR_ROLE: Partial<Record<Role, readonly OrgType[]>> = {
  provider_admin: ['provider'],
  service_worker: ['provider'],
  canteen_staff: ['canteen'],
  institution_staff: ['institution'],
};
