import { z } from 'zod';
import { ORG_TYPES } from '../organizations.ts';
import { listOf, pageQuery } from './common.ts';
import { route } from './route.ts';

export const ORG_STATUSES = ['active', 'suspended', 'closed'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

/** An organisation (机构): a provider, canteen, institution or other body in a region. */
export const organization = z.object({
  id: z.string(),
  type: z.enum(ORG_TYPES),
  name: z.string(),
  regionCode: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  status: z.enum(ORG_STATUSES),
});
export type Organization = z.output<typeof organization>;

export const organizationBody = z.strictObject({
  type: z.enum(ORG_TYPES),
  name: z.string().trim().min(1).max(200),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code'),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/, 'a phone number')
    .nullable()
    .optional(),
  address: z.string().trim().max(300).nullable().optional(),
  status: z.enum(ORG_STATUSES).optional(),
});
export type OrganizationInput = z.input<typeof organizationBody>;

const params = z.object({ id: z.uuid() });
const tags = ['organizations'];

/** Organisations in the caller's region scope: list, read, register, edit. */
export const organizationsContract = {
  listOrgs: route({
    method: 'GET',
    path: '/organizations',
    permission: 'org:read',
    tags,
    summary: 'Organisations in my scope',
    query: pageQuery.extend({
      type: z.enum(ORG_TYPES).optional(),
      /** 正常 / 暂停 / 关闭 (the supervision dashboard's organisation figures open the list with one). */
      status: z.enum(ORG_STATUSES).optional(),
      regionCode: z
        .string()
        .regex(/^\d{1,12}$/)
        .optional(),
      q: z.string().max(50).optional(),
    }),
    response: listOf(organization),
  }),
  getOrg: route({
    method: 'GET',
    path: '/organizations/:id',
    permission: 'org:read',
    tags,
    summary: 'One organisation',
    params,
    response: organization,
  }),
  createOrg: route({
    method: 'POST',
    path: '/organizations',
    permission: 'org:write',
    audit: 'org.create',
    tags,
    summary: 'Register an organisation',
    body: organizationBody,
    response: { 201: organization },
  }),
  updateOrg: route({
    method: 'PATCH',
    path: '/organizations/:id',
    permission: 'org:write',
    audit: 'org.update',
    tags,
    summary: 'Edit an organisation',
    params,
    body: organizationBody.partial(),
    response: organization,
  }),
};
