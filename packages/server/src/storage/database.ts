import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Folder for the embedded database file; ':memory:' keeps everything in memory. */
  dataDir: string;
}

export function openSqlite(options: OpenDatabaseOptions): DatabaseHandle {
  let file = ':memory:';
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    file = join(options.dataDir, 'centroid.db');
  }
  const sqlite = new SQLite(file);
  // WAL lets readers (the API) proceed while a writer (an import or a finishing execution) commits.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite has no regular expressions of its own; filters with operator 'regex' use these.
  for (const [name, flags] of [['regexp', ''], ['regexp_i', 'i']] as const) {
    sqlite.function(name, { deterministic: true }, (pattern: unknown, value: unknown) => {
      if (typeof pattern !== 'string' || value === null || value === undefined) return 0;
      return new RegExp(pattern, flags).test(String(value)) ? 1 : 0;
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    close: () => db.destroy(),
  };
}

/** Type parsers of this pool only (pg's global registry is left alone). */
const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // int8: epoch-ms timestamps and count(*) fit a double exactly (below 2^53); read them as numbers like SQLite does.
    if (oid === 20 && format !== 'binary') return (value: string) => Number(value);
    // numeric (sum() of bigints, avg()): a double, as SQLite returns it.
    if (oid === 1700 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export interface OpenPostgresOptions {
  /** Connections kept by this process. */
  poolSize?: number;
}

/**
 * Opens PostgreSQL over a connection pool. The schema is whatever the URL's search_path says
 * (`?options=-c%20search_path%3Dname`), `public` by default; JSON stays text and vectors bytea,
 * so every query reads the same rows the same way on both dialects.
 */
export function openPostgres(url: string, options: OpenPostgresOptions = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: PG_TYPES });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    close: () => db.destroy(),
  };
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  // Kysely's Migrator serialises concurrent runs with a PostgreSQL advisory lock. Its bookkeeping
  // tables must be looked up in this connection's own schema, or a second schema in the same
  // database (tests, several deployments) would find the first one's tables and skip creating its own.
  let migrationTableSchema: string | undefined;
  if (handle.dialect === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(handle.db);
    if (!rows[0]?.schema) throw new Error('PostgreSQL has no current schema: the search_path names no schema that exists (create it first)');
    migrationTableSchema = rows[0].schema;
  }
  const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect), migrationTableSchema });
  // Before it runs any migration, Kysely's migrator looks for its bookkeeping tables by reading the
  // catalog of every schema in the database. Tables that someone else drops during that read
  // (another deployment, a parallel test) make it fail with "schema/relation/column does not
  // exist" or "cache lookup failed" about *their* objects. Those checks change nothing of ours,
  // so an error before any migration ran is retried; a failed migration never is.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    if (!failed && attempt < 5 && handle.dialect === 'postgres') {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
