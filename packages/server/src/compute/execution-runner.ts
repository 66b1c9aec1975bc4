/**
 * Runs one claimed execution: loads its vectors from the store into contiguous Float32Arrays
 * (one per feature), hands them to a worker thread, and shapes the result for storage.
 * Attribute clusterings need no vectors and are grouped here directly.
 */
import { clusterLabelId } from '../domain/ids.ts';
import { matchesFilter, parseFilters } from '../domain/filters.ts';
import { DOCUMENT_FILTER_FIELDS_HELP, documentFieldKind, readDocumentField } from '../domain/document-fields.ts';
import type { CentroidSummary, ExecutionDetails, ExecutionOutcome, ExecutionRecord, MemberRow } from '../domain/records.ts';
import { vectorKeyOf, type AttributeClusterConfig, type ClusterConfig, type VectorClusterConfig } from '../domain/cluster-config.ts';
import type { Store } from '../storage/store.ts';
import { groupByAttributes } from './attribute-grouping.ts';
import type { ClusteringOutput, FeatureBlock } from './cluster-task.ts';
import { infeasibility } from './feasibility.ts';
import { overlapHierarchy } from './overlap-hierarchy.ts';
import { addSubClusters, keepFeaturesForHierarchy } from './sub-clusters.ts';
import type { ComputePool } from './thread-pool.ts';
import { placeCentroids, projectionDetails, projectionTaskOf, withCoordinates } from './projection-coordinates.ts';
import { storeDocumentSource, type ClusterLabeler } from '../labeling/index.ts';

/** A failure whose message is meant for the user, stored as the execution's error_message. */
export class ExecutionFailure extends Error {}

const LOAD_BATCH = 2048;
const SCAN_BATCH = 2000;

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The parameter that sets how many documents a fit needs at least, and that number. */
function minimumDocuments(method: string, params: Record<string, unknown>): { param: string; count: number } {
  if (method === 'gaussian_mixture') return { param: 'n_components', count: params.n_components as number };
  if (method === 'kmeans' || method === 'spectral') return { param: 'n_clusters', count: params.n_clusters as number };
  if (method === 'agglomerative') return { param: 'n_clusters', count: (params.n_clusters as number | null) ?? 2 };
  if (method === 'hdbscan') return { param: 'min_cluster_size', count: params.min_cluster_size as number };
  return { param: 'n_clusters', count: 2 };
}

interface LoadedVectors {
  documentIds: string[];
  features: FeatureBlock[];
}

export class ExecutionRunner {
  constructor(
    private readonly store: Store,
    private readonly pool: ComputePool,
    private readonly options: { silhouetteExactMaxPoints: number },
    /** Names clusters (keywords always; an LLM when llm_labeling asks); null leaves labels empty. */
    private readonly labeler: ClusterLabeler | null = null,
  ) {}

  private label(config: ClusterConfig, centroids: CentroidSummary[], members: MemberRow[], signal: AbortSignal): Promise<string[] | null> {
    if (!this.labeler) return Promise.resolve(null);
    const documents = storeDocumentSource(this.store, config.collection_ids);
    return this.labeler.label({ llmLabeling: config.llm_labeling, centroids, members, documents, keepLabels: config.cluster_type === 'attribute', signal });
  }

  async run(execution: ExecutionRecord, signal: AbortSignal): Promise<{ outcome: ExecutionOutcome; members: MemberRow[] }> {
    const config = execution.config as unknown as ClusterConfig;
    for (const collectionId of config.collection_ids) {
      if (!(await this.store.collections.findByIdOrName(execution.namespaceId, collectionId))) {
        throw new ExecutionFailure(`Collection ${collectionId} no longer exists; update the cluster's collection_ids`);
      }
    }
    if (config.cluster_type === 'attribute') return this.runAttribute(config, signal);
    return this.runVector(config, signal);
  }

  private async runVector(config: VectorClusterConfig, signal: AbortSignal): Promise<{ outcome: ExecutionOutcome; members: MemberRow[] }> {
    const vc = config.vector_config;
    const params = vc.algorithm_params;
    const { documentIds, features } = await this.loadVectors(config, signal);
    const n = documentIds.length;
    if (n < 2) throw new ExecutionFailure(`Insufficient documents for clustering: need at least 2 documents, found ${n}`);
    const fitPoints = vc.sample_size !== null ? Math.min(vc.sample_size, n) : n;
    const needed = minimumDocuments(vc.clustering_method, params);
    if (fitPoints < needed.count) {
      throw new ExecutionFailure(
        `Insufficient documents for clustering: ${needed.param} is ${needed.count} but only ${fitPoints} documents${fitPoints < n ? ' are sampled' : ' have the clustered vectors'}; lower algorithm_params.${needed.param}${fitPoints < n ? ' or raise sample_size' : ' or add documents'}`,
      );
    }
    const spaceDims = vc.multi_feature_strategy === 'independent' ? Math.max(...features.map((f) => f.d)) : features.reduce((s, f) => s + f.d, 0);
    const refusal = infeasibility(vc.clustering_method, params, fitPoints, spaceDims);
    if (refusal) throw new ExecutionFailure(refusal);

    const weights = vc.feature_weights ? vc.feature_uris.map((uri) => vc.feature_weights![uri] ?? 1) : null;
    const seed = typeof params.random_state === 'number' ? params.random_state : Math.floor(Math.random() * 2 ** 31);
    const kept = keepFeaturesForHierarchy(vc.hierarchy, features);
    const projectionTask = projectionTaskOf(vc.projection);
    const output = await this.pool.run(
      {
        features,
        n,
        method: vc.clustering_method,
        params,
        strategy: vc.multi_feature_strategy,
        normalize: vc.normalize_features,
        featureWeights: weights,
        weightLearning: vc.weight_learning_config,
        effectiveFeatureMethod: vc.effective_feature_method,
        sampleSize: vc.sample_size,
        silhouetteExactMaxPoints: this.options.silhouetteExactMaxPoints,
        seed,
        projection: projectionTask,
      },
      signal,
    );

    const independent = vc.multi_feature_strategy === 'independent';
    const centroids: CentroidSummary[] = [];
    const members: MemberRow[] = [];
    const idsPerResult: string[][] = [];
    let offset = 0;
    output.results.forEach((result, f) => {
      const ids = Array.from({ length: result.k }, (_, c) => clusterLabelId(offset + c));
      idsPerResult.push(ids);
      centroids.push(...centroidSummaries(result, ids, independent ? features[f]!.uri : undefined));
      for (let i = 0; i < n; i++) {
        const c = result.labels[i]!;
        members.push(withCoordinates({ documentId: documentIds[i]!, clusterId: c === -1 ? 'cl_-1' : ids[c]!, distanceToCentroid: c === -1 ? null : finiteOrNull(result.distanceToRepresentative[i]!) }, output.projection, i));
      }
      offset += result.k;
    });
    const noise = output.results.reduce((s, r) => s + r.noiseCount, 0);
    if (noise > 0) {
      centroids.push({ cluster_id: 'cl_-1', num_members: noise, label: null, summary: null, keywords: null, mean_cosine_similarity: null, min_cosine_similarity: null });
    }

    const details: ExecutionDetails = { algorithm: vc.clustering_method, ...output.results[0]!.details };
    if (output.learnedWeights) {
      details.learned_weights = Object.fromEntries(vc.feature_uris.map((uri, f) => [uri, output.learnedWeights![f]!]));
      details.learning_quality_score = output.learningQualityScore;
    }
    if (independent) {
      details.per_feature = output.results.map((r, f) => ({ feature_uri: features[f]!.uri, num_clusters: r.k, metrics: r.metrics, ...r.details }));
      details.hierarchy_relationships = overlapHierarchy(output.results.map((r) => r.labels), idsPerResult);
    }
    const subClusterSpace = { features: kept, normalize: vc.normalize_features, featureWeights: output.learnedWeights ?? weights, effectiveFeatureMethod: vc.effective_feature_method, silhouetteExactMaxPoints: this.options.silhouetteExactMaxPoints, seed };
    await addSubClusters(this.pool, vc.hierarchy, subClusterSpace, { centroids, members, details }, signal); // vector_config.hierarchy
    placeCentroids(centroids, members, output.projection, idsPerResult[0] ?? []);
    const projection = projectionDetails(output.projection, projectionTask);
    if (projection) details.projection = projection;
    const llmLabelingErrors = await this.label(config, centroids, members, signal);
    return {
      outcome: {
        numClusters: centroids.filter((c) => c.cluster_id !== 'cl_-1' && !c.parent_cluster_id).length, // sub-clusters not counted
        numPoints: n,
        // Independent clusterings each have their own metrics (in details.per_feature); none describes the whole run.
        metrics: independent ? { silhouette_score: null, davies_bouldin_index: null, calinski_harabasz_score: null, silhouette_sample_size: null } : output.results[0]!.metrics,
        centroids,
        llmLabelingErrors,
        details,
      },
      members,
    };
  }

  private async runAttribute(config: AttributeClusterConfig, signal: AbortSignal): Promise<{ outcome: ExecutionOutcome; members: MemberRow[] }> {
    const ac = config.attribute_config;
    const filter = config.filters ? parseFilters(config.filters, ['filters'], documentFieldKind, DOCUMENT_FILTER_FIELDS_HELP) : null;
    const documentIds: string[] = [];
    const raw: unknown[][] = ac.attributes.map(() => []);
    for (const collectionId of config.collection_ids) {
      for await (const batch of this.store.documents.scan(collectionId, SCAN_BATCH)) {
        if (signal.aborted) throw signal.reason;
        for (const doc of batch) {
          if (filter && !matchesFilter(filter, (f) => readDocumentField(doc, f))) continue;
          documentIds.push(doc.documentId);
          ac.attributes.forEach((a, i) => raw[i]!.push(readDocumentField(doc, a)));
        }
      }
    }
    if (documentIds.length === 0) throw new ExecutionFailure('Insufficient documents for clustering: need at least 1 document, found 0');
    const grouping = groupByAttributes(raw, ac);
    const centroids: CentroidSummary[] = grouping.clusters.map((c) => ({
      cluster_id: c.cluster_id,
      num_members: c.num_members,
      label: c.label,
      summary: null,
      keywords: null,
      mean_cosine_similarity: null,
      min_cosine_similarity: null,
      parent_cluster_id: c.parent_cluster_id,
      attribute_values: c.attribute_values,
    }));
    const members = documentIds.map((documentId, i) => ({ documentId, clusterId: grouping.assignments[i]!, distanceToCentroid: null }));
    await this.label(config, centroids, members, signal); // keeps the value labels, adds keywords
    return {
      outcome: {
        numClusters: centroids.length,
        numPoints: documentIds.length,
        metrics: { silhouette_score: null, davies_bouldin_index: null, calinski_harabasz_score: null, silhouette_sample_size: null },
        centroids,
        llmLabelingErrors: null,
        details: { algorithm: 'attribute_based', attributes: ac.attributes, hierarchical_grouping: ac.hierarchical_grouping, aggregation_method: ac.aggregation_method },
      },
      members,
    };
  }

  /**
   * One contiguous block per feature, rows aligned by document. Documents missing any of the
   * features are left out (they cannot be placed in the combined space).
   */
  private async loadVectors(config: VectorClusterConfig, signal: AbortSignal): Promise<LoadedVectors> {
    const uris = config.vector_config.feature_uris;
    const dims = new Map<string, number>();
    const collectionsWith = new Map<string, string[]>();
    const available = new Set<string>();
    for (const collectionId of config.collection_ids) {
      const stored = await this.store.collections.vectorDimensions(collectionId);
      for (const name of stored.keys()) available.add(name);
      for (const uri of uris) {
        const d = stored.get(vectorKeyOf(uri));
        if (d === undefined) continue;
        const known = dims.get(uri);
        if (known !== undefined && known !== d) {
          throw new ExecutionFailure(`Feature '${uri}' has ${known} dimensions in one collection and ${d} in ${collectionId}; cluster collections whose vectors have the same size`);
        }
        dims.set(uri, d);
        collectionsWith.set(uri, [...(collectionsWith.get(uri) ?? []), collectionId]);
      }
    }
    for (const uri of uris) {
      if (dims.has(uri)) continue;
      if (available.size === 0) throw new ExecutionFailure('Insufficient documents for clustering: need at least 2 documents, found 0');
      throw new ExecutionFailure(`Feature '${uri}' not found in the cluster's collections; their documents have vectors: ${[...available].sort().join(', ')}. Set vector_config.feature_uris to those names.`);
    }

    const allowed = config.filters ? await this.filteredIds(config.collection_ids, config.filters) : null;
    // The first feature fixes the row order; the others are slotted in by document id.
    const first = uris[0]!;
    const d0 = dims.get(first)!;
    const stored = await this.store.documents.countVectors(collectionsWith.get(first)!, vectorKeyOf(first));
    const capacity = allowed ? Math.min(stored, allowed.size) : stored;
    let data0 = new Float32Array(capacity * d0);
    const documentIds: string[] = [];
    for await (const batch of this.store.documents.streamVectors(collectionsWith.get(first)!, vectorKeyOf(first), d0, LOAD_BATCH)) {
      if (signal.aborted) throw signal.reason;
      for (let i = 0; i < batch.documentIds.length; i++) {
        const id = batch.documentIds[i]!;
        if (allowed && !allowed.has(id)) continue;
        if (documentIds.length === capacity) break; // documents added while loading wait for the next execution
        data0.set(batch.vectors.subarray(i * d0, (i + 1) * d0), documentIds.length * d0);
        documentIds.push(id);
      }
    }
    if (documentIds.length * d0 !== data0.length) data0 = data0.slice(0, documentIds.length * d0);
    let blocks: FeatureBlock[] = [{ uri: first, d: d0, data: data0 }];
    if (uris.length === 1) return { documentIds, features: blocks };

    const rowOf = new Map(documentIds.map((id, i) => [id, i]));
    const present = new Uint8Array(documentIds.length).fill(1);
    for (const uri of uris.slice(1)) {
      const d = dims.get(uri)!;
      const data = new Float32Array(documentIds.length * d);
      const seen = new Uint8Array(documentIds.length);
      for await (const batch of this.store.documents.streamVectors(collectionsWith.get(uri)!, vectorKeyOf(uri), d, LOAD_BATCH)) {
        if (signal.aborted) throw signal.reason;
        for (let i = 0; i < batch.documentIds.length; i++) {
          const row = rowOf.get(batch.documentIds[i]!);
          if (row === undefined) continue;
          data.set(batch.vectors.subarray(i * d, (i + 1) * d), row * d);
          seen[row] = 1;
        }
      }
      for (let r = 0; r < present.length; r++) present[r]! &= seen[r]!;
      blocks.push({ uri, d, data });
    }
    const keep: number[] = [];
    for (let r = 0; r < present.length; r++) if (present[r]) keep.push(r);
    if (keep.length === documentIds.length) return { documentIds, features: blocks };
    blocks = blocks.map((b) => {
      const data = new Float32Array(keep.length * b.d);
      keep.forEach((r, i) => data.set(b.data.subarray(r * b.d, (r + 1) * b.d), i * b.d));
      return { ...b, data };
    });
    return { documentIds: keep.map((r) => documentIds[r]!), features: blocks };
  }

  private async filteredIds(collections: string[], filters: Record<string, unknown>): Promise<Set<string>> {
    const filter = parseFilters(filters, ['filters'], documentFieldKind, DOCUMENT_FILTER_FIELDS_HELP);
    const ids = new Set<string>();
    for (const collectionId of collections) {
      for await (const batch of this.store.documents.scan(collectionId, SCAN_BATCH)) {
        for (const doc of batch) {
          if (!filter || matchesFilter(filter, (f) => readDocumentField(doc, f))) ids.add(doc.documentId);
        }
      }
    }
    return ids;
  }
}

function centroidSummaries(result: ClusteringOutput, ids: string[], featureUri: string | undefined): CentroidSummary[] {
  const out: CentroidSummary[] = [];
  for (let c = 0; c < result.k; c++) {
    if (result.counts[c] === 0) continue;
    out.push({
      cluster_id: ids[c]!,
      num_members: result.counts[c]!,
      label: null,
      summary: null,
      keywords: null,
      mean_cosine_similarity: finiteOrNull(result.meanCosineSimilarity[c]!),
      min_cosine_similarity: finiteOrNull(result.minCosineSimilarity[c]!),
      ...(featureUri ? { feature_uri: featureUri } : {}),
    });
  }
  return out;
}
