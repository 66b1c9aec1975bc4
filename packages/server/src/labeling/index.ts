/** Builds the labeler the execution runner uses, from settings and the store's label cache. */
import type { Settings } from '../config/settings.ts';
import { createLlmClients } from '../llm/providers.ts';
import type { Store } from '../storage/store.ts';
import { ClusterLabeler } from './labeler.ts';

export { ClusterLabeler, storeDocumentSource, type DocumentSource, type LabelRequest } from './labeler.ts';

export function createLabeler(store: Store, settings: Settings): ClusterLabeler {
  return new ClusterLabeler(createLlmClients(settings), store.labelCache);
}
