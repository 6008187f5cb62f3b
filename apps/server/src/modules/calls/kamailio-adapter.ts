import { createHmac, randomUUID } from 'node:crypto';
import type { AppContext } from '../../lib/context.ts';
import type { CommandResult, TelephonyAdapter } from './adapter.ts';

/** How long a dial ticket works: the console dials at once, so a minute is plenty. */
const DIAL_TICKET_SECONDS = 60;

/**
 * A dial ticket for Kamailio (deploy/telephony/kamailio.cfg, route[OUTBOUND]): the console's
 * softphone sends it as the `X-Zy-Dial` header of its INVITE, and Kamailio lets the call out to
 * the trunk only with a valid one. It names the agent's extension, the number, the caller ID to
 * show and the call's id, expires in a minute, and is signed with SIP_AUTH_SECRET — so a browser
 * can dial only what Zhiyang allowed (the elder or contact the agent reached through the dial
 * command, which is audited).
 */
export function dialTicket(secret: string, t: { extension: string; to: string; from: string; callId: string; expiry: number }) {
  const payload = `${t.expiry}.${t.extension}.${t.to}.${t.from}.${t.callId}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/**
 * The call ids Kamailio gives the calls it handles: an inbound call `sip-` + md5(SIP Call-ID), an
 * agent's click-to-dial `sip-out-<uuid>` (from its dial ticket). The same pattern is in
 * route[TRANSFER_IN] / route[TRANSFER_OUT] of deploy/telephony/kamailio.cfg.
 */
export const KAMAILIO_CALL_ID = /^sip-(?:[0-9a-f]{32}|out-[0-9a-f-]{36})$/;

/** How long a transfer ticket works: the caller's phone follows the REFER within seconds. */
const TRANSFER_TICKET_SECONDS = 60;

/**
 * A transfer ticket (转接) for Kamailio (route[TRANSFER_IN]): the agent's softphone REFERs the caller
 * to `sip:zx.<expiry>.<extension>.<call id>.<signature>@…`; the caller's phone calls that address
 * and Kamailio rings the named extension as the same call — only with a valid, unexpired ticket.
 */
export function transferTicket(secret: string, t: { extension: string; callId: string; expiry: number }) {
  const payload = `${t.expiry}.${t.extension}.${t.callId}`;
  return `zx.${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/**
 * A 转外线 ticket for Kamailio (route[TRANSFER_OUT]): the agent's softphone REFERs the caller to
 * `sip:zo.<expiry>.<number>.<call id>.<signature>@…`; the caller's phone calls that address and
 * Kamailio sends it out to the trunk (SIP_TRUNK_URI) — only this number, for this call, within a minute.
 */
export function outsideTransferTicket(secret: string, t: { number: string; callId: string; expiry: number }) {
  const payload = `${t.expiry}.${t.number}.${t.callId}`;
  return `zo.${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/**
 * The adapter for Zhiyang's own telephony (CTI_ADAPTER=kamailio, docs/telephony.md): the agent's
 * phone is the console's softphone, so answer, hang up and hold happen in the browser, and a dial
 * is handed back to the browser as a SIP target with a signed ticket. What follows (offered,
 * ringing, answered, ended) comes from Kamailio as CTI events under the ticket's call id.
 */
export function kamailioAdapter(ctx: AppContext): TelephonyAdapter {
  const { sipAuthSecret, sipDomain = 'zhiyang' } = ctx.config;
  const inBrowser = (what: string): Promise<CommandResult> => Promise.resolve({ status: 'manual', message: what });
  return {
    name: 'kamailio',
    controls: true,
    async makeCall({ extension, to, from }) {
      if (!sipAuthSecret) return { status: 'manual', message: 'no SIP_AUTH_SECRET: dial by hand' };
      if (!from) return { status: 'manual', message: 'no hotline to call from' };
      const digits = to.replace(/[^0-9+*#]/g, '');
      if (!/^[0-9+*#]{3,32}$/.test(digits)) return { status: 'manual', message: 'not a number the trunk can dial' };
      const callId = `sip-out-${randomUUID()}`;
      const expiry = Math.floor(Date.now() / 1000) + DIAL_TICKET_SECONDS;
      return {
        status: 'sent',
        externalCallId: callId,
        softphone: {
          target: `sip:${digits}@${sipDomain}`,
          extraHeaders: [`X-Zy-Dial: ${dialTicket(sipAuthSecret, { extension, to: digits, from, callId, expiry })}`],
        },
      };
    },
    // The softphone answers and hangs up itself; the server has nothing to send.
    answer: () => inBrowser('answer in the softphone'),
    hangUp: () => inBrowser('hang up in the softphone'),
    // The softphone REFERs the other party to Kamailio with a signed ticket naming the other agent.
    // 转外线 likewise, with a ticket naming the outside number (Kamailio sends it to the trunk).
    // Inbound calls (sip-<md5>) and the agents' own outbound calls (sip-out-<uuid>) alike: on an
    // outbound call the elder's phone, reached through the trunk, is the one that follows the REFER.
    async transfer(cmd) {
      const { externalCallId } = cmd;
      if (!sipAuthSecret || !KAMAILIO_CALL_ID.test(externalCallId)) return inBrowser('transfer on the desk phone');
      const expiry = Math.floor(Date.now() / 1000) + TRANSFER_TICKET_SECONDS;
      const user =
        'toNumber' in cmd
          ? outsideTransferTicket(sipAuthSecret, { number: cmd.toNumber, callId: externalCallId, expiry })
          : transferTicket(sipAuthSecret, { extension: cmd.toExtension, callId: externalCallId, expiry });
      return { status: 'sent', externalCallId, softphone: { target: `sip:${user}@${sipDomain}`, extraHeaders: [] } };
    },
    setAgentState: () => Promise.resolve({ status: 'sent' }),
  };
}
