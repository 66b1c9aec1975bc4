import type { Settings } from '../config/settings.ts';
import type { Store } from '../storage/store.ts';
import { ApiKeyService } from './api-keys.ts';
import { ClusterService } from './clusters.ts';
import { CollectionService } from './collections.ts';
import { DocumentService } from './documents.ts';
import { EnrichmentService } from './enrichment.ts';
import type { ExecutionNotifier } from '../queue/execution-notifier.ts';
import { ExecutionService } from './executions.ts';
import { NamespaceService } from './namespaces.ts';
import { AnalyticsService } from './analytics.ts';
import { TriggerService } from './triggers.ts';

export interface Services {
  apiKeys: ApiKeyService;
  namespaces: NamespaceService;
  collections: CollectionService;
  documents: DocumentService;
  clusters: ClusterService;
  executions: ExecutionService;
  enrichment: EnrichmentService;
  triggers: TriggerService;
  analytics: AnalyticsService;
}

export function createServices(store: Store, settings: Settings, notifier: ExecutionNotifier, now: () => number = Date.now): Services {
  const clusters = new ClusterService(store, notifier);
  const executions = new ExecutionService(store, notifier, { maxAttempts: settings.maxAttempts, now });
  return {
    apiKeys: new ApiKeyService(store, settings.apiKey),
    namespaces: new NamespaceService(store),
    collections: new CollectionService(store),
    documents: new DocumentService(store, { maxRowBytes: settings.importMaxRowBytes, maxBytes: settings.importMaxBytes }),
    clusters,
    executions,
    enrichment: new EnrichmentService(store),
    triggers: new TriggerService(store, clusters, executions, now),
    analytics: new AnalyticsService(store, now),
  };
}
