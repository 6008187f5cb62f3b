import { z } from 'zod';
import { ACTIONS, ROLES } from '../roles.ts';
import { route } from './route.ts';

/** The signed-in account as `GET /auth/me` and the login answer describe it. */
export const currentUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  orgId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.enum(ACTIONS)),
});
export type Me = z.output<typeof currentUser>;

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

const tags = ['auth'];

/** Login, logout, who am I and the password change; every logged-in user may call the last three. */
export const authContract = {
  login: route({
    method: 'POST',
    path: '/auth/login',
    auth: 'public',
    audit: 'auth.login',
    tags,
    summary: 'Log in; sets the session cookie and returns a bearer token',
    body: loginBody,
    response: z.object({ token: z.string(), user: currentUser }),
  }),
  logout: route({
    method: 'POST',
    path: '/auth/logout',
    auth: 'user',
    audit: 'auth.logout',
    allowWithExpiredPassword: true,
    tags,
    summary: 'End this session',
    response: { 204: z.null() },
  }),
  me: route({
    method: 'GET',
    path: '/auth/me',
    auth: 'user',
    allowWithExpiredPassword: true,
    tags,
    summary: 'Who am I',
    response: currentUser,
  }),
  changePassword: route({
    method: 'POST',
    path: '/auth/change-password',
    auth: 'user',
    audit: 'auth.change-password',
    allowWithExpiredPassword: true,
    tags,
    summary: 'Change my password (required at first login)',
    body: changePasswordBody,
    response: { 204: z.null() },
  }),
};
