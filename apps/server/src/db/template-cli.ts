// Part of `npm run build` (scripts/build-server.mjs): write the PGlite template for the current
// migrations into the given directory, and remove templates of older migration sets.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { templateName, writeTemplate } from './pglite-template.ts';

const dir = path.resolve(process.argv[2] ?? '.');
const name = templateName();
for (const f of readdirSync(dir)) if (/^pglite-template-.*\.tar/.test(f) && f !== name) rmSync(path.join(dir, f));
const t0 = Date.now();
await writeTemplate(path.join(dir, name), { withJobs: true });
process.stdout.write(`zhiyang: embedded database template ${name} written in ${Date.now() - t0} ms\n`);
