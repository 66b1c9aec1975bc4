import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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

/**
 * PostgreSQL the tests run against, or null for the embedded store. `node scripts/run-tests.mjs`
 * runs the server tests a second time with this set.
 */
export const TEST_DATABASE_URL: string | null = process.env.CENTROID_TEST_DATABASE_URL || null;

/** One test's own database: a folder for SQLite, or a schema of its own on PostgreSQL. */
export interface TestDatabase {
  /** Settings that point a server at it. */
  settings: Partial<Settings>;
  /** Environment that points a `centroid` child process at it. */
  env: Record<string, string>;
  /** The PostgreSQL URL with this schema on its search_path (null on SQLite). */
  url: string | null;
  /** Runs SQL in this database (PostgreSQL only). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * The database behind `dataDir`: the folder itself on SQLite; on PostgreSQL a schema named
 * after the folder, so a restarted server given the same folder finds the same data.
 */
export async function testDatabase(dataDir: string): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    return {
      settings: { dataDir, databaseUrl: null },
      env: { CENTROID_DATA_DIR: dataDir },
      url: null,
      query: () => Promise.reject(new Error('query() needs CENTROID_TEST_DATABASE_URL')),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  // ':memory:' is a fresh database each time on SQLite, so it gets a fresh schema here too.
  const key = dataDir === ':memory:' ? randomBytes(16).toString('hex') : dataDir;
  const schema = 't_' + createHash('sha256').update(key).digest('hex').slice(0, 20);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.end();
  }
  const url = withSearchPath(TEST_DATABASE_URL, schema);
  return {
    settings: { dataDir, databaseUrl: url, databasePoolSize: 4 },
    env: { CENTROID_DATA_DIR: dataDir, DATABASE_URL: url, CENTROID_DATABASE_POOL_SIZE: '4' },
    url,
    async query<R>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as R[];
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh temporary folder (SQLite) or schema (PostgreSQL) for one test. */
export function freshTestDatabase(): Promise<TestDatabase> {
  return testDatabase(mkdtempSync(join(tmpdir(), `centroid-test-${randomBytes(3).toString('hex')}-`)));
}

/**
 * A real server on a random port over a fresh database: a temporary folder on SQLite, a schema
 * of its own on PostgreSQL (CENTROID_TEST_DATABASE_URL), removed on close. Given a dataDir, the
 * server uses that folder's database and leaves it in place (restart tests).
 */
export async function startTestServer(overrides: Partial<Settings> = {}, namespace: string | null = null): Promise<TestServer> {
  const database = overrides.dataDir || overrides.databaseUrl ? null : await freshTestDatabase();
  const target = database?.settings ?? (overrides.dataDir && overrides.databaseUrl === undefined ? (await testDatabase(overrides.dataDir)).settings : {});
  const dataDir = overrides.dataDir ?? target.dataDir ?? mkdtempSync(join(tmpdir(), 'centroid-test-'));
  const settings = loadSettings({}, { port: 0, host: '127.0.0.1', apiKey: TEST_KEY, logLevel: 'silent', dataDir, computeThreads: 2, pollMs: 50, heartbeatMs: 200, leaseMs: 2000, ...target, ...overrides });
  let centroid: Centroid;
  try {
    centroid = await startCentroid(settings);
  } catch (error) {
    await database?.drop();
    throw error;
  }
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
      await database?.drop();
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
