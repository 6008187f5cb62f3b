import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { enUS } from './en-US.ts';
import { zhCN } from './zh-CN.ts';

/** Every leaf key of a catalogue as a dotted path (`safety.status.raised`). */
function keysOf(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** Every `{{name}}` a text interpolates. */
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function leaf(messages: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], messages);
}

describe('i18n catalogues', () => {
  const zh = keysOf(zhCN);
  const en = keysOf(enUS);

  it('zh-CN and en-US have the same keys', () => {
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('every text is non-empty and a translation fills the same placeholders as the zh-CN text', () => {
    for (const key of zh) {
      const zhText = leaf(zhCN, key);
      const enText = leaf(enUS, key);
      expect(typeof zhText === 'string' && zhText.length > 0, `zh-CN ${key}`).toBe(true);
      expect(typeof enText === 'string' && enText.length > 0, `en-US ${key}`).toBe(true);
      expect(placeholders(enText as string), key).toEqual(placeholders(zhText as string));
    }
  });

  it('the Chinese catalogue, part of every first screen, imports no English texts', () => {
    // Every file zh-CN.ts reaches through relative imports: none may define or import en-US texts
    // (they load on demand, with i18n/en-US.ts).
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      if (/export const \w+EnUS\b|from '[^']*\.en\.ts'|en-US\.ts'/.test(source))
        offending.push(path.relative(path.dirname(path.dirname(file)), file));
      for (const [, rel] of source.matchAll(/from '(\.{1,2}\/[^']+\.ts)'/g)) visit(path.resolve(path.dirname(file), rel));
    };
    visit(fileURLToPath(new URL('./zh-CN.ts', import.meta.url)));
    expect(seen.size).toBeGreaterThan(30);
    expect(offending).toEqual([]);
  });
});
