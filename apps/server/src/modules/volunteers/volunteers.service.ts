import { maskIdNumber, parseIdNumber, type VOLUNTEER_KINDS, type VOLUNTEER_SKILLS } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, isUniqueViolation, notFound, validationError } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { publishUserAccessChanged } from '../auth/access-events.ts';
import { revokeUserSessions } from '../auth/auth.repo.ts';
import { assertPasswordRules } from '../auth/auth.service.ts';
import { generatePassword, hashPassword } from '../auth/passwords.ts';
import { accountPhone, newVolunteerUsername } from '../users/users.phone.ts';
import * as users from '../users/users.repo.ts';
import { presentVolunteer, presentVolunteerDetail } from './volunteers.present.ts';
import * as repo from './volunteers.repo.ts';

type Slot = { weekday: number; start: string; end: string };
export interface RegistrationInput {
  name: string;
  phone: string;
  idNumber?: string;
  regionCode: string;
  kind: (typeof VOLUNTEER_KINDS)[number];
  skills: Array<(typeof VOLUNTEER_SKILLS)[number]>;
  availability: Slot[];
  note?: string;
}

function checkSlots(slots: Slot[], path: string) {
  slots.forEach((s, i) => {
    if (s.end <= s.start) throw validationError(`${path}.${i}.end`, 'must be after start');
  });
}

async function detail(ctx: AppContext, row: repo.VolunteerRow) {
  return presentVolunteerDetail(row, await repo.relativesOf(ctx.db, row.id));
}

/**
 * Register a volunteer with a login (they log in with their phone number). From the public phone page
 * (`self`) the volunteer chooses the password and waits 待审核; at the desk (`staff`) the identity
 * has been seen, so the volunteer is approved at once and the first password is shown once.
 */
async function register(
  ctx: AppContext,
  actor: Actor | null,
  input: RegistrationInput,
  source: 'self' | 'staff',
  password?: string,
) {
  if (!(await repo.communityExists(ctx.db, input.regionCode))) throw validationError('body.regionCode', 'not a community');
  if (actor && !actorCoversRegion(actor, input.regionCode)) throw validationError('body.regionCode', 'outside your area');
  checkSlots(input.availability, 'body.availability');
  let idNumber: string | null = null;
  let birthYear: number | null = null;
  if (input.idNumber) {
    const parsed = parseIdNumber(input.idNumber);
    if (!parsed.ok) throw validationError('body.idNumber', `not a valid ID number (${parsed.error})`);
    idNumber = parsed.value.idNumber;
    birthYear = Number(parsed.value.birthDate.slice(0, 4));
  }
  const username = newVolunteerUsername();
  const phoneIndex = ctx.cipher.blindIndex(input.phone, 'volunteer-phone');
  const idIndex = idNumber ? ctx.cipher.blindIndex(idNumber, 'volunteer-id') : null;
  const duplicate = () =>
    conflict('A volunteer with this phone number or ID number is already registered.', undefined, 'duplicate');
  if (
    (await repo.phoneTaken(ctx.db, phoneIndex)) ||
    (idIndex && (await repo.idNumberTaken(ctx.db, idIndex))) ||
    // An account whose username is this number would answer the volunteer's phone login instead.
    (await users.usernameTaken(ctx.db, input.phone))
  )
    throw duplicate();
  // The phone is what the volunteer types as the login name: the password must not contain it.
  if (password !== undefined) assertPasswordRules(password, input.phone, 'body.password');
  const initialPassword = password ?? generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  try {
    return await ctx.db.transaction(async (tx) => {
      const user = await users.insertUser(tx, {
        username,
        displayName: input.name,
        role: 'volunteer',
        regionCode: input.regionCode,
        passwordHash,
        mustChangePassword: source === 'staff',
        ...accountPhone(ctx.cipher, input.phone),
      });
      const v = await repo.insertVolunteer(tx, {
        userId: user.id,
        name: input.name,
        phoneEnc: ctx.cipher.encrypt(input.phone),
        phoneIndex,
        phoneMasked: maskPhone(input.phone) ?? '',
        idNumberEnc: idNumber ? ctx.cipher.encrypt(idNumber) : null,
        idNumberIndex: idIndex,
        idNumberMasked: maskIdNumber(idNumber),
        birthYear,
        regionCode: input.regionCode,
        status: source === 'staff' ? 'approved' : 'pending',
        source,
        kind: input.kind,
        skills: input.skills,
        availability: input.availability,
        note: input.note ?? null,
        reviewedBy: source === 'staff' ? actor?.id : null,
        reviewedAt: source === 'staff' ? new Date() : null,
        createdBy: actor?.id ?? user.id,
      });
      const by: Actor = actor ?? {
        id: user.id,
        username,
        displayName: input.name,
        role: 'volunteer',
        regionCode: input.regionCode,
        orgId: null,
      };
      await recordAudit(tx, {
        actor: by,
        action: source === 'staff' ? 'volunteer.create' : 'volunteer.register',
        targetType: 'volunteer',
        targetId: v.id,
        regionCode: input.regionCode,
        detail: { source, kind: input.kind, skills: input.skills, idChecked: Boolean(idNumber) },
      });
      return { id: v.id, userId: user.id, username, initialPassword };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

export async function selfRegister(ctx: AppContext, input: RegistrationInput & { password: string }) {
  const { password, ...rest } = input;
  const r = await register(ctx, null, rest, 'self', password);
  return { id: r.id, username: r.username, status: 'pending' as const };
}

export async function createVolunteer(ctx: AppContext, actor: Actor, input: RegistrationInput) {
  const r = await register(ctx, actor, input, 'staff');
  const row = (await repo.findVolunteer(ctx.db, actor, r.id)) as repo.VolunteerRow;
  return { volunteer: await detail(ctx, row), username: r.username, initialPassword: r.initialPassword };
}

export async function registrationCommunities(ctx: AppContext) {
  const rows = await repo.communities(ctx.db);
  return { items: rows.map((r) => ({ code: r.code, name: r.name, streetName: r.street_name })) };
}

export async function listVolunteers(
  ctx: AppContext,
  actor: Actor,
  q: repo.VolunteerFilter & { limit: number; page: number; count?: boolean },
) {
  const rows = await repo.listVolunteers(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map(presentVolunteer),
    ...(q.count ? { total: await repo.countVolunteers(ctx.db, actor, q) } : {}),
  };
}

export async function getVolunteer(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findVolunteer(ctx.db, actor, id);
  if (!row) throw notFound('Volunteer');
  return detail(ctx, row);
}

export async function updateVolunteer(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: {
    kind?: RegistrationInput['kind'];
    skills?: RegistrationInput['skills'];
    availability?: Slot[];
    note?: string | null;
    selfElderId?: string | null;
    relatives?: Array<{ elderId: string; relation: string }>;
  },
) {
  const row = await repo.findVolunteer(ctx.db, actor, id);
  if (!row || row.user_id === actor.id) throw notFound('Volunteer');
  if (b.availability) checkSlots(b.availability, 'body.availability');
  const elderIds = [...new Set([...(b.selfElderId ? [b.selfElderId] : []), ...(b.relatives ?? []).map((r) => r.elderId)])];
  const seen = new Set((await repo.visibleElders(ctx.db, actor, elderIds)).map((e) => e.id));
  if (b.selfElderId && !seen.has(b.selfElderId)) throw validationError('body.selfElderId', 'no such elder in your area');
  (b.relatives ?? []).forEach((r, i) => {
    if (!seen.has(r.elderId)) throw validationError(`body.relatives.${i}.elderId`, 'no such elder in your area');
  });
  if (b.relatives && new Set(b.relatives.map((r) => r.elderId)).size !== b.relatives.length)
    throw validationError('body.relatives', 'an elder is listed twice');
  await ctx.db.transaction(async (tx) => {
    await repo.updateVolunteer(tx, id, {
      ...(b.kind ? { kind: b.kind } : {}),
      ...(b.skills ? { skills: b.skills } : {}),
      ...(b.availability ? { availability: b.availability } : {}),
      ...(b.note !== undefined ? { note: b.note } : {}),
      ...(b.selfElderId !== undefined ? { selfElderId: b.selfElderId } : {}),
    });
    if (b.relatives) await repo.replaceRelatives(tx, id, b.relatives, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'volunteer.update',
      targetType: 'volunteer',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        fields: Object.keys(b),
        relatives: b.relatives?.map((r) => ({ elderId: r.elderId, relation: r.relation })),
      },
    });
  });
  return getVolunteer(ctx, actor, id);
}

/** Approve after the identity check (待审核 or 已停用 → 已通过), or disable (the login too). */
export async function reviewVolunteer(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { decision: 'approve' | 'disable'; note?: string },
) {
  const row = await repo.findVolunteer(ctx.db, actor, id);
  if (!row || row.user_id === actor.id) throw notFound('Volunteer');
  const to = b.decision === 'approve' ? 'approved' : 'disabled';
  if (row.status === to) throw conflict(`The volunteer is already ${to}.`, undefined, 'already-handled');
  await ctx.db.transaction(async (tx) => {
    await repo.updateVolunteer(tx, id, {
      status: to,
      reviewedBy: actor.id,
      reviewedAt: new Date(),
      reviewNote: b.note ?? null,
    });
    await users.updateUser(tx, row.user_id, { status: to === 'approved' ? 'active' : 'disabled' });
    if (to === 'disabled') await revokeUserSessions(tx, row.user_id);
    // Tasks the volunteer had not started go back to the community's open list, so no elder waits
    // for someone who can no longer log in.
    const released = to === 'disabled' ? await repo.releaseTasksOf(tx, id) : [];
    // Every process's session cache drops the account's sessions, and open sockets re-check it.
    await publishUserAccessChanged(ctx, tx, row.user_id);
    await recordAudit(tx, {
      actor,
      action: 'volunteer.review',
      targetType: 'volunteer',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        decision: b.decision,
        from: row.status,
        note: b.note ?? null,
        ...(released.length ? { releasedTasks: released.length } : {}),
      },
    });
  });
  return getVolunteer(ctx, actor, id);
}

/** The volunteer row of a volunteer's own account (404 when the account has none). */
export async function ownVolunteer(ctx: AppContext, actor: Actor) {
  const row = actor.id ? await repo.findVolunteerOfUser(ctx.db, actor.id) : undefined;
  if (!row) throw notFound('Volunteer');
  return row;
}
export { detail as volunteerDetailOf };
