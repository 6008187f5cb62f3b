// `npm run db:new -- add_widgets`: create the next numbered, empty SQL migration.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/server/src/db/migrations');
const name = (process.argv[2] ?? '')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) {
  console.error('usage: npm run db:new -- <name>   (e.g. add_meal_orders)');
  process.exit(1);
}
const numbers = readdirSync(dir)
  .map((f) => Number.parseInt(f, 10))
  .filter(Number.isFinite);
const next = String(Math.max(0, ...numbers) + 1).padStart(4, '0');
const file = path.join(dir, `${next}_${name}.sql`);
writeFileSync(
  file,
  `-- ${name.replace(/_/g, ' ')}\n-- Plain SQL, applied once in file-name order; never edit a migration after it lands.\n\n`,
);
console.log(path.relative(process.cwd(), file));
