import pino, { type Logger } from 'pino';

/** 15–18 character ID numbers (GB 11643) and 11-digit mobile numbers inside free text. */
const ID_NUMBER = /\b\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx]\b|\b\d{15}\b/g;
const MOBILE = /\b1[3-9]\d{9}\b/g;
const TOKEN_PARAM = /([?&](?:token|password|secret)=)[^&]*/gi;

/** Remove what must never be in a log line: tokens in query strings, ID numbers, phone numbers. */
export function scrubText(s: string): string {
  return s.replace(TOKEN_PARAM, '$1[redacted]').replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

/**
 * pino with the secrets redacted: authorization and cookie headers, set-cookie, anything named
 * password/token/secret, and the URL scrubbed of tokens, ID numbers and phone numbers.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.newPassword',
          '*.currentPassword',
          '*.token',
          '*.secret',
          '*.idNumber',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: scrubText(req.url), ip: req.ip }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error) => {
          // Query errors carry their parameters (personal data): keep the SQL, drop the values.
          const { params: _params, ...s } = pino.stdSerializers.err(err) as ReturnType<typeof pino.stdSerializers.err> & {
            params?: unknown;
          };
          const clean = (t?: string) => (t ? scrubText(t.replace(/\nparams: [^\n]*/g, '\nparams: [redacted]')) : undefined);
          return { ...s, message: clean(s.message) ?? '', stack: clean(s.stack) };
        },
      },
    },
    destination,
  );
}
