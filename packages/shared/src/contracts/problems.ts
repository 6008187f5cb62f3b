/**
 * Every `code` a problem+json answer can carry. A client tells failures apart by this code (the
 * console shows its own text for each, zh-CN and en-US); `detail` is English for API users and
 * may change. Add a code here — with its texts in the web's i18n `problems.*` — rather than a
 * string at a throw site. Documented in docs/api-conventions.md (Errors).
 */
export const PROBLEM_CODES = [
  // Generic, by status
  'bad-request',
  'validation',
  'invalid-json',
  'unauthorized',
  'forbidden',
  'not-found',
  'no-route',
  'method-not-allowed',
  'not-acceptable',
  'conflict',
  'unprocessable',
  'too-large',
  'unsupported-media-type',
  'rate-limited',
  'client-error',
  'internal',
  // Access and session
  'password-change-required',
  'cross-site-request',
  'bad-signature',
  'phone-code-wrong',
  'phone-code-expired',
  'phone-code-rate-limited',
  'sms-not-configured',
  // Uploads and imports
  'upload-timeout',
  'import-running',
  'import-capacity',
  // Requests
  'idempotency-key-reused',
  // Specific conflicts a user needs to tell apart
  'closed-period',
  'period-open',
  'wallet-frozen',
  'insufficient-balance',
  'payment-not-covered',
  'already-handled',
  'changed-meanwhile',
  'invalid-state',
  'slot-full',
  'duplicate',
  'certificate-expired',
  'check-in-reason-required',
  'provider-unavailable',
  'credit-blocked',
  'not-offered',
  'no-open-offer',
  'renewal-not-due',
  // Survival verification (生存认证)
  'challenge-expired',
  'face-not-enrolled',
  'tries-exhausted',
  // Maps
  'invalid-geometry',
  'geocoder-unavailable',
  'geocoder-failed',
  // Call recordings
  'recording-missing',
  'recording-elsewhere',
  'recording-unreadable',
  // Institutions: the bed chosen for an admission or a move is no longer free
  'bed-taken',
  // Patrols: a code that is not a checkpoint of the run's route; a run not open yet or closed
  'wrong-checkpoint',
  'run-not-open',
  'run-closed',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const isProblemCode = (code: unknown): code is ProblemCode =>
  typeof code === 'string' && (PROBLEM_CODES as readonly string[]).includes(code);
