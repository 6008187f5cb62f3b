import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Named prepared statements for the statements a process runs again and again (docs/decisions/0017-prepared-statements.md).
 *
 * node-postgres sends every parameterised statement unnamed: PostgreSQL parses and plans it on
 * every run. On the order path that was about half of the database's work per order (the dispatch
 * ranking alone took ~4 ms to plan and under 1 ms to run). Here a parameterised statement whose
 * text this process has run `minUses` times gets a name (a hash of its text), so each connection
 * parses it once and PostgreSQL may keep a generic plan for it (plan_cache_mode stays `auto`:
 * custom plans until a generic one costs no more).
 *
 * Bounded: at most `maxNames` names per process (every connection may hold each once), texts
 * longer than `maxLength` (bulk inserts) are never named, and statements without parameters keep
 * node-postgres's simple protocol. Off with DB_PREPARED_STATEMENTS=false, e.g. behind a pooler in
 * transaction mode that does not carry prepared statements between server connections.
 */
export interface AutoPrepareOptions {
  minUses?: number;
  maxNames?: number;
  maxLength?: number;
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown[];
}

/**
 * Which statement texts get a name: a text run `minUses` times, at most `maxNames` of them, none
 * longer than `maxLength`. The name is a hash of the text, the same in every process.
 */
export function statementNamer(opts: AutoPrepareOptions = {}) {
  const minUses = opts.minUses ?? 2;
  const maxNames = opts.maxNames ?? 300;
  const maxLength = opts.maxLength ?? 8000;
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  return {
    nameFor(text: string): string | undefined {
      const named = names.get(text);
      if (named) return named;
      if (names.size >= maxNames || text.length > maxLength) return undefined;
      const uses = (seen.get(text) ?? 0) + 1;
      if (uses < minUses) {
        // Counting is bounded too: a process that runs many one-off texts stops counting new ones.
        if (seen.size < maxNames * 20) seen.set(text, uses);
        return undefined;
      }
      seen.delete(text);
      const name = `zy_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
      return name;
    },
    /** The statement is gone from the database: count its runs again. */
    forget(text: string) {
      names.delete(text);
    },
  };
}

export function autoPrepare(pool: pg.Pool, opts: AutoPrepareOptions = {}) {
  const { nameFor } = statementNamer(opts);

  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
      if (typeof config === 'string' && Array.isArray(rest[0]) && rest[0].length) {
        const name = nameFor(config);
        if (name) return query({ text: config, name }, ...rest);
      } else if (config && typeof config === 'object' && !('submit' in config)) {
        const c = config as QueryConfigLike;
        const values = Array.isArray(rest[0]) ? rest[0] : c.values;
        if (typeof c.text === 'string' && c.name === undefined && values?.length) {
          const name = nameFor(c.text);
          if (name) return query({ ...c, name }, ...rest);
        }
      }
      return query(config, ...rest);
    };
  });
}
