import type { Logger } from 'pino';

/** One family notice to deliver. `to` is the clear phone number (decrypted just for delivery). */
export interface Notice {
  id: string;
  channel: string;
  to: string;
  body: string;
  alarmId: string | null;
  /**
   * For gateways that send only registered templates (Aliyun, Tencent Cloud SMS): the template's
   * name here (`login-code`) and its parameters (`{ code }`). `body` is the same text, filled in.
   */
  template?: string;
  params?: Record<string, string>;
}

/**
 * A delivery channel: SMS, voice call, WeChat template message … Real deployments plug in their
 * gateway; `send` resolves when the provider accepted the notice and throws otherwise (the
 * attempt is recorded and the job retried).
 */
export interface NotificationProvider {
  name: string;
  send(n: Notice): Promise<void>;
}

/** The embedded default: the outbox row is the record; the log line says it was "sent". */
export function logProvider(log: Logger): NotificationProvider {
  return {
    name: 'log',
    async send(n) {
      log.info(
        { notificationId: n.id, channel: n.channel, alarmId: n.alarmId, to: `${n.to.slice(0, 3)}****${n.to.slice(-4)}` },
        'family notice',
      );
    },
  };
}

/** POST the notice as JSON to a deployment's SMS / voice gateway; any non-2xx answer is a failure. */
export function webhookProvider(url: string): NotificationProvider {
  return {
    name: 'webhook',
    async send(n) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: n.id,
          channel: n.channel,
          to: n.to,
          body: n.body,
          alarmId: n.alarmId,
          template: n.template,
          params: n.params,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
