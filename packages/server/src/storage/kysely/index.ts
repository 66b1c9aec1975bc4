import { migrateToLatest, openSqlite, type DatabaseHandle } from '../database.ts';
import type { Store } from '../store.ts';
import { KyselyApiKeyStore } from './api-keys.ts';
import { KyselyClusterStore } from './clusters.ts';
import { KyselyCollectionStore } from './collections.ts';
import { KyselyDocumentStore } from './documents.ts';
import { KyselyExecutionStore } from './executions.ts';
import { KyselyNamespaceStore } from './namespaces.ts';
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
    close: () => handle.close(),
  };
}

/** Opens the embedded store (creating and migrating it as needed). */
export async function openEmbeddedStore(dataDir: string, now: Clock = Date.now): Promise<Store> {
  const handle = openSqlite({ dataDir });
  await migrateToLatest(handle);
  return createStore(handle, now);
}
