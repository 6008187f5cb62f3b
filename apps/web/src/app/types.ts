import type { ListOf, OrgType, RegionLevel, Role } from '@zhiyang/shared';

/** Shapes of the API answers the console reads (see the server's route schemas). */

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  orgId: string | null;
  mustChangePassword: boolean;
  permissions: string[];
}

export interface Region {
  code: string;
  parentCode: string | null;
  level: RegionLevel;
  name: string;
  lat: number | null;
  lng: number | null;
}

export interface RegionNode extends Region {
  children: RegionNode[];
}

export type OrgStatus = 'active' | 'suspended' | 'closed';

export interface Org {
  id: string;
  type: OrgType;
  name: string;
  regionCode: string;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  status: OrgStatus;
}

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  orgId: string | null;
  phone: string | null;
  status: UserStatus;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface AuditRow {
  id: number | string;
  at: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  regionCode: string | null;
  ip: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  detail: Record<string, unknown> | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { id: number | string; reason: string };
}

/** A list answer `{ items, total }`: the shared contract's list envelope (`listOf`). */
export type Page<T> = ListOf<T>;

export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface ImportReport {
  created: number;
  updated: number;
  errors: { row: number; message: string }[];
}
