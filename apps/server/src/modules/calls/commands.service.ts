import { createHmac } from 'node:crypto';
import type { CallCommandResult, TelephonyInfo, TransferBody } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { adapterName, type TelephonyAdapter, telephonyAdapter } from './adapter.ts';
import * as agentsRepo from './agents.repo.ts';
import { elderNumber, findVisibleElder } from './calls.repo.ts';
import * as repo from './cti.repo.ts';
import { kamailioAdapter } from './kamailio-adapter.ts';
import { maskNumber } from './party.ts';
import { simulatorAdapter } from './sim-adapter.ts';

/**
 * Commands out (CTI contract v1, docs/cti.md): the console's click to dial, answer, hang up and
 * transfer go to the configured adapter. What then happens comes back as CTI events; a command's
 * answer only says whether the telephony took it (`sent`) or a person must do it on a desk phone
 * (`manual`). Every command is audited; a dial reads the elder's number, so it is audited as such.
 */

function adapterFor(ctx: AppContext): TelephonyAdapter {
  const name = adapterName(ctx.config);
  if (name === 'simulator') return simulatorAdapter(ctx);
  if (name === 'kamailio') return kamailioAdapter(ctx);
  return telephonyAdapter(name);
}

/** How long an agent's SIP credential works: a working day; the console fetches a new one on each (re)connect. */
const SIP_CREDENTIAL_SECONDS = 12 * 3600;

export async function telephonyInfo(ctx: AppContext, actor: Actor): Promise<TelephonyInfo> {
  const a = adapterFor(ctx);
  const { sipWsUrl, sipAuthSecret, sipDomain = 'zhiyang', sipRingSeconds = 20 } = ctx.config;
  const me = sipWsUrl && sipAuthSecret && actor.id ? await agentsRepo.findAgent(ctx.db, actor.id) : undefined;
  if (!me || !sipWsUrl || !sipAuthSecret) return { adapter: a.name, controls: a.controls };
  const expiry = Math.floor(Date.now() / 1000) + SIP_CREDENTIAL_SECONDS;
  return {
    adapter: a.name,
    controls: a.controls,
    sip: {
      wsUrl: sipWsUrl,
      ...sipCredential(sipAuthSecret, sipDomain, me.extension, expiry),
      ringSeconds: sipRingSeconds,
    },
  };
}

/**
 * An agent's SIP credential, checked by Kamailio without a database (deploy/telephony/kamailio.cfg):
 * digest user `<expiry>:<extension>`, password base64url(HMAC-SHA256(SIP_AUTH_SECRET, user)).
 * It names one extension and stops working at its expiry.
 */
export function sipCredential(secret: string, domain: string, extension: string, expiry: number) {
  const authorizationUser = `${expiry}:${extension}`;
  return {
    uri: `sip:${extension}@${domain}`,
    authorizationUser,
    password: createHmac('sha256', secret).update(authorizationUser).digest('base64url'),
    expiresAt: new Date(expiry * 1000).toISOString(),
  };
}

async function myAgent(ctx: AppContext, actor: Actor) {
  const me = actor.id ? await agentsRepo.findAgent(ctx.db, actor.id) : undefined;
  if (!me) throw conflict('You are not registered as an agent (坐席); a supervisor adds you first.', undefined, 'invalid-state');
  return me;
}

const callIdOf = async (ctx: AppContext, externalCallId?: string) =>
  externalCallId ? ((await repo.findCallByExternalId(ctx.db, externalCallId))?.id ?? null) : null;

export async function dial(
  ctx: AppContext,
  actor: Actor,
  body: { elderId: string; contactId?: string },
): Promise<CallCommandResult> {
  const me = await myAgent(ctx, actor);
  if (me.state === 'ringing' || me.state === 'talking')
    throw conflict('You are on a call: hang up before dialling.', undefined, 'invalid-state');
  const elder = await findVisibleElder(ctx.db, actor, body.elderId);
  if (!elder) throw notFound('Elder');
  if (elder.status === 'deceased') throw conflict('The elder is recorded as deceased.', undefined, 'invalid-state');
  // The elder's own number as the archive keeps it, or the named contact's.
  const enc = body.contactId
    ? await repo.contactNumber(ctx.db, elder.id, body.contactId)
    : ((await elderNumber(ctx.db, elder.id))?.enc ?? null);
  if (enc === undefined) throw validationError('body.contactId', 'not a contact of this elder');
  if (!enc) throw validationError('body.elderId', 'the elder has no phone number on file');
  const number = ctx.cipher.decrypt(enc);
  const adapter = adapterFor(ctx);
  const r = await adapter.makeCall({
    extension: me.extension,
    to: number,
    from: (await repo.outboundHotline(ctx.db, me.regionCode)) ?? undefined,
  });
  const callId = await callIdOf(ctx, r.externalCallId);
  await recordAudit(ctx.db, {
    actor,
    action: 'call.dial',
    targetType: 'elder',
    targetId: elder.id,
    regionCode: elder.regionCode,
    detail: { contactId: body.contactId ?? null, adapter: adapter.name, status: r.status, callId },
  });
  return {
    status: r.status,
    callId,
    externalCallId: r.externalCallId ?? null,
    number: r.status === 'manual' ? number : null,
    numberMasked: maskNumber(number),
    softphone: r.softphone ?? null,
  };
}

/** The agent's own call, still going, that the telephony knows (a call logged by hand has no phone to control). */
async function myLiveCall(ctx: AppContext, actor: Actor, id: string) {
  const call = await repo.findCall(ctx.db, id);
  if (!call || call.agentUserId !== actor.id) throw notFound('Call');
  if (call.endedAt) throw conflict('This call has ended.', undefined, 'invalid-state');
  if (call.transferredOutAt)
    throw conflict('This call was transferred to an outside number: it is no longer on your line.', undefined, 'invalid-state');
  if (!call.externalId) throw conflict('This call was logged by hand: there is no line to control.', undefined, 'invalid-state');
  return { call, externalCallId: call.externalId };
}

async function audited(
  ctx: AppContext,
  actor: Actor,
  action: string,
  call: { id: string; regionCode: string },
  adapter: TelephonyAdapter,
  r: { status: 'sent' | 'manual' },
  detail: Record<string, unknown> = {},
): Promise<CallCommandResult> {
  await recordAudit(ctx.db, {
    actor,
    action,
    targetType: 'call',
    targetId: call.id,
    regionCode: call.regionCode,
    detail: { adapter: adapter.name, status: r.status, ...detail },
  });
  return { status: r.status, callId: call.id, externalCallId: null, number: null, numberMasked: null };
}

export async function answer(ctx: AppContext, actor: Actor, id: string) {
  // The call first: another region's call is not found, whoever asks.
  const { call, externalCallId } = await myLiveCall(ctx, actor, id);
  const me = await myAgent(ctx, actor);
  // Ringing for this agent: a new call, or one transferred to them (already answered by another).
  if (me.state !== 'ringing') throw conflict('This call is not ringing for you.', undefined, 'invalid-state');
  const adapter = adapterFor(ctx);
  const r = await adapter.answer({ extension: me.extension, externalCallId });
  return audited(ctx, actor, 'call.answer', call, adapter, r);
}

export async function hangUp(ctx: AppContext, actor: Actor, id: string) {
  const { call, externalCallId } = await myLiveCall(ctx, actor, id);
  const adapter = adapterFor(ctx);
  const r = await adapter.hangUp({ externalCallId });
  return audited(ctx, actor, 'call.hang-up', call, adapter, r);
}

export async function transfer(ctx: AppContext, actor: Actor, id: string, body: TransferBody) {
  const { call, externalCallId } = await myLiveCall(ctx, actor, id);
  if (!call.answeredAt) throw conflict('Answer the call before transferring it.', undefined, 'invalid-state');
  if ('toNumber' in body) {
    // 转外线: the number is the agent's choice (a family member, 120, the family doctor), audited masked.
    const adapter = adapterFor(ctx);
    const r = await adapter.transfer({ externalCallId, toNumber: body.toNumber });
    const res = await audited(ctx, actor, 'call.transfer-out', call, adapter, r, { toNumberMasked: maskNumber(body.toNumber) });
    return { ...res, softphone: r.softphone ?? null };
  }
  const { toUserId } = body;
  if (toUserId === actor.id) throw validationError('body.toUserId', 'another agent, not yourself');
  const target = await agentsRepo.findAgent(ctx.db, toUserId);
  if (!target || !(target.regionCode.startsWith(call.regionCode) || call.regionCode.startsWith(target.regionCode)))
    throw validationError('body.toUserId', 'not an agent of this call’s region');
  const adapter = adapterFor(ctx);
  const r = await adapter.transfer({ externalCallId, toExtension: target.extension });
  const res = await audited(ctx, actor, 'call.transfer', call, adapter, r, { toUserId });
  return { ...res, softphone: r.softphone ?? null };
}
