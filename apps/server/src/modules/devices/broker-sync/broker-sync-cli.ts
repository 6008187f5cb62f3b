import { loadConfig } from '../../../config.ts';
import { databaseOptions, openDatabase } from '../../../db/client.ts';
import { migrate } from '../../../db/migrate.ts';
import { closeDynsec, syncAllDevices } from './broker-sync.service.ts';

/**
 * `npm run devices:broker-sync`: write the gateway role (and client) and every device into
 * Mosquitto's dynamic-security plugin — after turning the sync on, restoring the broker, or an
 * outage longer than the jobs' retries. Exit 1 when a device could not be written.
 */
const config = loadConfig();
const database = await openDatabase(databaseOptions(config));
await migrate(database);
const started = Date.now();
try {
  const result = await syncAllDevices({ config, db: database.db }, (n) => {
    if (n % 1000 === 0) console.log(`${n} devices …`);
  });
  console.log(`broker in sync: ${result.synced} devices written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const f of result.failed.slice(0, 20)) console.error(`  ${f.deviceId}: ${f.reason}`);
  if (result.failed.length) {
    console.error(`${result.failed.length} devices could not be written`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`broker sync failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDynsec({ config });
  await database.close();
}
