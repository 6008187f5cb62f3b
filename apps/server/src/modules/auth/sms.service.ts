import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/http.ts';
import { type NotificationProvider, webhookProvider } from '../../lib/notification-providers.ts';
import { insertSmsOutbox } from './sms.repo.ts';

/** One text message that is not a family notice (today: a login code). */
export interface SmsMessage {
  purpose: 'login-code';
  /** The clear mobile number, used for delivery only. */
  to: string;
  /** Its blind index, kept in the outbox so an administrator can find the messages to a number. */
  toHash: string;
  userId: string | null;
  /** The text with the code, handed to the gateway only. */
  body: string;
  /** The same text with the code masked: what the outbox keeps. */
  maskedBody: string;
  template: string;
  params: Record<string, string>;
}

/**
 * The gateway that sends text messages: the provider set in code (`config.smsProvider`, the tests'
 * capture), else the webhook of NOTIFY_WEBHOOK_URL, else none — the embedded default, which only
 * writes the outbox (and, outside production, the developer's log line).
 */
export function smsProviderFor(ctx: AppContext): NotificationProvider | null {
  if (ctx.config.smsProvider) return ctx.config.smsProvider;
  if (ctx.config.notifyWebhookUrl) return webhookProvider(ctx.config.notifyWebhookUrl);
  return null;
}

/** A text can go out: a gateway is configured, or this is not production (the code goes to the log). */
export const smsAvailable = (ctx: AppContext) => smsProviderFor(ctx) !== null || !ctx.config.production;

export const smsNotConfigured = () =>
  new AppError(
    503,
    'Service Unavailable',
    'Text messages are not configured on this server (no SMS gateway), so codes cannot be sent. Log in with the password.',
    undefined,
    'sms-not-configured',
  );

/**
 * Send one text and write the outbox row (number and text masked). A gateway's failure is recorded
 * and logged without the number, never thrown: the caller's answer must not depend on it. Without
 * a gateway, outside production, the text (with the code) is logged for the developer — the only
 * place a code is ever written down.
 */
export async function sendSms(ctx: AppContext, m: SmsMessage): Promise<void> {
  const provider = smsProviderFor(ctx);
  const id = randomUUID();
  const masked = maskPhone(m.to) ?? '';
  let error: string | null = null;
  if (provider) {
    try {
      await provider.send({
        id,
        channel: 'sms',
        to: m.to,
        body: m.body,
        alarmId: null,
        template: m.template,
        params: m.params,
      });
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      ctx.log.warn({ smsOutboxId: id, provider: provider.name, error }, 'text message not sent');
    }
  } else if (ctx.config.production) {
    throw smsNotConfigured();
  } else {
    ctx.log.warn({ smsOutboxId: id, to: masked }, `DEVELOPMENT ONLY, no SMS gateway configured: ${m.body}`);
  }
  await insertSmsOutbox(ctx.db, {
    id,
    purpose: m.purpose,
    userId: m.userId,
    recipientHash: m.toHash,
    recipientMasked: masked,
    bodyMasked: m.maskedBody,
    provider: provider?.name ?? 'embedded',
    status: error ? 'failed' : 'sent',
    error,
  });
}
