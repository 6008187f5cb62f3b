import { config } from 'zod';

// In a browser, zod 4 would compile object parsers with `new Function`, probing for it as the
// first object schema is built. The pages' Content-Security-Policy allows no eval, so the probe
// is reported as a CSP violation on every page: parse without generated code there (same
// results). The server keeps the faster compiled parsers. index.ts imports this module first.
// `document` is looked up on globalThis: this package is type-checked without the DOM library.
if (typeof (globalThis as { document?: unknown }).document !== 'undefined') config({ jitless: true });
