import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { verifyAuditChain } from './audit.service.ts';

/** `npm run audit:verify`: walk the audit hash chain; exit 1 at the first broken link. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
await migrate(database);
const result = await verifyAuditChain(database.db);
await database.close();
if (result.ok) {
  console.log(`audit trail intact: ${result.checked} rows checked`);
} else {
  console.error(
    `audit trail BROKEN at row ${result.brokenAt?.id} (${result.brokenAt?.reason === 'prev_hash' ? 'link to the previous row does not match' : 'row content was changed'}); ${result.checked} rows before it are intact`,
  );
  process.exit(1);
}
