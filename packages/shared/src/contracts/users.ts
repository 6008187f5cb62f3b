import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { listOf, loginName, pageQuery } from './common.ts';
import { route } from './route.ts';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** An account (账号) as the user administration sees it. */
export const userAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  orgId: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(USER_STATUSES),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.output<typeof userAccount>;

const userRegionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code')
  .nullable();
const userFields = {
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  regionCode: userRegionCode.optional(),
  orgId: z.uuid().nullable().optional(),
  phone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/, 'a phone number')
    .nullable()
    .optional(),
};

export const createUserBody = z.strictObject({
  username: loginName(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, '3–32 letters, digits, dot, dash or underscore'),
  ...userFields,
  password: z.string().min(1).max(128).optional(),
});
export type CreateUserInput = z.input<typeof createUserBody>;

export const updateUserBody = z.strictObject({ ...userFields, status: z.enum(USER_STATUSES) }).partial();
export type UpdateUserInput = z.input<typeof updateUserBody>;

/** A created account, with the generated first password (shown once) when none was given. */
export const createdUser = z.object({ user: userAccount, initialPassword: z.string().optional() });

const params = z.object({ id: z.uuid() });
const tags = ['users'];

/** Account administration: list, read, create, edit, reset a password, end a login lock. */
export const usersContract = {
  listUsers: route({
    method: 'GET',
    path: '/users',
    permission: 'user:read',
    tags,
    summary: 'Accounts in my scope',
    query: pageQuery.extend({
      q: z.string().max(50).optional(),
      role: z.enum(ROLES).optional(),
      status: z.enum(USER_STATUSES).optional(),
    }),
    response: listOf(userAccount),
  }),
  getUser: route({
    method: 'GET',
    path: '/users/:id',
    permission: 'user:read',
    tags,
    summary: 'One account',
    params,
    response: userAccount,
  }),
  createUser: route({
    method: 'POST',
    path: '/users',
    permission: 'user:write',
    audit: 'user.create',
    tags,
    summary: 'Create an account; without `password` one is generated and returned once',
    body: createUserBody,
    response: { 201: createdUser },
  }),
  updateUser: route({
    method: 'PATCH',
    path: '/users/:id',
    permission: 'user:write',
    audit: 'user.update',
    tags,
    summary: 'Edit an account: name, role, scope, phone, status',
    params,
    body: updateUserBody,
    response: userAccount,
  }),
  resetPassword: route({
    method: 'POST',
    path: '/users/:id/reset-password',
    permission: 'user:write',
    audit: 'user.reset-password',
    tags,
    summary: 'Give an account a temporary password (to change at next login)',
    params,
    response: z.object({ temporaryPassword: z.string() }),
  }),
  unlockUser: route({
    method: 'POST',
    path: '/users/:id/unlock',
    permission: 'user:write',
    audit: 'user.unlock',
    tags,
    summary: 'End the login lock of an account (from every address); audited',
    params,
    response: userAccount,
  }),
};
