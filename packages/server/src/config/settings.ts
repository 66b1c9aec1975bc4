import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';

/** Everything the server can be told from outside. Read once, validated, frozen. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  /** Folder of the embedded SQLite database (`centroid.db`). */
  readonly dataDir: string;
  /** Bootstrap key accepted in addition to stored keys; null when unset. */
  readonly apiKey: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Worker threads for clustering computations. */
  readonly computeThreads: number;
  /** Executions one process runs at the same time. */
  readonly executionConcurrency: number;
  /** A claimed execution whose lease is not renewed within this time is re-queued or failed. */
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** How often an idle worker looks for pending executions. */
  readonly pollMs: number;
  readonly maxAttempts: number;
  /** Exact silhouette up to this many points; a seeded sample of this size beyond. */
  readonly silhouetteExactMaxPoints: number;
  /** Limit for ordinary JSON bodies; the import route streams and is limited per row instead. */
  readonly bodyLimitBytes: number;
  readonly importMaxRowBytes: number;
  readonly importMaxBytes: number;
}

export class SettingsError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadSettings(env: Env = process.env, overrides: Partial<Settings> = {}): Settings {
  const logLevel = (env.CENTROID_LOG_LEVEL ?? env.LOG_LEVEL ?? 'info') as Settings['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(`CENTROID_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  }
  const cores = availableParallelism();
  const settings: Settings = {
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65535),
    dataDir: resolve(env.CENTROID_DATA_DIR && env.CENTROID_DATA_DIR !== '' ? env.CENTROID_DATA_DIR : './data'),
    apiKey: env.CENTROID_API_KEY && env.CENTROID_API_KEY !== '' ? env.CENTROID_API_KEY : null,
    logLevel,
    computeThreads: integer(env, 'CENTROID_COMPUTE_THREADS', Math.max(1, cores), 1, 256),
    executionConcurrency: integer(env, 'CENTROID_EXECUTION_CONCURRENCY', Math.max(1, cores), 1, 256),
    leaseMs: integer(env, 'CENTROID_LEASE_MS', 30_000, 1_000, 3_600_000),
    heartbeatMs: integer(env, 'CENTROID_HEARTBEAT_MS', 2_000, 50, 600_000),
    pollMs: integer(env, 'CENTROID_POLL_MS', 500, 10, 60_000),
    maxAttempts: integer(env, 'CENTROID_MAX_ATTEMPTS', 3, 1, 100),
    silhouetteExactMaxPoints: integer(env, 'CENTROID_SILHOUETTE_EXACT_MAX_POINTS', 10_000, 100, 10_000_000),
    bodyLimitBytes: integer(env, 'CENTROID_BODY_LIMIT_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31),
    importMaxRowBytes: integer(env, 'CENTROID_IMPORT_MAX_ROW_BYTES', 16 * 1024 * 1024, 1024, 2 ** 30),
    importMaxBytes: integer(env, 'CENTROID_IMPORT_MAX_BYTES', 8 * 1024 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    ...overrides,
  };
  if (settings.heartbeatMs * 2 > settings.leaseMs) {
    throw new SettingsError(
      `CENTROID_HEARTBEAT_MS (${settings.heartbeatMs}) must be at most half of CENTROID_LEASE_MS (${settings.leaseMs}) so a live worker never loses its lease`,
    );
  }
  return Object.freeze(settings);
}

/** The settings table shown by `centroid --help` and in the README. */
export const SETTINGS_HELP: ReadonlyArray<readonly [string, string, string]> = [
  ['HOST', '127.0.0.1', 'address the HTTP server binds to'],
  ['PORT', '8000', 'HTTP port'],
  ['CENTROID_DATA_DIR', './data', 'folder of the embedded SQLite database'],
  ['CENTROID_API_KEY', '(unset)', 'a key accepted in addition to stored keys (bootstrap, CI, scripts)'],
  ['CENTROID_LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['CENTROID_COMPUTE_THREADS', 'CPU cores', 'worker threads that run clustering'],
  ['CENTROID_EXECUTION_CONCURRENCY', 'CPU cores', 'executions one process runs at once'],
  ['CENTROID_LEASE_MS', '30000', 'an execution whose worker stops renewing its lease this long is recovered'],
  ['CENTROID_HEARTBEAT_MS', '2000', 'how often a running execution renews its lease and checks for cancel'],
  ['CENTROID_POLL_MS', '500', 'how often idle workers look for pending executions'],
  ['CENTROID_MAX_ATTEMPTS', '3', 'attempts before an execution whose worker died is marked failed'],
  ['CENTROID_SILHOUETTE_EXACT_MAX_POINTS', '10000', 'silhouette is exact up to this many points, sampled beyond'],
  ['CENTROID_BODY_LIMIT_BYTES', '67108864', 'largest ordinary JSON request body'],
  ['CENTROID_IMPORT_MAX_ROW_BYTES', '16777216', 'largest single row of a bulk import'],
  ['CENTROID_IMPORT_MAX_BYTES', '8589934592', 'largest bulk import body'],
];
