import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
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

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
