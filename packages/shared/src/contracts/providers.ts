import { z } from 'zod';
import { listOf, loginName, pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

export const approvalStatus = z.enum(['pending', 'approved', 'rejected', 'suspended']);
export type ApprovalStatus = z.output<typeof approvalStatus>;

/** A provider (服务商) as lists and decisions answer it. */
export const provider = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  creditCode: z.string(),
  legalPerson: z.string().nullable(),
  approvalStatus,
  statusReason: z.string().nullable(),
  dishonest: z.boolean(),
  dishonestReason: z.string().nullable(),
  dailyCapacity: z.number().int(),
  slotMinutes: z.number().int(),
  slotCapacity: z.number().int().nullable(),
  rating: z.number().nullable(),
  ratingCount: z.number().int(),
  approvedAt: z.string().nullable(),
});
export type Provider = z.output<typeof provider>;

/** A service site (服务站点). */
export const providerSite = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  address: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
});
export type ProviderSite = z.output<typeof providerSite>;

/** A licence (资质) and whether it is still valid, expiring within 30 days or expired. */
export const licence = z.object({
  id: z.string(),
  kind: z.string(),
  number: z.string(),
  validUntil: z.string(),
  state: z.enum(['valid', 'expiring', 'expired']),
});
export type Licence = z.output<typeof licence>;
export const licenceWarning = licence.extend({ providerId: z.string(), providerName: z.string() });
export type LicenceWarning = z.output<typeof licenceWarning>;

/** A service worker (服务人员) on a provider's roster. */
export const staffMember = z.object({
  userId: z.string(),
  providerId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  careLevel: z.string().nullable(),
  careCertNo: z.string().nullable(),
  careCertValidUntil: z.string().nullable(),
  healthCertValidUntil: z.string().nullable(),
  active: z.boolean(),
  assignable: z.boolean(),
});
export type StaffMember = z.output<typeof staffMember>;

export const offering = z.object({ itemId: z.string(), priceFen: z.number().int() });
export type Offering = z.output<typeof offering>;

/** A provider with its areas, sites, licences, offerings and roster size (the drawer). */
export const providerDetail = provider.extend({
  areas: z.array(z.string()),
  sites: z.array(providerSite),
  licences: z.array(licence),
  offerings: z.array(offering),
  staffCount: z.number().int(),
});
export type ProviderDetail = z.output<typeof providerDetail>;

const day = isoDay('business');
const community = z.string().regex(/^\d{12}$/, 'a 12-digit community code');
const regionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/);
const phone = z
  .string()
  .regex(/^[0-9+\-\s]{5,20}$/)
  .nullable()
  .optional();
const idParam = z.object({ id: z.uuid() });
const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const optionalReason = z.strictObject({ reason: z.string().trim().max(500).optional() });
export const CARE_LEVELS = ['junior', 'intermediate', 'senior', 'technician', 'senior_technician'] as const;

export const providerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  regionCode,
  creditCode: z.string().trim().toUpperCase(),
  legalPerson: z.string().trim().max(50).nullable().optional(),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: phone,
  address: z.string().trim().max(300).nullable().optional(),
  dailyCapacity: z.number().int().min(1).max(100_000).optional(),
});
export type ProviderInput = z.input<typeof providerBody>;

export const providerPatch = z.strictObject({
  legalPerson: z.string().trim().max(50).nullable().optional(),
  dailyCapacity: z.number().int().min(1).max(100_000).optional(),
  slotMinutes: z
    .union([z.literal(30), z.literal(60), z.literal(120), z.literal(180), z.literal(240)])
    .optional()
    .describe('Dispatch slot length in minutes'),
  slotCapacity: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .optional()
    .describe('Orders per slot; null = one per assignable worker'),
});
export type ProviderPatch = z.input<typeof providerPatch>;

export const siteBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  regionCode,
  address: z.string().trim().max(300).nullable().optional(),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type SiteInput = z.input<typeof siteBody>;

export const licenceBody = z.strictObject({
  kind: z.string().trim().min(1).max(50),
  number: z.string().trim().min(1).max(100),
  validUntil: day,
});
export type LicenceInput = z.input<typeof licenceBody>;

export const staffBody = z.strictObject({
  username: loginName(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3–32 lower-case letters, digits, . _ -'),
  name: z.string().trim().min(1).max(50),
  phone,
  careLevel: z.enum(CARE_LEVELS).nullable().optional(),
  careCertNo: z.string().trim().max(50).nullable().optional(),
  careCertValidUntil: day.nullable().optional(),
  healthCertValidUntil: day.nullable().optional(),
});
export type StaffInput = z.input<typeof staffBody>;
export const staffPatch = staffBody.omit({ username: true, phone: true }).partial().extend({ active: z.boolean().optional() });
export type StaffPatch = z.input<typeof staffPatch>;

const tags = ['providers'];
const decision = (name: 'approve' | 'reject' | 'suspend' | 'reinstate') =>
  route({
    method: 'POST',
    path: `/providers/:id/${name}`,
    permission: 'provider:approve',
    audit: `provider.${name}`,
    tags,
    summary: `Bureau decision: ${name}`,
    params: idParam,
    body: name === 'suspend' || name === 'reject' ? reasonBody : optionalReason,
    response: provider,
  });

/** Providers (服务商): the bureau registers and decides; a provider keeps its own facts, sites and roster. */
export const providersContract = {
  listProviders: route({
    method: 'GET',
    path: '/providers',
    permission: 'provider:read',
    tags,
    summary: 'Providers (服务商) the caller may see',
    query: pageQuery.extend({
      approvalStatus: approvalStatus.optional(),
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    response: listOf(provider),
  }),
  licenceWarnings: route({
    method: 'GET',
    path: '/providers/licence-warnings',
    permission: 'provider:read',
    tags,
    summary: 'Licences expired or expiring within 30 days',
    response: listOf(licenceWarning),
  }),
  getProvider: route({
    method: 'GET',
    path: '/providers/:id',
    permission: 'provider:read',
    tags,
    summary: 'A provider with its areas, sites, licences and offerings',
    params: idParam,
    response: providerDetail,
  }),
  createProvider: route({
    method: 'POST',
    path: '/providers',
    permission: 'provider:approve',
    audit: 'provider.create',
    tags,
    summary: 'Register a provider (pending approval)',
    body: providerBody,
    response: { 201: provider },
  }),
  updateProvider: route({
    method: 'PATCH',
    path: '/providers/:id',
    permission: 'provider:write',
    audit: 'provider.update',
    tags,
    summary: 'Edit the legal person, daily capacity and dispatch slots',
    params: idParam,
    body: providerPatch,
    response: provider,
  }),
  approve: decision('approve'),
  reject: decision('reject'),
  suspend: decision('suspend'),
  reinstate: decision('reinstate'),
  setDishonesty: route({
    method: 'PUT',
    path: '/providers/:id/dishonesty',
    permission: 'provider:approve',
    audit: 'credit.listing',
    tags,
    summary:
      'Put on or take off the dishonesty list (失信名单): the credit listing by decision and its removal (a reason is required to list)',
    params: idParam,
    body: z.strictObject({ dishonest: z.boolean(), reason: z.string().trim().max(500).optional() }),
    response: provider,
  }),
  setAreas: route({
    method: 'PUT',
    path: '/providers/:id/areas',
    permission: 'provider:write',
    audit: 'provider.areas',
    tags,
    summary: 'Communities the provider serves',
    params: idParam,
    body: z.strictObject({ regionCodes: z.array(community).max(2000) }),
    response: z.object({ areas: z.array(z.string()) }),
  }),
  addSite: route({
    method: 'POST',
    path: '/providers/:id/sites',
    permission: 'provider:write',
    audit: 'provider.site-add',
    tags,
    summary: 'Add a service site (服务站点)',
    params: idParam,
    body: siteBody,
    response: { 201: providerSite },
  }),
  addLicence: route({
    method: 'POST',
    path: '/providers/:id/licences',
    permission: 'provider:write',
    audit: 'provider.licence-add',
    tags,
    summary: 'Add a licence (资质) with its expiry date',
    params: idParam,
    body: licenceBody,
    response: { 201: licence },
  }),
  setOfferings: route({
    method: 'PUT',
    path: '/providers/:id/offerings',
    permission: 'provider:write',
    audit: 'provider.offerings',
    tags,
    summary: 'Items the provider offers, at its own price within the ceiling',
    params: idParam,
    body: z.strictObject({
      items: z.array(z.strictObject({ itemId: z.uuid(), priceFen: z.number().int('whole fen').min(0) })).max(500),
    }),
    response: z.object({ items: z.array(offering) }),
  }),
  listStaff: route({
    method: 'GET',
    path: '/providers/:id/staff',
    permission: 'provider:read',
    tags,
    summary: "The provider's service workers",
    params: idParam,
    response: listOf(staffMember),
  }),
  addStaff: route({
    method: 'POST',
    path: '/providers/:id/staff',
    permission: 'provider:write',
    audit: 'provider.staff-add',
    tags,
    summary: 'Add a service worker (creates the login; the first password is returned once)',
    params: idParam,
    body: staffBody,
    response: { 201: staffMember.extend({ initialPassword: z.string() }) },
  }),
  updateStaff: route({
    method: 'PATCH',
    path: '/providers/:id/staff/:userId',
    permission: 'provider:write',
    audit: 'provider.staff-update',
    tags,
    summary: "Edit a worker's certificates, or take the worker off the roster (active: false)",
    params: z.object({ id: z.uuid(), userId: z.uuid() }),
    body: staffPatch,
    response: staffMember,
  }),
};
