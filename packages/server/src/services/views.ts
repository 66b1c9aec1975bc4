/** Record → wire JSON, in the field names and shapes of the Mixpeek API. */
import { taskStatusOf } from '../domain/execution-status.ts';
import type { ClusterRecord, CollectionRecord, DocumentRecord, ExecutionRecord, NamespaceRecord } from '../domain/records.ts';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function namespaceView(ns: NamespaceRecord, counts?: { collections: number; documents: number }) {
  return {
    namespace_id: ns.namespaceId,
    namespace_name: ns.namespaceName,
    description: ns.description,
    feature_extractors: (ns.settings.feature_extractors as unknown[]) ?? [],
    payload_indexes: (ns.settings.payload_indexes as unknown[] | undefined) ?? null,
    auto_create_indexes: Boolean(ns.settings.auto_create_indexes),
    infrastructure: null,
    cluster_id: null,
    document_count: counts?.documents ?? null,
    collection_count: counts?.collections ?? null,
    bucket_count: null,
    object_count: null,
    vector_inference_map: null,
    created_at: iso(ns.createdAt),
    updated_at: iso(ns.updatedAt),
  };
}

export function collectionView(c: CollectionRecord, documentCount: number, dims: Map<string, number>) {
  return {
    collection_id: c.collectionId,
    collection_name: c.collectionName,
    namespace_id: c.namespaceId,
    description: c.description,
    metadata: c.metadata,
    document_count: documentCount,
    vector_dimensions: Object.fromEntries(dims),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
}

export function documentView(d: DocumentRecord & { vectors?: Record<string, number[]> }) {
  return {
    document_id: d.documentId,
    collection_id: d.collectionId,
    metadata: d.metadata,
    features: d.features,
    ...(d.vectors ? { vectors: d.vectors } : {}),
    document_blobs: [],
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
  };
}

export function executionView(e: ExecutionRecord) {
  return {
    run_id: e.runId,
    cluster_id: e.clusterId,
    task_id: e.taskId,
    status: e.status,
    num_clusters: e.numClusters,
    num_points: e.numPoints,
    metrics: e.metrics,
    // Map coordinates are served by the artifacts endpoint (ArtifactCentroid), as in the seed's split.
    centroids: e.centroids?.map(({ coordinates: _coordinates, ...c }) => c) ?? null,
    created_at: iso(e.createdAt)!,
    started_at: iso(e.startedAt),
    completed_at: iso(e.completedAt),
    execution_time_ms: e.completedAt !== null ? e.completedAt - e.createdAt : null,
    error_message: e.errorMessage,
    llm_labeling_errors: e.llmLabelingErrors,
    algorithm_details: e.details,
  };
}

export function taskView(e: ExecutionRecord) {
  const status = taskStatusOf(e.status, e.canceled);
  return {
    task_id: e.taskId,
    task_type: 'engine_cluster_build' as const,
    status,
    inputs: [e.clusterId],
    outputs: e.status === 'completed' ? [{ run_id: e.runId, num_clusters: e.numClusters, num_points: e.numPoints }] : null,
    additional_data: {
      run_id: e.runId,
      cluster_id: e.clusterId,
      namespace_id: e.namespaceId,
      execution_status: e.status,
      attempts: e.attempts,
      created_at: iso(e.createdAt),
      started_at: iso(e.startedAt),
      completed_at: iso(e.completedAt),
      ...(e.errorMessage ? { error: e.errorMessage } : {}),
    },
    error: e.status === 'failed' ? e.errorMessage : null,
  };
}

export function clusterView(c: ClusterRecord, latest: ExecutionRecord | null, lastCompleted: ExecutionRecord | null) {
  const cfg = c.config as Record<string, any>;
  const vector = cfg.vector_config as Record<string, any> | null;
  const attribute = cfg.attribute_config as Record<string, any> | null;
  const relationships = (lastCompleted?.details?.hierarchy_relationships as Record<string, unknown>[] | undefined) ?? null;
  return {
    cluster_id: c.clusterId,
    cluster_name: c.clusterName,
    description: c.description,
    namespace_id: c.namespaceId,
    input_collections: cfg.collection_ids as string[],
    source_bucket_ids: null,
    filters: cfg.filters ?? null,
    cluster_type: cfg.cluster_type,
    feature_uris: vector ? (vector.feature_uris as string[]) : null,
    multi_feature_strategy: vector ? vector.multi_feature_strategy : null,
    learned_weights: lastCompleted?.details?.learned_weights ?? null,
    learning_quality_score: lastCompleted?.details?.learning_quality_score ?? null,
    effective_feature_method: vector ? vector.effective_feature_method : null,
    clustered_attributes: attribute ? attribute.attributes : null,
    hierarchical_grouping: attribute ? Boolean(attribute.hierarchical_grouping) : null,
    aggregation_method: attribute ? (attribute.aggregation_method ?? null) : null,
    output_collection_ids: [],
    output_collection_names: [],
    algorithm: vector ? vector.clustering_method : 'attribute_based',
    algorithm_params: vector ? vector.algorithm_params : null,
    enrich_source: Boolean(cfg.enrich_source_collection),
    source_enrichment_config: cfg.source_enrichment_config ?? null,
    llm_labeling: cfg.llm_labeling ?? null,
    num_clusters: lastCompleted?.numClusters ?? null,
    num_documents_clustered: lastCompleted?.numPoints ?? null,
    execution_time_seconds: lastCompleted && lastCompleted.completedAt !== null ? (lastCompleted.completedAt - lastCompleted.createdAt) / 1000 : null,
    hierarchy_detected: Boolean(lastCompleted?.centroids?.some((x) => x.parent_cluster_id) || relationships?.length),
    parent_cluster_id: null,
    child_cluster_ids: null,
    hierarchy_relationships: relationships,
    status: latest ? taskStatusOf(latest.status, latest.canceled) : 'DRAFT',
    last_execution_task_id: latest?.taskId ?? null,
    last_run_id: latest?.runId ?? null,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    last_executed_at: iso(c.lastExecutedAt),
    completed_at: iso(lastCompleted?.completedAt ?? null),
    llm_labeling_errors: lastCompleted?.llmLabelingErrors ?? null,
    metadata: c.metadata,
  };
}
