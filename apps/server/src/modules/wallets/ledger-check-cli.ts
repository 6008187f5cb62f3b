// `npm run ledger:check`: prove the points/credit ledger on the configured database.
import { loadConfig } from '../../config.ts';
import { databaseOptions, openDatabase } from '../../db/client.ts';
import { checkLedger } from './ledger.repo.ts';

const config = loadConfig();
const database = await openDatabase(databaseOptions(config));
const r = await checkLedger(database.db);
await database.close();
process.stdout.write(
  `${r.ok ? 'ledger OK' : 'LEDGER BROKEN'}: ${r.transactions} transactions, ${r.entries} entries, ${r.accounts} accounts; ` +
    `unbalanced ${r.unbalanced.length}, mismatched balances ${r.mismatched.length}, negative ${r.negative.length}, totals ${JSON.stringify(r.totals)}\n`,
);
process.exit(r.ok ? 0 : 1);
