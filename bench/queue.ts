/**
 * `npm run bench -- --only=queue`: how many executions a minute the queue sustains with 1, 2 and 4
 * worker processes sharing one PostgreSQL database, and what API latency looks like meanwhile.
 * The embedded SQLite store runs the same load in one process (its in-process workers) for comparison.
 *
 * Each run: one API process (`centroid serve --no-workers`, or `serve` with workers on SQLite),
 * W `centroid worker` processes (one execution and one compute thread each), BENCH_QUEUE_CLUSTERS
 * clusters over one collection of BENCH_QUEUE_POINTS × BENCH_QUEUE_DIMS vectors (k-means, k=8). Every
 * cluster is re-executed as soon as its previous execution is seen finished (BENCH_QUEUE_POLL_MS), for BENCH_QUEUE_SECONDS; a
 * client meanwhile times GET latest execution and POST executions/list against the API.
 *
 * PostgreSQL: BENCH_DATABASE_URL, else CENTROID_TEST_DATABASE_URL, else postgres://root@127.0.0.1:5432/test;
 * every run gets a schema of its own, dropped afterwards. Unreachable: the PostgreSQL runs are reported as skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const CLI = new URL('../packages/server/src/cli/main.ts', import.meta.url).pathname;
const KEY = 'bench-queue-key';
const SECONDS = Number(process.env.BENCH_QUEUE_SECONDS ?? 30);
const CLUSTERS = Number(process.env.BENCH_QUEUE_CLUSTERS ?? 12);
const POINTS = Number(process.env.BENCH_QUEUE_POINTS ?? 2000);
const DIMS = Number(process.env.BENCH_QUEUE_DIMS ?? 32);
/** How often each cluster's driver asks whether its execution ended (this polling is part of the API load). */
const DRIVER_POLL_MS = Number(process.env.BENCH_QUEUE_POLL_MS ?? 250);
const WORKER_COUNTS = (process.env.BENCH_QUEUE_WORKERS ?? '1,2,4').split(',').map(Number);

interface Outcome {
  label: string;
  workers: number;
  completed: number;
  failed: number;
  perMinute: number;
  latest: number[];
  list: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function start(command: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text = (text + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (text = (text + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => text };
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function vectors(seed: number): number[][] {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const centres = Array.from({ length: 8 }, () => Array.from({ length: DIMS }, () => rand() * 20 - 10));
  return Array.from({ length: POINTS }, (_, i) => centres[i % 8]!.map((x) => x + (rand() - 0.5) * 4));
}

/** One measured run: `workers` worker processes (PostgreSQL) or in-process workers (SQLite). */
async function measure(label: string, workers: number, env: Record<string, string>, multiProcess: boolean): Promise<Outcome> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const base = { PORT: String(port), CENTROID_API_KEY: KEY, CENTROID_LOG_LEVEL: 'warn', CENTROID_POLL_MS: '100', CENTROID_HEARTBEAT_MS: '1000', CENTROID_LEASE_MS: '10000', ...env };
  const processes: Array<ReturnType<typeof start>> = [];
  const url = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(url + path, { method, headers: { authorization: `Bearer ${KEY}`, 'x-namespace': 'bench', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${method} ${path} → ${r.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
  try {
    processes.push(
      start(
        multiProcess ? ['serve', '--no-workers'] : ['serve'],
        multiProcess ? base : { ...base, CENTROID_EXECUTION_CONCURRENCY: String(workers), CENTROID_COMPUTE_THREADS: String(workers) },
      ),
    );
    await waitUntil(async () => (await fetch(url + '/health')).status === 200, 60_000, 'the API process');
    await fetch(url + '/v1/namespaces', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ namespace_name: 'bench' }) });
    await call('POST', '/v1/collections', { collection_name: 'docs' });
    await call('POST', '/v1/collections/docs/documents/import', vectors(7).map((v, i) => ({ document_id: `d${i}`, vectors: { embedding: v } })));
    const clusterIds: string[] = [];
    for (let i = 0; i < CLUSTERS; i++) {
      const c = await call('POST', '/v1/clusters', { collection_ids: ['docs'], cluster_name: `c${i}`, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 8, n_init: 1, random_state: i } } });
      clusterIds.push(c.cluster_id);
    }
    if (multiProcess) {
      for (let w = 0; w < workers; w++) processes.push(start(['worker'], { ...base, CENTROID_EXECUTION_CONCURRENCY: '1', CENTROID_COMPUTE_THREADS: '1' }));
      await waitUntil(async () => processes.slice(1).every((p) => p.output().includes('Centroid worker')), 60_000, 'the worker processes');
    }

    let completed = 0;
    let failed = 0;
    let measuring = false;
    let stop = false;
    // Every cluster is kept busy: execute, wait for the end, execute again.
    const drivers = clusterIds.map(async (clusterId) => {
      while (!stop) {
        const task = await call('POST', `/v1/clusters/${clusterId}/execute`);
        const runId = task.additional_data.run_id;
        for (;;) {
          await new Promise((r) => setTimeout(r, DRIVER_POLL_MS));
          const e = await call('GET', `/v1/clusters/${clusterId}/executions/${runId}`);
          if (e.status === 'completed' || e.status === 'failed') {
            if (measuring) {
              if (e.status === 'completed') completed++;
              else failed++;
            }
            break;
          }
        }
      }
    });
    const latest: number[] = [];
    const list: number[] = [];
    const sampler = (async () => {
      let i = 0;
      while (!stop) {
        const clusterId = clusterIds[i++ % clusterIds.length]!;
        const t0 = performance.now();
        await call('GET', `/v1/clusters/${clusterId}/executions`);
        const t1 = performance.now();
        await call('POST', `/v1/clusters/${clusterId}/executions/list`, {});
        const t2 = performance.now();
        if (measuring) {
          latest.push(t1 - t0);
          list.push(t2 - t1);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // A short warm-up so that process start and the first claims are not counted.
    await new Promise((r) => setTimeout(r, 3000));
    measuring = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.all([...drivers, sampler]);
    latest.sort((a, b) => a - b);
    list.sort((a, b) => a - b);
    return { label, workers, completed, failed, perMinute: (completed / elapsed) * 60, latest, list };
  } finally {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  }
}

export async function runQueueSection(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || process.env.CENTROID_TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
  const unreachable = await reachable(url);
  const results: Outcome[] = [];
  console.log(`\nQueue benchmark: ${CLUSTERS} clusters of k-means k=8 on ${POINTS}×${DIMS}, each re-executed as soon as its end is seen (polled every ${DRIVER_POLL_MS} ms), ${SECONDS} s per run\n`);
  if (unreachable) {
    console.log(`PostgreSQL runs skipped: ${url.replace(/:[^:@/]*@/, ':***@')} is unreachable (${unreachable}); set BENCH_DATABASE_URL`);
  } else {
    for (const workers of WORKER_COUNTS) {
      const schema = `bench_${randomBytes(5).toString('hex')}`;
      await adminQuery(url, `CREATE SCHEMA ${schema}`);
      const u = new URL(url);
      u.searchParams.set('options', `-c search_path=${schema}`);
      try {
        results.push(await measure('PostgreSQL', workers, { DATABASE_URL: u.toString(), CENTROID_DATABASE_POOL_SIZE: '4' }, true));
      } finally {
        await adminQuery(url, `DROP SCHEMA ${schema} CASCADE`);
      }
      report(results.at(-1)!);
    }
  }
  for (const workers of WORKER_COUNTS) {
    const dataDir = mkdtempSync(join(tmpdir(), 'centroid-bench-queue-'));
    try {
      results.push(await measure('SQLite (one process)', workers, { CENTROID_DATA_DIR: dataDir, DATABASE_URL: '' }, false));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    report(results.at(-1)!);
  }
  console.log(`\nnode ${process.version}, ${availableParallelism()} CPU cores, ${new Date().toISOString()}`);
  for (const label of new Set(results.map((r) => r.label))) {
    const runs = results.filter((r) => r.label === label);
    const one = runs.find((r) => r.workers === 1)?.perMinute;
    if (one) console.log(`${label} scaling vs 1 worker: ${runs.map((r) => `${r.workers}→${(r.perMinute / one).toFixed(2)}×`).join(', ')}`);
  }
}

function report(r: Outcome): void {
  const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(1);
  console.log(
    `${r.label.padEnd(22)} ${String(r.workers).padStart(2)} worker${r.workers === 1 ? ' ' : 's'}: ${r.perMinute.toFixed(0).padStart(5)} executions/min` +
      ` (${r.completed} completed${r.failed ? `, ${r.failed} failed` : ''}); GET latest p50 ${ms(r.latest, 50)} / p95 ${ms(r.latest, 95)} ms,` +
      ` POST list p50 ${ms(r.list, 50)} / p95 ${ms(r.list, 95)} ms (${r.latest.length} samples)`,
  );
}
