import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import type { FieldCipher } from './crypto.ts';
import type { EventBus } from './events.ts';

/** What services need from the running platform. Built once in app.ts; tests build the same. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  events: EventBus;
  cipher: FieldCipher;
  /** pg-boss, present once the job system has started (all roles can enqueue). */
  boss: PgBoss | null;
  log: Logger;
}
