// Builds the dashboard when dist/ is missing or older than its sources. Runs on `npm ci`
// (postinstall), on `npm start` (prestart) and before the browser tests, so a fresh clone needs
// no extra step. A failed build never blocks install or start: the server then serves a page
// at `/` saying how to build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST_INDEX = join(DASHBOARD_DIR, 'dist', 'index.html');
const INPUTS = ['src', 'index.html', 'vite.config.mjs', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/ is missing or any source is newer than the last build. */
export function dashboardIsStale() {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(DASHBOARD_DIR, input)) > built);
}

/** Builds if stale; returns 'fresh' | 'built' and throws when the build fails. */
export function ensureDashboardBuilt({ quiet = false } = {}) {
  if (!dashboardIsStale()) return 'fresh';
  const require = createRequire(join(DASHBOARD_DIR, 'package.json'));
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  if (!quiet) console.log('[dashboard] building packages/dashboard (vite build)…');
  const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', quiet ? 'error' : 'warn'], { cwd: DASHBOARD_DIR, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dashboard build failed (exit ${result.status}): ${result.stderr ?? ''}${result.stdout ?? ''}`.trim());
  return 'built';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const outcome = ensureDashboardBuilt();
    if (outcome === 'fresh') console.log('[dashboard] dist/ is up to date');
  } catch (error) {
    // Never fail install or start over the dashboard: the API works without it.
    console.warn(`[dashboard] ${error.message}\n[dashboard] the API still works; build later with: npm run build -w @centroid/dashboard`);
  }
}
