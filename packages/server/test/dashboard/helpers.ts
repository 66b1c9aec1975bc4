/**
 * Shared pieces of the dashboard's browser tests: a built dashboard, Debian's chromium driven by
 * playwright-core, screenshots under test-artifacts/dashboard/, and executions written straight
 * through the store (a history of known shape without running hundreds of clusterings).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../../dashboard/scripts/ensure-built.mjs';
import type { TestServer } from '../helpers/test-server.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, '../../../../test-artifacts/dashboard');

/**
 * Flags for headless Debian chromium. With --disable-gpu, WebGL still works through ANGLE on
 * SwiftShader (checked on chromium 156: no --use-angle/--enable-unsafe-swiftshader needed).
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Builds the dashboard if needed and launches chromium; a missing browser fails the test (never skips). */
export async function launchBrowser(): Promise<Browser> {
  ensureDashboardBuilt({ quiet: true });
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this in CI`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  (page as Page & { problems?: string[] }).problems = problems;
  return page;
}

/** Uncaught errors the page raised so far (asserted empty at the end of each test). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, server: TestServer, key: string): Promise<void> {
  await page.goto(server.url + '/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Writes `completed` + `failed` finished executions for a cluster straight through the store.
 * The test server must poll rarely (pollMs 60 s) so its worker does not claim them first.
 */
export async function seedHistory(server: TestServer, cluster: { cluster_id: string; namespace_id: string }, completed: number, failed: number): Promise<string[]> {
  const store = server.centroid.store;
  const runIds: string[] = [];
  for (let i = 0; i < completed + failed; i++) {
    const runId = `run_seed${cluster.cluster_id.slice(-4)}${String(i).padStart(3, '0')}`;
    await store.executions.create({ runId, taskId: `task_seed${runId.slice(4)}`, clusterId: cluster.cluster_id, namespaceId: cluster.namespace_id, config: {}, maxAttempts: 1 });
    const claimed = await store.executions.claimNext('seed', Date.now(), Date.now() + 60_000);
    if (claimed?.runId !== runId) throw new Error(`the server's worker claimed ${runId} first; start the test server with pollMs: 60000`);
    if (i >= completed) {
      await store.executions.fail(runId, 'seed', `synthetic failure number ${i} (case-${i})`, false, Date.now() + 5);
    } else {
      await store.executions.complete(
        runId,
        'seed',
        {
          numClusters: 2 + (i % 5),
          numPoints: 100 + i,
          metrics: { silhouette_score: 0.3 + (i % 7) / 10, davies_bouldin_index: 0.5 + (i % 3) / 2, calinski_harabasz_score: 100 + i * 10, silhouette_sample_size: null },
          centroids: [{ cluster_id: 'cl_0', num_members: 100 + i, label: `topic ${i}`, summary: null, keywords: null, mean_cosine_similarity: 0.9, min_cosine_similarity: 0.5 }],
          llmLabelingErrors: null,
          details: { algorithm: 'kmeans' },
        },
        [],
        Date.now() + 20,
      );
    }
    runIds.push(runId);
  }
  return runIds;
}

/** Distinct colours, non-background and saturated pixel counts of a canvas, read in the page. */
export async function canvasColours(page: Page, selector: string): Promise<{ distinct: number; painted: number; vivid: number; firstPainted: { x: number; y: number } | null }> {
  return page.evaluate(`(() => {
    const source = document.querySelector(${JSON.stringify(selector)});
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(source, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    const colours = new Set();
    let painted = 0;
    let vivid = 0;
    let firstPainted = null;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
      if (a === 0 || (r > 245 && g > 245 && b > 245)) continue;
      painted++;
      // Saturated pixels: drawn at full opacity (faded points blend into the white background).
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) vivid++;
      // Quantise so antialiased edges do not count as new colours.
      colours.add((r >> 5) + ',' + (g >> 5) + ',' + (b >> 5));
      if (firstPainted === null) {
        const p = i / 4;
        firstPainted = { x: (p % copy.width) * source.clientWidth / copy.width, y: Math.floor(p / copy.width) * source.clientHeight / copy.height };
      }
    }
    return { distinct: colours.size, painted, vivid, firstPainted };
  })()`);
}
