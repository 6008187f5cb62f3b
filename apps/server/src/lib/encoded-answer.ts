import type { Route } from '@zhiyang/shared';
import { z } from 'zod';

/**
 * An answer already presented by its route's response schema and encoded to JSON bytes, for a
 * service that keeps answers (the region list and tree, served from memory). `registerRoute`
 * sends the bytes as they are: the response schema's allow-list and encoding have been applied
 * here, once, exactly as the route's serializer would (fastify-type-provider-zod: `z.safeEncode`
 * then `JSON.stringify`), and sending bytes spares the per-request encoding of the JSON text to
 * UTF-8, which for Chinese names costs more than building the answer.
 */
export class EncodedAnswer {
  constructor(readonly bytes: Buffer) {}
}

export function encodeAnswer<R extends Route>(entry: R, answer: z.input<R['responseSchema']>): EncodedAnswer {
  const result = z.safeEncode(entry.responseSchema, answer);
  // A service's answer that does not fit its own schema is a bug (a 500), never the client's fault.
  if (result.error)
    throw new Error(`${entry.method} ${entry.path}: the answer does not match the response schema`, { cause: result.error });
  return new EncodedAnswer(Buffer.from(JSON.stringify(result.data)));
}
