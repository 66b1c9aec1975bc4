import { migrateToLatest, openPostgres, openSqlite, type DatabaseHandle } from '../database.ts';
import type { Store } from '../store.ts';
import { KyselyApiKeyStore } from './api-keys.ts';
import { KyselyClusterStore } from './clusters.ts';
import { KyselyCollectionStore } from './collections.ts';
import { KyselyDocumentStore } from './documents.ts';
import { KyselyExecutionStore } from './executions.ts';
import { KyselyLabelCacheStore } from './label-cache.ts';
import { KyselyNamespaceStore } from './namespaces.ts';
import { KyselyTriggerStore } from './triggers.ts';
import type { Clock } from './shared.ts';

export function createStore(handle: DatabaseHandle, now: Clock = Date.now): Store {
  const ctx = { db: handle.db, dialect: handle.dialect, now };
  return {
    dialect: handle.dialect,
    namespaces: new KyselyNamespaceStore(ctx),
    collections: new KyselyCollectionStore(ctx),
    documents: new KyselyDocumentStore(ctx),
    clusters: new KyselyClusterStore(ctx),
    executions: new KyselyExecutionStore(ctx),
    apiKeys: new KyselyApiKeyStore(ctx),
    triggers: new KyselyTriggerStore(ctx),
    labelCache: new KyselyLabelCacheStore(ctx),
    close: () => handle.close(),
  };
}

/** Opens the embedded store (creating and migrating it as needed). */
export async function openEmbeddedStore(dataDir: string, now: Clock = Date.now): Promise<Store> {
  const handle = openSqlite({ dataDir });
  await migrateToLatest(handle);
  return createStore(handle, now);
}

export interface StoreLocation {
  /** Folder of the embedded database, used when databaseUrl is null. */
  dataDir: string;
  /** postgres://… selects PostgreSQL. */
  databaseUrl: string | null;
  databasePoolSize?: number;
}

/** Opens PostgreSQL when a database URL is given, the embedded SQLite store otherwise; migrates either to the latest schema. */
export async function openStore(location: StoreLocation, now: Clock = Date.now): Promise<Store> {
  if (location.databaseUrl === null) return openEmbeddedStore(location.dataDir, now);
  const handle = openPostgres(location.databaseUrl, { poolSize: location.databasePoolSize });
  try {
    await migrateToLatest(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return createStore(handle, now);
}
