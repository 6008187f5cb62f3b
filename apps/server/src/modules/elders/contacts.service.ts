import { PHONE_PATTERN } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { badRequest, notFound, validationError } from '../../lib/errors.ts';
import { normalisePhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentContact } from './elders.present.ts';
import * as repo from './elders.repo.ts';

export interface ContactInput {
  name: string;
  relationship: string;
  phone: string;
  /** Position in the alarm centre's call list (1 = first); default last. */
  callOrder?: number;
  isGuardian?: boolean;
  holdsKey?: boolean;
  notes?: string | null;
}

const MAX_CONTACTS = 10;

async function elderInScope(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!e) throw notFound('Elder');
  return e;
}

function phoneFields(ctx: AppContext, phone: string) {
  const p = normalisePhone(phone);
  if (!PHONE_PATTERN.test(p)) throw validationError('body.phone', 'a mobile (11 digits) or a landline with area code');
  return { phoneEnc: ctx.cipher.encrypt(p), phoneHash: ctx.cipher.blindIndex(p, 'phone') };
}

export async function listContacts(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await elderInScope(ctx, actor, elderId);
  await recordAudit(ctx.db, {
    actor,
    action: 'elder.contacts.read',
    targetType: 'elder',
    targetId: elderId,
    regionCode: e.regionCode,
  });
  return (await repo.listContacts(ctx.db, elderId)).map((c) => presentContact(ctx.cipher, c));
}

/** Place `id` at `position` (1-based) and renumber the rest 1..n without gaps. */
async function placeAt(tx: Parameters<typeof repo.setCallOrder>[0], elderId: string, id: string, position: number | undefined) {
  const ids = (await repo.listContacts(tx, elderId)).map((c) => c.id).filter((x) => x !== id);
  const at = position === undefined ? ids.length : Math.min(Math.max(position - 1, 0), ids.length);
  ids.splice(at, 0, id);
  await repo.setCallOrder(tx, elderId, ids);
}

export async function addContact(ctx: AppContext, actor: Actor, elderId: string, c: ContactInput) {
  const e = await elderInScope(ctx, actor, elderId);
  const existing = await repo.listContacts(ctx.db, elderId);
  if (existing.length >= MAX_CONTACTS) throw badRequest(`An elder has at most ${MAX_CONTACTS} contacts.`);
  const phone = phoneFields(ctx, c.phone);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertContact(tx, {
      elderId,
      name: c.name,
      relationship: c.relationship,
      ...phone,
      callOrder: existing.length + 1,
      isGuardian: c.isGuardian ?? false,
      holdsKey: c.holdsKey ?? false,
      notes: c.notes ?? null,
    });
    await placeAt(tx, elderId, row.id, c.callOrder);
    await audit(tx, actor, e, 'elder.contact.create', { contactId: row.id, relationship: c.relationship });
    return (await repo.listContacts(tx, elderId)).map((x) => presentContact(ctx.cipher, x));
  });
}

export async function updateContact(ctx: AppContext, actor: Actor, elderId: string, id: string, c: Partial<ContactInput>) {
  const e = await elderInScope(ctx, actor, elderId);
  const { phone, callOrder, ...rest } = c;
  return ctx.db.transaction(async (tx) => {
    const row = await repo.updateContact(tx, elderId, id, { ...rest, ...(phone ? phoneFields(ctx, phone) : {}) });
    if (!row) throw notFound('Contact');
    if (callOrder !== undefined) await placeAt(tx, elderId, id, callOrder);
    await audit(tx, actor, e, 'elder.contact.update', { contactId: id, changed: Object.keys(c) });
    return (await repo.listContacts(tx, elderId)).map((x) => presentContact(ctx.cipher, x));
  });
}

export async function deleteContact(ctx: AppContext, actor: Actor, elderId: string, id: string) {
  const e = await elderInScope(ctx, actor, elderId);
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteContact(tx, elderId, id))) throw notFound('Contact');
    await repo.setCallOrder(
      tx,
      elderId,
      (await repo.listContacts(tx, elderId)).map((x) => x.id),
    );
    await audit(tx, actor, e, 'elder.contact.delete', { contactId: id });
    return (await repo.listContacts(tx, elderId)).map((x) => presentContact(ctx.cipher, x));
  });
}

/** Set the whole call order at once: `ids` must be exactly this elder's contacts. */
export async function reorderContacts(ctx: AppContext, actor: Actor, elderId: string, ids: string[]) {
  const e = await elderInScope(ctx, actor, elderId);
  const current = (await repo.listContacts(ctx.db, elderId)).map((c) => c.id);
  if (ids.length !== current.length || new Set(ids).size !== ids.length || ids.some((x) => !current.includes(x)))
    throw validationError('body.ids', "must list each of the elder's contacts exactly once");
  return ctx.db.transaction(async (tx) => {
    await repo.setCallOrder(tx, elderId, ids);
    await audit(tx, actor, e, 'elder.contact.reorder', { ids });
    return (await repo.listContacts(tx, elderId)).map((x) => presentContact(ctx.cipher, x));
  });
}

function audit(
  tx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  e: repo.ElderRow,
  action: string,
  detail: Record<string, unknown>,
) {
  return recordAudit(tx, { actor, action, targetType: 'elder', targetId: e.id, regionCode: e.regionCode, detail });
}
