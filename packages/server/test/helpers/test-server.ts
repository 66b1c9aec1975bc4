import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, type Settings } from '../../src/config/settings.ts';
import { startCentroid, type Centroid } from '../../src/main.ts';

export const TEST_KEY = 'test-key-0123456789';

export interface TestServer {
  centroid: Centroid;
  url: string;
  dataDir: string;
  /** Sends a request with the test key and (unless overridden) the given namespace. */
  call(method: string, path: string, options?: { body?: unknown; namespace?: string | null; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A real server on a random port over a fresh embedded database in a temporary folder. */
export async function startTestServer(overrides: Partial<Settings> = {}, namespace: string | null = null): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'centroid-test-'));
  const settings = loadSettings({}, { port: 0, host: '127.0.0.1', apiKey: TEST_KEY, logLevel: 'silent', dataDir, computeThreads: 2, pollMs: 50, heartbeatMs: 200, leaseMs: 2000, ...overrides });
  const centroid = await startCentroid(settings);
  const url = centroid.url!;
  return {
    centroid,
    url,
    dataDir,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${TEST_KEY}`, ...(options.headers ?? {}) };
      const ns = options.namespace === undefined ? namespace : options.namespace;
      if (ns) headers['x-namespace'] = ns;
      let payload: string | undefined = options.raw;
      if (options.body !== undefined) payload = JSON.stringify(options.body);
      if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      const response = await fetch(url + path, { method, headers, body: payload });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    async close() {
      await centroid.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Well-separated Gaussian blobs: `perCluster` points around each of `centers` random centres. */
export function blobs(centers: number, perCluster: number, dims: number, seed = 1): { vectors: number[][]; truth: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: centers }, () => Array.from({ length: dims }, () => rand() * 40 - 20));
  const vectors: number[][] = [];
  const truth: number[] = [];
  for (let c = 0; c < centers; c++) {
    for (let i = 0; i < perCluster; i++) {
      vectors.push(centres[c]!.map((x) => x + gauss()));
      truth.push(c);
    }
  }
  return { vectors, truth };
}

export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates a namespace and a collection and imports the given vectors under `embedding`. */
export async function seedCollection(server: TestServer, ns: string, vectors: number[][], collection = 'docs') {
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: ns }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: collection }, namespace: ns });
  const rows = vectors.map((v, i) => ({ document_id: `doc${i}`, metadata: { index: i, parity: i % 2 === 0 ? 'even' : 'odd' }, vectors: { embedding: v } }));
  const imported = await server.call('POST', `/v1/collections/${collection}/documents/import`, { body: rows, namespace: ns });
  if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
  return imported.body;
}
