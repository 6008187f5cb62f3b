import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../lib/context.ts';
import { providerOfferings, serviceItems } from '../modules/catalogue/catalogue.schema.ts';
import { providerAreas, providerProfiles, providerSites, providerStaff } from '../modules/providers/providers.schema.ts';
import { client, clientAs, createAccount, createOrg, loginToken } from './factories.ts';

let creditSeq = 0;
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid, unique unified social credit code (GB 32100). */
export function makeCreditCode(n = ++creditSeq + Math.floor(Math.random() * 1e6)): string {
  const body = `91990101${String(n).padStart(9, '0')}`;
  const sum = body.split('').reduce((a, c, i) => a + ALPHABET.indexOf(c) * WEIGHTS[i], 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

export async function itemByCode(ctx: AppContext, code: string) {
  return (await ctx.db.select().from(serviceItems).where(eq(serviceItems.code, code)))[0];
}

const inYears = (n: number) => `${new Date().getUTCFullYear() + n}-12-31`;

/**
 * An approved provider serving `communities`, with one site at (lat, lng), offering the given
 * items at their reference price, and one worker with valid certificates. Straight into the
 * tables, for tests of dispatch, visits and settlement.
 */
export async function createServiceProvider(
  ctx: AppContext,
  opts: {
    regionCode: string;
    communities: string[];
    site: { lat: number; lng: number };
    itemCodes?: string[];
    name?: string;
    ratingSum?: number;
    ratingCount?: number;
    dailyCapacity?: number;
    slotCapacity?: number | null;
  },
) {
  const org = await createOrg(ctx, 'provider', opts.regionCode, opts.name ?? `服务商-${Math.random().toString(36).slice(2, 7)}`);
  await ctx.db.insert(providerProfiles).values({
    orgId: org.id,
    creditCode: makeCreditCode(),
    approvalStatus: 'approved',
    approvedAt: new Date(),
    ratingSum: opts.ratingSum ?? 0,
    ratingCount: opts.ratingCount ?? 0,
    dailyCapacity: opts.dailyCapacity ?? 40,
    slotCapacity: opts.slotCapacity ?? null,
  });
  await ctx.db.insert(providerAreas).values(opts.communities.map((regionCode) => ({ orgId: org.id, regionCode })));
  await ctx.db.insert(providerSites).values({ orgId: org.id, name: `${org.name}站`, regionCode: opts.regionCode, ...opts.site });
  for (const code of opts.itemCodes ?? ['cleaning', 'wardrobe_tidy', 'haircut']) {
    const item = await itemByCode(ctx, code);
    await ctx.db.insert(providerOfferings).values({ orgId: org.id, itemId: item.id, priceFen: item.refPriceFen });
  }
  const worker = await createAccount(ctx, 'service_worker', { orgId: org.id });
  await ctx.db.insert(providerStaff).values({
    userId: worker.id,
    orgId: org.id,
    name: worker.displayName,
    careLevel: 'intermediate',
    careCertValidUntil: inYears(2),
    healthCertValidUntil: inYears(1),
  });
  return { org, worker };
}

/** Log in an existing account and return its API client. */
export async function apiFor(app: FastifyInstance, username: string) {
  return client(app, await loginToken(app, username));
}

export { clientAs };

/** An ISO time `hours` from now. */
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
