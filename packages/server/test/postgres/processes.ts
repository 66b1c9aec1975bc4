/**
 * Child `centroid` processes for the multi-process tests: each is a real `serve` or `worker`
 * started through the CLI, sharing one PostgreSQL schema with the others.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { TEST_KEY, waitFor, type TestDatabase } from '../helpers/test-server.ts';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface CentroidProcess {
  child: ChildProcess;
  pid: number;
  /** Set for `serve`. */
  url: string | null;
  /** Parsed JSON log lines written so far (workers log one per claim, completion, recovery). */
  logs: Array<Record<string, unknown>>;
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Quick settings so that tests see claims, heartbeats and lease expiry in seconds. */
export const FAST_QUEUE = {
  CENTROID_LEASE_MS: '2000',
  CENTROID_HEARTBEAT_MS: '200',
  CENTROID_POLL_MS: '100',
  CENTROID_COMPUTE_THREADS: '1',
};

let nextPort = 21000 + Math.floor(Math.random() * 20000);

export function requirePostgres(database: TestDatabase): void {
  if (!database.url) throw new Error('these tests need PostgreSQL: run them through `node scripts/run-tests.mjs` or set CENTROID_TEST_DATABASE_URL');
}

export async function startProcess(database: TestDatabase, command: 'serve' | 'worker' | 'migrate', args: string[] = [], env: Record<string, string> = {}): Promise<CentroidProcess> {
  const port = nextPort++;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, command, ...args], {
    env: { ...process.env, ...database.env, PORT: String(port), CENTROID_API_KEY: TEST_KEY, CENTROID_LOG_LEVEL: 'info', ...FAST_QUEUE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const logs: Array<Record<string, unknown>> = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line));
      } catch {
        // a line that only looks like JSON; the text log keeps it
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: CentroidProcess = {
    child,
    pid: child.pid!,
    url: command === 'serve' ? `http://127.0.0.1:${port}` : null,
    logs,
    output: () => text,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (command === 'serve') {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`centroid serve exited with ${child.exitCode}:\n${text}`);
        return fetch(proc.url + '/health').then((r) => r.status).catch(() => 0);
      },
      (s) => s === 200,
      60_000,
    );
  } else if (command === 'worker') {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`centroid worker exited with ${child.exitCode}:\n${text}`);
        return text.includes('Centroid worker');
      },
      (started) => started,
      60_000,
    );
  }
  return proc;
}

/** A client for one API process, shaped like TestServer.call so the shared seeding helpers work. */
export function apiClient(url: string, namespace: string | null) {
  return {
    url,
    async call(method: string, path: string, options: { body?: unknown; namespace?: string | null } = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${TEST_KEY}` };
      const ns = options.namespace === undefined ? namespace : options.namespace;
      if (ns) headers['x-namespace'] = ns;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await r.text();
      return { status: r.status, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}

/** Log lines of `message` about one execution, across the given processes. */
export function logsAbout(processes: CentroidProcess[], message: string, runId: string): Array<{ pid: number; line: Record<string, unknown> }> {
  return processes.flatMap((p) => p.logs.filter((l) => l.msg === message && l.runId === runId).map((line) => ({ pid: p.pid, line })));
}

export async function stopAll(processes: CentroidProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
}
