import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Modules depend on each other one way: a cycle (orders -> wallets -> orders) means neither can
// be read, tested or changed alone. Imports of another module's Drizzle tables (*.schema.ts) and
// type-only imports do not count: the tables are the one shared schema (db/schema.ts) and types
// load nothing. Infrastructure (lib/, db/, jobs/) is outside this check.

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** The unit a file belongs to: modules/<name> or gateway; null for infrastructure. */
function unitOf(file: string): string | null {
  const [top, name] = path.relative(src, file).split(path.sep);
  if (top === 'modules' && name && !name.endsWith('.ts')) return `modules/${name}`;
  if (top === 'gateway') return 'gateway';
  return null;
}

function moduleGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of [...sourceFiles(path.join(src, 'modules')), ...sourceFiles(path.join(src, 'gateway'))]) {
    const from = unitOf(file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      if (m[1] || m[2].endsWith('.schema.ts')) continue;
      const to = unitOf(path.resolve(path.dirname(file), m[2]));
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)?.set(to, path.relative(src, file));
    }
  }
  return graph;
}

describe('module dependencies', () => {
  it('have no cycles', () => {
    const graph = moduleGraph();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      for (const next of graph.get(node)?.keys() ?? []) {
        const at = trail.indexOf(next);
        if (at >= 0) cycles.push([...trail.slice(at), next].join(' -> '));
        else if (trail.length < 12) visit(next, [...trail, next]);
      }
    };
    for (const node of graph.keys()) visit(node, [node]);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
