// `npm run dev`: the server with reload (tsx watch) and the Vite dev server with hot reload.
import { spawn } from 'node:child_process';
import { ensureModernNode } from './node-guard.mjs';

ensureModernNode();
const children = [
  spawn('npx', ['tsx', 'watch', 'apps/server/src/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, SEED_DEMO: process.env.SEED_DEMO ?? 'true' },
  }),
  spawn('npx', ['vite', '--config', 'apps/web/vite.config.ts', 'apps/web'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
