import type { Settings } from '../config/settings.ts';
import type { Store } from '../storage/store.ts';
import { ApiKeyService } from './api-keys.ts';
import { ClusterService } from './clusters.ts';
import { CollectionService } from './collections.ts';
import { DocumentService } from './documents.ts';
import type { ExecutionNotifier } from './execution-notifier.ts';
import { ExecutionService } from './executions.ts';
import { NamespaceService } from './namespaces.ts';

export interface Services {
  apiKeys: ApiKeyService;
  namespaces: NamespaceService;
  collections: CollectionService;
  documents: DocumentService;
  clusters: ClusterService;
  executions: ExecutionService;
}

export function createServices(store: Store, settings: Settings, notifier: ExecutionNotifier, now: () => number = Date.now): Services {
  return {
    apiKeys: new ApiKeyService(store, settings.apiKey),
    namespaces: new NamespaceService(store),
    collections: new CollectionService(store),
    documents: new DocumentService(store, { maxRowBytes: settings.importMaxRowBytes, maxBytes: settings.importMaxBytes }),
    clusters: new ClusterService(store, notifier),
    executions: new ExecutionService(store, notifier, { maxAttempts: settings.maxAttempts, now }),
  };
}
