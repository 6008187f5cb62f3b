import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as shared from '@zhiyang/shared';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS } from './labels.ts';

/** Every audit action a route of the shared contracts declares (route().audit). */
function contractAuditActions(): string[] {
  const out = new Set<string>();
  for (const value of Object.values(shared)) {
    if (!value || typeof value !== 'object') continue;
    for (const r of Object.values(value as Record<string, unknown>)) {
      const spec = r as { method?: unknown; path?: unknown; audit?: unknown };
      if (spec && typeof spec === 'object' && typeof spec.method === 'string' && typeof spec.path === 'string') {
        if (typeof spec.audit === 'string') out.add(spec.audit);
      }
    }
  }
  return [...out].sort();
}

/** The server's own recordAudit calls with a literal action or object type (reads of personal data, jobs). */
function serverLiterals(pattern: RegExp): string[] {
  const root = join(import.meta.dirname, '../../../../server/src/modules');
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(pattern)) out.add(m[1]);
      }
    }
  };
  walk(root);
  return [...out].sort();
}

describe('audit log names', () => {
  it('has a Chinese and an English name for every audit action the contracts declare', () => {
    const actions = contractAuditActions();
    expect(actions.length).toBeGreaterThan(50);
    expect(actions.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
  });
  it('has names for the actions and object types the server records itself', () => {
    expect(serverLiterals(/action: *'([a-z][a-z-]*\.[a-z.-]+)'/g).filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
    expect(serverLiterals(/targetType: *'([a-z_]+)'/g).filter((a) => !AUDIT_TARGET_LABELS[a])).toEqual([]);
  });
  it('names are Chinese in zh and free of codes in en', () => {
    for (const l of [...Object.values(AUDIT_ACTION_LABELS), ...Object.values(AUDIT_TARGET_LABELS)]) {
      expect(l.zh).toMatch(/^[^A-Za-z]+$/);
      expect(l.en).not.toMatch(/[._]/);
    }
  });
});
