import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
/** The typed clients (api/), the one transport and the WebSocket are where API paths may be written. */
const ALLOWED = new Set(['app/api.ts', 'app/realtime.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'api' && dir === SRC ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) && !name.includes('.test.') ? [full] : [];
  });
}

describe('web pages call the API through the typed clients', () => {
  it('no page writes an /api/v1 path or calls the transport with a hand-written URL', () => {
    const offenders = sources(SRC)
      .map((file) => path.relative(SRC, file))
      .filter((rel) => !ALLOWED.has(rel))
      .filter((rel) => {
        const text = readFileSync(path.join(SRC, rel), 'utf8');
        return /['"`]\/api\/v1/.test(text) || /\brequest(<[^>]*>)?\(\s*['"`](GET|POST|PUT|PATCH|DELETE)/.test(text);
      });
    expect(offenders).toEqual([]);
  });
});
