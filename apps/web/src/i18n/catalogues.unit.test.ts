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
});
