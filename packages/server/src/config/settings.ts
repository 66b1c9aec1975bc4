import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';

/** Everything the server can be told from outside. Read once, validated, frozen. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  /** Folder of the embedded SQLite database (`centroid.db`). */
  readonly dataDir: string;
  /** postgres://… switches every store to PostgreSQL; null keeps the embedded SQLite database. */
  readonly databaseUrl: string | null;
  /** Connections each process keeps open to PostgreSQL. */
  readonly databasePoolSize: number;
  /** Bootstrap key accepted in addition to stored keys; null when unset. */
  readonly apiKey: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Worker threads for clustering computations. */
  readonly computeThreads: number;
  /** Threads one computation may spread its row-parallel steps over (k-means' E-step). */
  readonly engineThreads: number;
  /** Executions one process runs at the same time. */
  readonly executionConcurrency: number;
  /** A claimed execution whose lease is not renewed within this time is re-queued or failed. */
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** How often an idle worker looks for pending executions. */
  readonly pollMs: number;
  /** How often each process's trigger scheduler looks for due triggers and finished trigger executions. */
  readonly triggerTickMs: number;
  readonly maxAttempts: number;
  /** Executions of one namespace processing at once across all workers; 0 means no limit. */
  readonly namespaceConcurrency: number;
  /** On SIGTERM, running executions get this long to finish before they are handed back to the queue. */
  readonly shutdownGraceMs: number;
  /** Exact silhouette up to this many points; a seeded sample of this size beyond. */
  readonly silhouetteExactMaxPoints: number;
  /** Limit for ordinary JSON bodies; the import route streams and is limited per row instead. */
  readonly bodyLimitBytes: number;
  readonly importMaxRowBytes: number;
  readonly importMaxBytes: number;
  /** LLM providers for cluster labeling: keys and base URLs (null = unset / the vendor's public endpoint). */
  readonly openaiApiKey: string | null;
  readonly openaiBaseUrl: string | null;
  readonly anthropicApiKey: string | null;
  readonly anthropicBaseUrl: string | null;
  readonly geminiApiKey: string | null;
  readonly geminiBaseUrl: string | null;
  /** Per-request timeout, retries (429/5xx/network, exponential backoff from llmRetryBaseMs) and parallel requests. */
  readonly llmTimeoutMs: number;
  readonly llmMaxRetries: number;
  readonly llmRetryBaseMs: number;
  readonly llmConcurrency: number;
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

function optional(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new SettingsError(`DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded SQLite database), got '${raw.replace(/:[^:@/]*@/, ':***@')}'`);
  }
  return raw;
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
    databaseUrl: databaseUrl(env),
    databasePoolSize: integer(env, 'CENTROID_DATABASE_POOL_SIZE', 10, 1, 1000),
    apiKey: env.CENTROID_API_KEY && env.CENTROID_API_KEY !== '' ? env.CENTROID_API_KEY : null,
    logLevel,
    computeThreads: integer(env, 'CENTROID_COMPUTE_THREADS', Math.max(1, cores), 1, 256),
    engineThreads: integer(env, 'CENTROID_ENGINE_THREADS', Math.max(1, cores), 1, 256),
    executionConcurrency: integer(env, 'CENTROID_EXECUTION_CONCURRENCY', Math.max(1, cores), 1, 256),
    leaseMs: integer(env, 'CENTROID_LEASE_MS', 30_000, 1_000, 3_600_000),
    heartbeatMs: integer(env, 'CENTROID_HEARTBEAT_MS', 2_000, 50, 600_000),
    pollMs: integer(env, 'CENTROID_POLL_MS', 500, 10, 60_000),
    triggerTickMs: integer(env, 'CENTROID_TRIGGER_TICK_MS', 1_000, 10, 3_600_000),
    maxAttempts: integer(env, 'CENTROID_MAX_ATTEMPTS', 3, 1, 100),
    namespaceConcurrency: integer(env, 'CENTROID_NAMESPACE_CONCURRENCY', 0, 0, 10_000),
    shutdownGraceMs: integer(env, 'CENTROID_SHUTDOWN_GRACE_MS', 10_000, 0, 3_600_000),
    silhouetteExactMaxPoints: integer(env, 'CENTROID_SILHOUETTE_EXACT_MAX_POINTS', 10_000, 100, 10_000_000),
    bodyLimitBytes: integer(env, 'CENTROID_BODY_LIMIT_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31),
    importMaxRowBytes: integer(env, 'CENTROID_IMPORT_MAX_ROW_BYTES', 16 * 1024 * 1024, 1024, 2 ** 30),
    importMaxBytes: integer(env, 'CENTROID_IMPORT_MAX_BYTES', 8 * 1024 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    openaiApiKey: optional(env, 'OPENAI_API_KEY'),
    openaiBaseUrl: optional(env, 'OPENAI_BASE_URL'),
    anthropicApiKey: optional(env, 'ANTHROPIC_API_KEY'),
    anthropicBaseUrl: optional(env, 'ANTHROPIC_BASE_URL'),
    geminiApiKey: optional(env, 'GEMINI_API_KEY'),
    geminiBaseUrl: optional(env, 'GEMINI_BASE_URL'),
    llmTimeoutMs: integer(env, 'CENTROID_LLM_TIMEOUT_MS', 60_000, 100, 600_000),
    llmMaxRetries: integer(env, 'CENTROID_LLM_MAX_RETRIES', 3, 0, 10),
    llmRetryBaseMs: integer(env, 'CENTROID_LLM_RETRY_BASE_MS', 500, 1, 60_000),
    llmConcurrency: integer(env, 'CENTROID_LLM_CONCURRENCY', 4, 1, 64),
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
  ['DATABASE_URL', '(unset)', 'postgres://user:pass@host:5432/db switches to PostgreSQL (search_path via ?options=-c%20search_path%3Dschema)'],
  ['CENTROID_DATABASE_POOL_SIZE', '10', 'PostgreSQL connections per process'],
  ['CENTROID_API_KEY', '(unset)', 'a key accepted in addition to stored keys (bootstrap, CI, scripts)'],
  ['CENTROID_LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['CENTROID_COMPUTE_THREADS', 'CPU cores', 'worker threads that run clustering'],
  ['CENTROID_ENGINE_THREADS', 'CPU cores', 'threads one clustering may use for its row-parallel steps (1 = never split)'],
  ['CENTROID_EXECUTION_CONCURRENCY', 'CPU cores', 'executions one process runs at once'],
  ['CENTROID_LEASE_MS', '30000', 'an execution whose worker stops renewing its lease this long is recovered'],
  ['CENTROID_HEARTBEAT_MS', '2000', 'how often a running execution renews its lease and checks for cancel'],
  ['CENTROID_POLL_MS', '500', 'how often idle workers look for pending executions'],
  ['CENTROID_TRIGGER_TICK_MS', '1000', 'how often the trigger scheduler checks for due triggers (every process runs one)'],
  ['CENTROID_MAX_ATTEMPTS', '3', 'attempts before an execution whose worker died is marked failed'],
  ['CENTROID_NAMESPACE_CONCURRENCY', '0', 'executions of one namespace processing at once across all workers (0: no limit)'],
  ['CENTROID_SHUTDOWN_GRACE_MS', '10000', 'on SIGTERM, time running executions get to finish before being handed back'],
  ['CENTROID_SILHOUETTE_EXACT_MAX_POINTS', '10000', 'silhouette is exact up to this many points, sampled beyond'],
  ['CENTROID_BODY_LIMIT_BYTES', '67108864', 'largest ordinary JSON request body'],
  ['CENTROID_IMPORT_MAX_ROW_BYTES', '16777216', 'largest single row of a bulk import'],
  ['CENTROID_IMPORT_MAX_BYTES', '8589934592', 'largest bulk import body'],
  ['OPENAI_API_KEY', '(unset)', 'key for llm_labeling provider openai (optional for a local OpenAI-compatible server)'],
  ['OPENAI_BASE_URL', 'https://api.openai.com/v1', 'OpenAI-compatible endpoint (vLLM, Ollama, LM Studio: e.g. http://127.0.0.1:11434/v1)'],
  ['ANTHROPIC_API_KEY', '(unset)', 'key for llm_labeling provider anthropic'],
  ['ANTHROPIC_BASE_URL', 'https://api.anthropic.com', 'Anthropic messages endpoint'],
  ['GEMINI_API_KEY', '(unset)', 'key for llm_labeling provider google'],
  ['GEMINI_BASE_URL', 'https://generativelanguage.googleapis.com', 'Gemini generateContent endpoint'],
  ['CENTROID_LLM_TIMEOUT_MS', '60000', 'timeout of one labeling request to an LLM provider'],
  ['CENTROID_LLM_MAX_RETRIES', '3', 'retries of a labeling request after 429, 5xx or a network error'],
  ['CENTROID_LLM_RETRY_BASE_MS', '500', 'first retry delay, doubled each retry (Retry-After wins when sent)'],
  ['CENTROID_LLM_CONCURRENCY', '4', 'labeling requests in flight at once per process'],
];
