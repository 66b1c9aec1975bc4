/**
 * Runs one claimed execution: loads its vectors from the store into one contiguous
 * Float32Array, hands them to a worker thread, and shapes the result for storage.
 */
import { clusterLabelId } from '../domain/ids.ts';
import { matchesFilter, parseFilters } from '../domain/filters.ts';
import { DOCUMENT_FILTER_FIELDS_HELP, documentFieldKind, readDocumentField } from '../domain/document-fields.ts';
import type { CentroidSummary, ExecutionOutcome, ExecutionRecord, MemberRow } from '../domain/records.ts';
import { vectorKeyOf, type ClusterConfig } from '../domain/cluster-config.ts';
import type { Store } from '../storage/store.ts';
import type { ComputePool } from './thread-pool.ts';

/** A failure whose message is meant for the user, stored as the execution's error_message. */
export class ExecutionFailure extends Error {}

const LOAD_BATCH = 2048;

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export class ExecutionRunner {
  constructor(
    private readonly store: Store,
    private readonly pool: ComputePool,
    private readonly options: { silhouetteExactMaxPoints: number },
  ) {}

  async run(execution: ExecutionRecord, signal: AbortSignal): Promise<{ outcome: ExecutionOutcome; members: MemberRow[] }> {
    const config = execution.config as unknown as ClusterConfig;
    const vc = config.vector_config;
    const featureUri = vc.feature_uris[0]!;
    const vectorKey = vectorKeyOf(featureUri);

    let dimensions: number | null = null;
    const available = new Set<string>();
    const collections: string[] = [];
    for (const collectionId of config.collection_ids) {
      const dims = await this.store.collections.vectorDimensions(collectionId);
      if (!(await this.store.collections.findByIdOrName(execution.namespaceId, collectionId))) {
        throw new ExecutionFailure(`Collection ${collectionId} no longer exists; update the cluster's collection_ids`);
      }
      for (const name of dims.keys()) available.add(name);
      const d = dims.get(vectorKey);
      if (d === undefined) continue;
      if (dimensions !== null && d !== dimensions) {
        throw new ExecutionFailure(`Feature '${featureUri}' has ${dimensions} dimensions in one collection and ${d} in ${collectionId}; cluster collections whose vectors have the same size`);
      }
      dimensions = d;
      collections.push(collectionId);
    }
    if (dimensions === null) {
      if (available.size === 0) throw new ExecutionFailure('Insufficient documents for clustering: need at least 2 documents, found 0');
      throw new ExecutionFailure(`Feature '${featureUri}' not found in the cluster's collections; their documents have vectors: ${[...available].sort().join(', ')}. Set vector_config.feature_uris to one of them.`);
    }

    const allowed = config.filters ? await this.filteredIds(collections, config.filters) : null;
    const stored = await this.store.documents.countVectors(collections, vectorKey);
    const capacity = allowed ? Math.min(stored, allowed.size) : stored;
    const data = new Float32Array(capacity * dimensions);
    const documentIds: string[] = [];
    for await (const batch of this.store.documents.streamVectors(collections, vectorKey, dimensions, LOAD_BATCH)) {
      if (signal.aborted) throw signal.reason;
      for (let i = 0; i < batch.documentIds.length; i++) {
        const id = batch.documentIds[i]!;
        if (allowed && !allowed.has(id)) continue;
        if (documentIds.length === capacity) break; // documents added while loading wait for the next execution
        data.set(batch.vectors.subarray(i * dimensions, (i + 1) * dimensions), documentIds.length * dimensions);
        documentIds.push(id);
      }
    }
    const n = documentIds.length;
    const params = vc.algorithm_params;
    if (n < 2) throw new ExecutionFailure(`Insufficient documents for clustering: need at least 2 documents, found ${n}`);
    const fitPoints = vc.sample_size !== null ? Math.min(vc.sample_size, n) : n;
    if (fitPoints < params.n_clusters) {
      throw new ExecutionFailure(
        `Insufficient documents for clustering: n_clusters is ${params.n_clusters} but only ${fitPoints} documents${fitPoints < n ? ' are sampled' : ` have vector '${vectorKey}'`}; lower algorithm_params.n_clusters${fitPoints < n ? ' or raise sample_size' : ' or add documents'}`,
      );
    }

    const result = await this.pool.run(
      {
        data: n * dimensions === data.length ? data : data.slice(0, n * dimensions),
        n,
        d: dimensions,
        method: 'kmeans',
        params: { n_clusters: params.n_clusters, n_init: params.n_init, max_iter: params.max_iter, tol: params.tol, random_state: params.random_state, init: params.init, algorithm: params.algorithm },
        sampleSize: vc.sample_size,
        silhouetteExactMaxPoints: this.options.silhouetteExactMaxPoints,
      },
      signal,
    );

    const centroids: CentroidSummary[] = [];
    for (let c = 0; c < result.k; c++) {
      if (result.counts[c] === 0) continue;
      centroids.push({
        cluster_id: clusterLabelId(c),
        num_members: result.counts[c]!,
        label: null,
        summary: null,
        keywords: null,
        mean_cosine_similarity: finiteOrNull(result.meanCosineSimilarity[c]!),
        min_cosine_similarity: finiteOrNull(result.minCosineSimilarity[c]!),
      });
    }
    const members: MemberRow[] = documentIds.map((documentId, i) => ({
      documentId,
      clusterId: clusterLabelId(result.labels[i]!),
      distanceToCentroid: finiteOrNull(result.distanceToCentroid[i]!),
    }));
    return {
      outcome: { numClusters: centroids.filter((c) => c.cluster_id !== 'cl_-1').length, numPoints: n, metrics: result.metrics, centroids, llmLabelingErrors: null },
      members,
    };
  }

  private async filteredIds(collections: string[], filters: Record<string, unknown>): Promise<Set<string>> {
    const filter = parseFilters(filters, ['filters'], documentFieldKind, DOCUMENT_FILTER_FIELDS_HELP);
    const ids = new Set<string>();
    for (const collectionId of collections) {
      for await (const batch of this.store.documents.scan(collectionId, 2000)) {
        for (const doc of batch) {
          if (!filter || matchesFilter(filter, (f) => readDocumentField(doc, f))) ids.add(doc.documentId);
        }
      }
    }
    return ids;
  }
}
