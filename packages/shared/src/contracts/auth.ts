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

/** A mainland mobile number, 11 digits (text messages go to mobiles only). */
export const loginPhone = z.string().regex(/^1[3-9][0-9]{9}$/, 'an 11-digit mobile number');

export const phoneCodeBody = z.strictObject({ phone: loginPhone });

export const phoneLoginBody = z.strictObject({
  phone: loginPhone,
  code: z.string().regex(/^[0-9]{6}$/, 'the 6-digit code'),
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
  requestPhoneCode: route({
    method: 'POST',
    path: '/auth/phone-code',
    auth: 'public',
    audit: 'auth.sms-code',
    tags,
    summary: 'Text a one-time login code to an elder or family account’s phone',
    description:
      'Same 202 whether or not the number has an account. 429 phone-code-rate-limited (Retry-After) after one ' +
      'request a minute or five an hour per number, or thirty an hour per address; 503 sms-not-configured when ' +
      'no SMS gateway is configured in production.',
    body: phoneCodeBody,
    response: { 202: z.object({ expiresInSeconds: z.number().int(), resendAfterSeconds: z.number().int() }) },
  }),
  loginWithPhoneCode: route({
    method: 'POST',
    path: '/auth/phone-login',
    auth: 'public',
    audit: 'auth.login',
    tags,
    summary: 'Log in with the phone number and its code; sets the session cookie and returns a bearer token',
    description:
      '401 phone-code-wrong (a try counted), 401 phone-code-expired (none asked for, older than 5 minutes, used, ' +
      'or the fifth wrong try).',
    body: phoneLoginBody,
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
