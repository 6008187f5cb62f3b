import { ensureWebBuild } from './support.ts';

/**
 * Build the web app once before the browser tests start: they run several files at a time, and
 * each file's own ensureWebBuild() then finds the build fresh instead of racing to rebuild it.
 */
export default function setup(): void {
  ensureWebBuild();
}
