/**
 * `npm run bench`, five sections (all by default; pick with --only=api,engine,… or BENCH_ONLY):
 *
 * api: measures the HTTP API on this machine with data it generates itself (fixed seeds).
 *  - bulk import throughput (vectors/s, MB/s) through POST …/documents/import (NDJSON and JSON array)
 *  - latency of GET latest execution and POST executions/list with 10,000 executions in history
 *  Sizes: BENCH_IMPORT_ROWS (default 20000), BENCH_DIMS (768), BENCH_HISTORY (10000).
 *
 * engine: the clustering engine against scikit-learn, faiss, umap-learn and R's dbscan on generated data
 *  (bench/engine/, bench/references/, bench/README.md); `npm run bench -- --help` lists its flags.
 *
 * labeling: c-TF-IDF keywords + fallback labels and LLM labeling (loopback fake) of 100,000 documents (bench/labeling.ts).
 *
 * queue: executions/minute with 1, 2 and 4 worker processes on PostgreSQL (and the embedded store), with API
 *  latency under that load (bench/queue.ts); reported as skipped when PostgreSQL is unreachable.
 *
 * dashboard: time-to-interactive of the execution scatter at 100,000 and 1,000,000 points in headless chromium (bench/dashboard.ts).
 *
 * Example: npm run bench -- --only=engine --task=kmeans-768
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_FLAGS, ENGINE_USAGE, runEngineSection } from './engine/section.ts';
import type { CliFlags } from './engine/section.ts';
import { runLabelingSection } from './labeling.ts';
import { runQueueSection } from './queue.ts';
import { runDashboardSection } from './dashboard.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 768);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 10_000);
const KEY = 'bench-key';

function body(rows: number, dims: number, format: 'ndjson' | 'json', seed: number): Buffer {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const v = new Array<string>(dims);
    for (let j = 0; j < dims; j++) v[j] = rand().toFixed(6);
    lines.push(`{"document_id":"d${i}","metadata":{"i":${i}},"vectors":{"embedding":[${v.join(',')}]}}`);
  }
  return Buffer.from(format === 'ndjson' ? lines.join('\n') : `[${lines.join(',')}]`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runApiSection(): Promise<void> {
  // Loaded here so that the engine section runs without the server's dependencies.
  const { loadSettings } = await import('../packages/server/src/config/settings.ts');
  const { startCentroid } = await import('../packages/server/src/main.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'centroid-bench-'));
  const settings = loadSettings({}, { port: 0, apiKey: KEY, logLevel: 'silent', dataDir });
  const centroid = await startCentroid(settings);
  const url = centroid.url!;
  const call = async (method: string, path: string, payload?: string | Buffer, type = 'application/json') => {
    const r = await fetch(url + path, { method, headers: { authorization: `Bearer ${KEY}`, 'x-namespace': 'bench', 'content-type': type }, body: payload });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${method} ${path} → ${r.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };

  const results: Array<[string, string]> = [];
  try {
    await fetch(url + '/v1/namespaces', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ namespace_name: 'bench' }) });
    for (const format of ['ndjson', 'json'] as const) {
      const name = `import_${format}`;
      await call('POST', '/v1/collections', JSON.stringify({ collection_name: name }));
      const payload = body(ROWS, DIMS, format, 42);
      const t0 = performance.now();
      const out = await call('POST', `/v1/collections/${name}/documents/import`, payload, format === 'ndjson' ? 'application/x-ndjson' : 'application/json');
      const seconds = (performance.now() - t0) / 1000;
      results.push([`import ${ROWS}×${DIMS} (${format}, ${(payload.length / 1e6).toFixed(0)} MB)`, `${seconds.toFixed(2)} s = ${Math.round(out.imported / seconds)} vectors/s, ${(payload.length / 1e6 / seconds).toFixed(0)} MB/s`]);
    }

    const cluster = await call('POST', '/v1/clusters', JSON.stringify({ collection_ids: ['import_ndjson'], cluster_name: 'history', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 8, n_init: 1 } } }));
    // One real execution, then a history of HISTORY synthetic ones written straight through the store.
    const task = await call('POST', `/v1/clusters/${cluster.cluster_id}/execute`);
    const t0 = performance.now();
    for (;;) {
      const latest = await call('GET', `/v1/clusters/${cluster.cluster_id}/executions`);
      if (latest.status === 'completed' || latest.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    results.push([`execute k-means k=8 n_init=1 on ${ROWS}×${DIMS} (queue → completed)`, `${((performance.now() - t0) / 1000).toFixed(2)} s (${task.additional_data.run_id})`]);

    const store = centroid.store;
    for (let i = 0; i < HISTORY; i++) {
      const runId = `run_bench${i}`;
      await store.executions.create({ runId, taskId: `task_bench${i}`, clusterId: cluster.cluster_id, namespaceId: cluster.namespace_id, config: {}, maxAttempts: 1 });
      const claimed = await store.executions.claimNext('bench', Date.now(), Date.now() + 60_000);
      if (i % 10 === 0) await store.executions.fail(claimed!.runId, 'bench', `synthetic failure ${i}`, false, Date.now());
      else await store.executions.complete(claimed!.runId, 'bench', { numClusters: 2 + (i % 20), numPoints: 1000 + i, metrics: { silhouette_score: (i % 100) / 100, davies_bouldin_index: 1, calinski_harabasz_score: 100, silhouette_sample_size: null }, centroids: [{ cluster_id: 'cl_0', num_members: 1, label: `topic ${i % 50}`, summary: null, keywords: null, mean_cosine_similarity: 1, min_cosine_similarity: 1 }], llmLabelingErrors: null, details: { algorithm: 'kmeans' } }, [], Date.now());
    }
    const queries: Array<[string, string, string | undefined]> = [
      ['GET latest', 'GET', undefined],
      ['POST list (default page)', 'POST', '{}'],
      ['POST list filter status+silhouette, sort by silhouette', 'POST', JSON.stringify({ filters: { AND: [{ field: 'status', operator: 'eq', value: 'completed' }, { field: 'metrics.silhouette_score', operator: 'gte', value: 0.5 }] }, sort: { field: 'metrics.silhouette_score', direction: 'desc' } })],
      ['POST list search "topic 7"', 'POST', JSON.stringify({ search: 'topic 7' })],
      ['POST list page 400 (offset 3990)', 'POST', '{}'],
    ];
    for (const [label, method, payload] of queries) {
      const path = method === 'GET' ? `/v1/clusters/${cluster.cluster_id}/executions` : `/v1/clusters/${cluster.cluster_id}/executions/list${label.includes('page 400') ? '?page=400' : ''}`;
      for (let i = 0; i < 20; i++) await call(method, path, payload); // warm-up
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await call(method, path, payload);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      results.push([`${label}, ${HISTORY + 1} executions`, `p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`]);
    }
  } finally {
    await centroid.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\nCentroid API benchmark (node ${process.version}, ${new Date().toISOString()})\n`);
  const width = Math.max(...results.map(([k]) => k.length));
  for (const [k, v] of results) console.log(`${k.padEnd(width)}  ${v}`);
}

const KNOWN_FLAGS = new Set(['help', 'only', ...ENGINE_FLAGS]);

function parseFlags(argv: string[]): CliFlags {
  const flags: CliFlags = new Map();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null || !KNOWN_FLAGS.has(match[1])) throw new Error(`unexpected argument '${arg}' (try --help)`);
    flags.set(match[1], match[2] ?? '');
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
if (flags.has('help')) {
  console.log(`npm run bench -- [--only=api|queue|engine|labeling|dashboard] [engine flags]\n\n${ENGINE_USAGE}`);
} else if (flags.has('list')) {
  await runEngineSection(flags, '');
} else {
  const sections = (flags.get('only') ?? process.env.BENCH_ONLY ?? 'api,queue,engine,labeling,dashboard').split(',').map((s) => s.trim());
  for (const section of sections) {
    if (section !== 'api' && section !== 'engine' && section !== 'labeling' && section !== 'queue' && section !== 'dashboard') throw new Error(`--only takes api, queue, engine, labeling, dashboard or a comma list, got '${section}'`);
  }
  if (sections.includes('api')) await runApiSection();
  if (sections.includes('queue')) await runQueueSection();
  if (sections.includes('engine')) await runEngineSection(flags, `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim());
  if (sections.includes('labeling')) await runLabelingSection();
  if (sections.includes('dashboard')) await runDashboardSection();
}
