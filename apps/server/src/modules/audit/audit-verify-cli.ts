import { loadConfig } from '../../config.ts';
import { databaseOptions, openDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { verifyAuditChain } from './audit.chain.ts';

const REASONS = {
  prev_hash: 'link to the previous entry does not match',
  hash: 'row content or position was changed',
  missing: 'a sealed row or a chain entry is missing (deleted)',
  unexpected: 'a row stands where the chain has none',
};

/**
 * `npm run audit:verify`: walk the audit hash chain; exit 1 at the first broken link, or when
 * rows older than the sealing delay are still unsealed (no worker process is sealing).
 */
const config = loadConfig();
const database = await openDatabase(databaseOptions(config));
await migrate(database);
const result = await verifyAuditChain(database.db);
await database.close();
const { unsealed } = result;
const tail = unsealed.count
  ? `; ${unsealed.count} newer rows not sealed yet${unsealed.stale ? `, ${unsealed.stale} of them older than ${unsealed.delayMs / 1000} s (is a worker process running?)` : ''}`
  : '';
if (result.brokenAt) {
  console.error(
    `audit trail BROKEN at id ${result.brokenAt.id} (${REASONS[result.brokenAt.reason]}); ${result.checked} entries before it are intact`,
  );
  process.exit(1);
}
if (!result.ok) {
  console.error(`audit trail intact through id ${result.sealedThrough} (${result.checked} entries)${tail}`);
  process.exit(1);
}
console.log(`audit trail intact: ${result.checked} entries checked through id ${result.sealedThrough}${tail}`);
