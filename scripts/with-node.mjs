// Run a tool (vitest, tsx …) under Node >= 22.12, switching to Node 24 when the machine's is older.
import { spawnSync } from 'node:child_process';
import { ensureModernNode } from './node-guard.mjs';

ensureModernNode();
const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync('npx', ['--no-install', cmd, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
