import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from './client.ts';
import { migrate } from './migrate.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
const applied = await migrate(database);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
await database.close();
