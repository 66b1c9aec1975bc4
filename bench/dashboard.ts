/**
 * `npm run bench -- --only=dashboard`: time-to-interactive of the execution scatter in headless
 * Debian chromium (playwright-core, /usr/bin/chromium; WebGL through SwiftShader, i.e. on the CPU)
 * at 100,000 and 1,000,000 points (BENCH_SCATTER_SIZES to change them).
 *
 * Each size is one completed execution written straight through the store (members with 2-D
 * coordinates in 12 Gaussian blobs), so the numbers measure the dashboard and the binary scatter
 * endpoint, not a clustering run. Per size it reports, from navigation start:
 *  - points fetched and decoded (the binary body through the network and the decoder)
 *  - first draw (the scatter is interactive)
 * and then the latency from a wheel zoom and from a drag pan to the next drawn frame (median of 10),
 * plus the body size on the wire.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureDashboardBuilt } from '../packages/dashboard/scripts/ensure-built.mjs';

const KEY = 'bench-key';
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SIZES = (process.env.BENCH_SCATTER_SIZES ?? '100000,1000000').split(',').map((s) => Number(s.trim()));
const CLUSTERS = 12;

function members(n: number, seed: number) {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: CLUSTERS }, () => [rand() * 40 - 20, rand() * 40 - 20] as const);
  const rows = new Array(n);
  const counts = new Array<number>(CLUSTERS).fill(0);
  for (let i = 0; i < n; i++) {
    const c = i % CLUSTERS;
    counts[c]!++;
    rows[i] = { documentId: `d${i}`, clusterId: `cl_${c}`, distanceToCentroid: 1, x: centres[c]![0] + gauss() * 1.5, y: centres[c]![1] + gauss() * 1.5 };
  }
  return { rows, counts };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runDashboardSection(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`\nDashboard benchmark skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);
    return;
  }
  ensureDashboardBuilt({ quiet: true });
  const { loadSettings } = await import('../packages/server/src/config/settings.ts');
  const { startCentroid } = await import('../packages/server/src/main.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'centroid-bench-dashboard-'));
  // The worker polls rarely: the executions written below are finished before it could claim them.
  const centroid = await startCentroid(loadSettings({}, { port: 0, apiKey: KEY, logLevel: 'silent', dataDir, pollMs: 60_000 }));
  const url = centroid.url!;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(url + path, { method, headers: { authorization: `Bearer ${KEY}`, 'x-namespace': 'bench', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${method} ${path} → ${r.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
  const results: Array<[string, string]> = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await call('POST', '/v1/namespaces', { namespace_name: 'bench' });
    await call('POST', '/v1/collections', { collection_name: 'points' });
    await fetch(url + '/v1/collections/points/documents/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'x-namespace': 'bench', 'content-type': 'application/x-ndjson' },
      body: Array.from({ length: 10 }, (_, i) => JSON.stringify({ document_id: `d${i}`, vectors: { embedding: [i, i % 3] } })).join('\n'),
    });
    for (const n of SIZES) {
      const cluster = await call('POST', '/v1/clusters', { collection_ids: ['points'], cluster_name: `scatter-${n}`, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: CLUSTERS } } });
      const runId = `run_benchscatter${n}`;
      const store = centroid.store.executions;
      await store.create({ runId, taskId: `task_benchscatter${n}`, clusterId: cluster.cluster_id, namespaceId: cluster.namespace_id, config: {}, maxAttempts: 1 });
      const claimed = await store.claimNext('bench', Date.now(), Date.now() + 3_600_000);
      if (claimed?.runId !== runId) throw new Error('the server worker claimed the benchmark execution');
      const { rows, counts } = members(n, 42);
      const t0 = performance.now();
      await store.complete(
        runId,
        'bench',
        {
          numClusters: CLUSTERS,
          numPoints: n,
          metrics: { silhouette_score: 0.8, davies_bouldin_index: 0.4, calinski_harabasz_score: 1000, silhouette_sample_size: null },
          centroids: counts.map((c, i) => ({ cluster_id: `cl_${i}`, num_members: c, label: `blob ${i}`, summary: null, keywords: null, mean_cosine_similarity: null, min_cosine_similarity: null })),
          llmLabelingErrors: null,
          details: { algorithm: 'kmeans' },
        },
        rows,
        Date.now(),
      );
      const storeSeconds = (performance.now() - t0) / 1000;

      const t1 = performance.now();
      const body = await fetch(`${url}/v1/clusters/${cluster.cluster_id}/executions/${runId}/scatter`, { headers: { authorization: `Bearer ${KEY}`, 'x-namespace': 'bench' } });
      const bytes = (await body.arrayBuffer()).byteLength;
      const streamMs = performance.now() - t1;

      const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
      await context.addInitScript(`sessionStorage.setItem('centroid.apiKey', ${JSON.stringify(KEY)}); sessionStorage.setItem('centroid.namespace', 'bench');`);
      const page = await context.newPage();
      await page.goto(`${url}/#/clusters/${cluster.cluster_id}/executions/${runId}`);
      await page.waitForFunction('window.__centroidScatter && window.__centroidScatter.firstDrawAt !== null', undefined, { timeout: 300_000, polling: 50 });
      const probe = (await page.evaluate('window.__centroidScatter')) as { fetchedAt: number; firstDrawAt: number };
      await page.locator('[data-testid="scatter-canvas"]').scrollIntoViewIfNeeded();
      const canvas = (await page.locator('[data-testid="scatter-canvas"]').boundingBox())!;
      const cx = canvas.x + canvas.width / 2;
      const cy = canvas.y + canvas.height / 2;
      await page.mouse.move(cx, cy);
      await page.waitForTimeout(300);
      const frameAfter = async (act: () => Promise<void>) => {
        const start = (await page.evaluate('performance.now()')) as number;
        await act();
        await page.waitForFunction(`(window.__centroidScatter.lastViewAt ?? 0) > ${start}`, undefined, { timeout: 60_000, polling: 'raf' });
        return ((await page.evaluate('window.__centroidScatter.lastViewAt')) as number) - start;
      };
      const zoom: number[] = [];
      const pan: number[] = [];
      for (let i = 0; i < 10; i++) {
        zoom.push(await frameAfter(() => page.mouse.wheel(0, i % 2 === 0 ? -120 : 120)));
        await page.waitForTimeout(100);
      }
      for (let i = 0; i < 10; i++) {
        pan.push(
          await frameAfter(async () => {
            await page.mouse.down();
            await page.mouse.move(cx + (i % 2 === 0 ? 40 : -40), cy, { steps: 2 });
            await page.mouse.up();
          }),
        );
        await page.waitForTimeout(100);
      }
      await context.close();
      const label = `scatter ${n.toLocaleString('en-US')} points`;
      results.push([`${label}: binary body`, `${(bytes / 1e6).toFixed(1)} MB, streamed by the server in ${streamMs.toFixed(0)} ms (store write ${storeSeconds.toFixed(1)} s, not part of the page timings)`]);
      results.push([`${label}: fetched + decoded`, `${probe.fetchedAt.toFixed(0)} ms after navigation`]);
      results.push([`${label}: first draw (interactive)`, `${probe.firstDrawAt.toFixed(0)} ms after navigation`]);
      results.push([`${label}: wheel zoom → next frame`, `median ${median(zoom).toFixed(0)} ms (max ${Math.max(...zoom).toFixed(0)})`]);
      results.push([`${label}: drag pan → next frame`, `median ${median(pan).toFixed(0)} ms (max ${Math.max(...pan).toFixed(0)})`]);
    }
  } finally {
    await browser.close();
    await centroid.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nCentroid dashboard benchmark (headless chromium, SwiftShader WebGL; node ${process.version}, ${new Date().toISOString()})\n`);
  const width = Math.max(...results.map(([k]) => k.length));
  for (const [k, v] of results) console.log(`${k.padEnd(width)}  ${v}`);
}
