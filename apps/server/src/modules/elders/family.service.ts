import { randomInt } from 'node:crypto';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { linkedElderOf, setLinkedElder } from '../users/users.repo.ts';
import * as repo from './elders.repo.ts';

const INVITE_TTL_HOURS = 72;
// No 0/O, 1/I/L: codes are read out over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const normaliseCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');
const codeHash = (ctx: AppContext, code: string) => ctx.cipher.blindIndex(normaliseCode(code), 'invite_code');

/**
 * A single-use code that lets one family account bind to this elder. Staff who may edit the
 * elder create it, or the elder from their own account. Knowing the ID number is never enough.
 */
export async function createInviteCode(ctx: AppContext, actor: Actor, elderId: string) {
  if (!can(actor, 'elder:invite')) throw forbidden();
  // Staff: an elder in their subtree; the elder: only themself (lib/access.ts elderVisibleTo).
  const e = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!e) throw notFound('Elder');
  const regionCode = e.regionCode;
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(Date.now() + INVITE_TTL_HOURS * 3600_000);
  await ctx.db.transaction(async (tx) => {
    await repo.insertInviteCode(tx, { elderId, codeHash: codeHash(ctx, code), createdBy: actor.id, expiresAt });
    await recordAudit(tx, { actor, action: 'elder.invite-code.create', targetType: 'elder', targetId: elderId, regionCode });
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** A family account redeems a code: it is used up and the account now points at the elder. */
export async function bindFamily(ctx: AppContext, actor: Actor, code: string) {
  if (!can(actor, 'family:bind') || !actor.id) throw forbidden('Only a family account can bind to an elder.');
  const hash = codeHash(ctx, code);
  const bound = await ctx.db.transaction(async (tx) => {
    const invite = await repo.redeemInviteCode(tx, hash, actor.id as string);
    if (!invite) return null;
    const current = await linkedElderOf(tx, actor.id as string);
    if (current && current !== invite.elderId) throw conflict('This account is already bound to another elder.');
    await setLinkedElder(tx, actor.id as string, invite.elderId);
    const e = await repo.findElder(tx, invite.elderId);
    await recordAudit(tx, {
      actor,
      action: 'family.bind',
      targetType: 'elder',
      targetId: invite.elderId,
      regionCode: e?.regionCode ?? null,
    });
    if (!e) throw notFound('Elder');
    return { elderId: e.id, name: e.name };
  });
  if (!bound) {
    // Outside the transaction so the failed attempt stays on the trail.
    await recordAudit(ctx.db, { actor, action: 'family.bind', outcome: 'denied', detail: { reason: 'invalid or expired code' } });
    throw badRequest('The code is not valid, already used or expired. Ask the community or the elder for a new one.');
  }
  return bound;
}
