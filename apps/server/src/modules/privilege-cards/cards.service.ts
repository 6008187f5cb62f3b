import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { AppError, conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { presentOne } from './privilege-cards.present.ts';
import * as repo from './privilege-cards.repo.ts';
import { cardNumber, expiryOf, isRenewalDue, refusalFor, renewalStart } from './privilege-cards.rules.ts';
import { maskName, readCardToken } from './privilege-cards.token.ts';
import { recordStep } from './steps.ts';

/** The system actor of the automatic revocation on death. */
const CARD_SYSTEM: Actor = { id: null, username: 'system', displayName: '系统', role: 'system', regionCode: null, orgId: null };

/** Load a card in the actor's reach (else 404), lock it and run a transition on it. */
async function transition<T>(
  ctx: AppContext,
  actor: Actor,
  id: string,
  work: (tx: DbOrTx, card: NonNullable<Awaited<ReturnType<typeof repo.lockCard>>>) => Promise<T>,
) {
  if (!(await repo.findCard(ctx.db, actor, id))) throw notFound('Privilege card');
  return ctx.db.transaction(async (tx) => {
    const card = await repo.lockCard(tx, id);
    if (!card) throw notFound('Privilege card');
    await work(tx, card);
    const row = await repo.findCardById(tx, id);
    if (!row) throw notFound('Privilege card');
    return presentOne(ctx.cipher, tx, row);
  });
}

/**
 * The district approves an application that passed the external check: the card gets the next
 * number of the district's sequence, today's date (China) as issue date and its expiry (the
 * district's validity, privilege_card_settings.valid_years); or rejects
 * one under check, passed or failed, with the reason.
 */
export function decide(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { decision: 'approve' } | { decision: 'reject'; reason: string },
) {
  return transition(ctx, actor, id, async (tx, card) => {
    if (b.decision === 'approve') {
      if (card.status !== 'passed')
        throw conflict('Only an application that passed the external data check can be approved.', undefined, 'invalid-state');
      const issuedOn = cstDate();
      const district = card.regionCode.slice(0, 6);
      const { validYears } = await repo.getSettings(tx, district);
      const cardNo = cardNumber(district, issuedOn.slice(0, 4), await repo.nextCardSeq(tx, district));
      const next = await repo.updateCard(tx, card.id, {
        status: 'issued',
        cardNo,
        issuedOn,
        expiresOn: expiryOf(issuedOn, validYears),
        decidedBy: actor.id,
        decidedAt: new Date(),
        reason: null,
      });
      await recordStep(ctx, tx, actor, next, 'privilege-card.decide.approve', { cardNo });
      return;
    }
    if (!['checking', 'passed', 'failed'].includes(card.status))
      throw conflict('Only an application not yet issued can be rejected.', undefined, 'invalid-state');
    const next = await repo.updateCard(tx, card.id, {
      status: 'rejected',
      reason: b.reason,
      decidedBy: actor.id,
      decidedAt: new Date(),
    });
    await recordStep(ctx, tx, actor, next, 'privilege-card.decide.reject', { reason: b.reason });
  });
}

/** Revoke an issued card with a reason; its QR code verifies as revoked from now on. */
export function revoke(ctx: AppContext, actor: Actor, id: string, reason: string) {
  return transition(ctx, actor, id, async (tx, card) => {
    if (card.status !== 'issued') throw conflict('Only an issued card can be revoked.', undefined, 'invalid-state');
    const next = await repo.updateCard(tx, card.id, { status: 'revoked', reason, revokedAt: new Date() });
    await recordStep(ctx, tx, actor, next, 'privilege-card.revoke', { reason });
  });
}

/** Reissue: the same card number and validity, the next version; the old QR code verifies as superseded. */
export function reissue(ctx: AppContext, actor: Actor, id: string, reason: string) {
  return transition(ctx, actor, id, async (tx, card) => {
    if (card.status !== 'issued') throw conflict('Only an issued card can be reissued.', undefined, 'invalid-state');
    const next = await repo.updateCard(tx, card.id, { version: card.version + 1 });
    await recordStep(ctx, tx, actor, next, 'privilege-card.reissue', { reason, version: next.version });
  });
}

/**
 * Renew an issued card that is due (expired, or within the district's renewal window): a new card
 * — the next number of the district's sequence, issued today, valid for the district's years from
 * the day after the old expiry (or from today when it has run out) — replaces it. The old card
 * stays in the history as `replaced` and its QR code verifies as replaced. The elder must still
 * qualify (alive, not moved away, the district's residence rule); the external check is not asked
 * again. A card is renewed once (a unique index): a second desk's renewal meets 409.
 */
export async function renewCard(ctx: AppContext, actor: Actor, id: string, source: 'staff' | 'self') {
  return ctx.db.transaction(async (tx) => {
    const card = await repo.lockCard(tx, id);
    if (!card) throw notFound('Privilege card');
    if (card.status !== 'issued' || !card.expiresOn || !card.cardNo)
      throw conflict('Only an issued card can be renewed.', undefined, 'invalid-state');
    const today = cstDate();
    const elder = await repo.elderById(tx, card.elderId);
    if (!elder) throw notFound('Elder');
    const district = elder.regionCode.slice(0, 6);
    const settings = await repo.getSettings(tx, card.regionCode.slice(0, 6));
    if (!isRenewalDue(card.expiresOn, today, settings.renewalWindowDays))
      throw conflict(
        `This card can be renewed from ${settings.renewalWindowDays} days before its expiry (${card.expiresOn}).`,
        undefined,
        'renewal-not-due',
      );
    const rule = district === card.regionCode.slice(0, 6) ? settings : await repo.getSettings(tx, district);
    const refusal = refusalFor(elder, rule, today, card.residenceSince);
    if (refusal)
      throw unprocessable(`The elder no longer qualifies for a 优待证 (${refusal}).`, [{ path: 'elderId', message: refusal }]);
    const old = await repo.updateCard(tx, card.id, { status: 'replaced', replacedAt: new Date() });
    const cardNo = cardNumber(district, today.slice(0, 4), await repo.nextCardSeq(tx, district));
    const fresh = await repo.insertCard(tx, {
      elderId: elder.id,
      regionCode: elder.regionCode,
      source,
      status: 'issued',
      residenceSince: card.residenceSince,
      // The checks the card rests on: not asked again for a renewal.
      checkResults: card.checkResults,
      checkedAt: card.checkedAt,
      createdBy: actor.id,
      cardNo,
      issuedOn: today,
      expiresOn: expiryOf(renewalStart(card.expiresOn, today), rule.validYears),
      decidedBy: actor.id,
      decidedAt: new Date(),
      renewalOf: card.id,
    });
    if (!fresh) throw conflict('The elder has a 优待证 or an application under way already.', undefined, 'duplicate');
    await recordStep(ctx, tx, actor, old, 'privilege-card.replace', { by: cardNo });
    await recordStep(ctx, tx, actor, fresh, source === 'self' ? 'privilege-card.renew.self' : 'privilege-card.renew', {
      cardNo,
      from: card.cardNo,
    });
    const row = await repo.findCardById(tx, fresh.id);
    if (!row) throw notFound('Privilege card');
    return presentOne(ctx.cipher, tx, row);
  });
}

/** Staff renew a card in reach (else 404). */
export async function renew(ctx: AppContext, actor: Actor, id: string) {
  if (!(await repo.findCard(ctx.db, actor, id))) throw notFound('Privilege card');
  return renewCard(ctx, actor, id, 'staff');
}

/**
 * The public verification of a QR code: a tampered or malformed token is refused (400); a genuine
 * one shows its verdict, the masked name and the card number — never the ID number.
 */
export async function verify(ctx: AppContext, token: string) {
  const t = readCardToken(ctx.config.secretKey, token);
  if (!t) throw new AppError(400, 'Bad Request', 'This code is not a genuine 优待证 code.', undefined, 'bad-signature');
  const row = await repo.cardByNumber(ctx.db, t.cardNo);
  const c = row?.card;
  const issuedOn = c?.issuedOn;
  const expiresOn = c?.expiresOn;
  if (!row || !c || !issuedOn || !expiresOn) throw notFound('Privilege card');
  const verdict =
    c.status === 'replaced'
      ? ('replaced' as const)
      : c.status !== 'issued'
        ? ('revoked' as const)
        : t.version !== c.version
          ? ('superseded' as const)
          : expiresOn < cstDate()
            ? ('expired' as const)
            : ('valid' as const);
  return { verdict, cardNo: t.cardNo, holderMasked: maskName(row.elderName), issuedOn, expiresOn };
}

/**
 * On death in the archive: revoke the elder's issued card and reject an application under way.
 * A partial event (no elder id) sweeps every deceased elder; running twice changes nothing.
 */
export async function closeCardsOfDeceased(ctx: AppContext, elderId?: string) {
  for (const { id } of await repo.liveCardsOfDeceased(ctx.db, elderId)) {
    await ctx.db.transaction(async (tx) => {
      const card = await repo.lockCard(tx, id);
      if (!card || !['checking', 'passed', 'issued'].includes(card.status)) return;
      const issued = card.status === 'issued';
      const next = await repo.updateCard(tx, id, {
        status: issued ? 'revoked' : 'rejected',
        reason: '老人已故',
        ...(issued ? { revokedAt: new Date() } : { decidedAt: new Date() }),
      });
      await recordStep(ctx, tx, CARD_SYSTEM, next, issued ? 'privilege-card.revoke.death' : 'privilege-card.reject.death');
    });
  }
}
