/**
 * Table shapes as Kysely sees them. Timestamps are epoch milliseconds (portable across
 * SQLite and PostgreSQL, cheap to compare and sort); JSON columns hold text; vectors are
 * little-endian float32 blobs.
 */
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  key_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface NamespacesTable {
  namespace_id: string;
  namespace_name: string;
  description: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface CollectionsTable {
  collection_id: string;
  namespace_id: string;
  collection_name: string;
  description: string | null;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export interface CollectionVectorsTable {
  collection_id: string;
  vector_name: string;
  dimensions: number;
}

export interface DocumentsTable {
  collection_id: string;
  document_id: string;
  namespace_id: string;
  metadata: string;
  features: string;
  created_at: number;
  updated_at: number;
}

export interface DocumentVectorsTable {
  collection_id: string;
  vector_name: string;
  document_id: string;
  vector: Uint8Array;
}

export interface ImportRowsTable {
  import_id: string;
  row_index: number;
  document_id: string;
  metadata: string;
  features: string;
}

export interface ImportVectorsTable {
  import_id: string;
  row_index: number;
  vector_name: string;
  vector: Uint8Array;
}

export interface ClustersTable {
  cluster_id: string;
  namespace_id: string;
  cluster_name: string;
  description: string | null;
  config: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  last_executed_at: number | null;
}

export interface ExecutionsTable {
  run_id: string;
  task_id: string;
  cluster_id: string;
  namespace_id: string;
  status: string;
  /** Equals cluster_id while pending or processing, null after: a unique index makes "one in flight per cluster" a database rule. */
  in_flight_cluster_id: string | null;
  cancel_requested: number;
  canceled: number;
  num_clusters: number;
  num_points: number;
  silhouette_score: number | null;
  davies_bouldin_index: number | null;
  calinski_harabasz_score: number | null;
  silhouette_sample_size: number | null;
  centroids: string | null;
  llm_labeling_errors: string | null;
  /** JSON ExecutionDetails, null until completed. */
  details: string | null;
  /** Lower-cased run id, error message, labels and summaries: what `search` matches. */
  search_text: string;
  error_message: string | null;
  config: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  attempts: number;
  max_attempts: number;
  run_after: number;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface ExecutionMembersTable {
  run_id: string;
  member_index: number;
  document_id: string;
  cluster_id: string;
  distance_to_centroid: number | null;
  /** 2-D map coordinates; null for runs without a projection (attribute clustering, older runs). */
  x: number | null;
  y: number | null;
  /** 3-D map coordinates. */
  x3: number | null;
  y3: number | null;
  z3: number | null;
}

export interface ClusterTriggersTable {
  trigger_id: string;
  namespace_id: string;
  cluster_id: string;
  trigger_type: string;
  /** JSON: the validated schedule_config with defaults. */
  schedule_config: string;
  /** JSON: {collection_ids, config} as the reference shows it. */
  execution_config: string;
  status: string;
  /** Why the trigger is not active (auto-pause after failures), null otherwise. */
  status_reason: string | null;
  description: string | null;
  created_by: string | null;
  /** When a scheduler next evaluates the trigger; the compare-and-set claim key. */
  next_fire_at: number | null;
  last_triggered_at: number | null;
  last_execution_job_id: string | null;
  last_execution_status: string | null;
  last_execution_error: string | null;
  execution_count: number;
  consecutive_failures: number;
  event_counter: number;
  /** Event triggers count documents created after this time (creation or last fire). */
  baseline_at: number;
  /** Conditional triggers compare the document count with this one (at creation or last fire). */
  baseline_count: number | null;
  last_cooldown_at: number | null;
  created_at: number;
  updated_at: number;
  /** Soft delete, as the reference's DELETE describes. */
  deleted_at: number | null;
}

export interface TriggerFiresTable {
  fire_id: string;
  trigger_id: string;
  cluster_id: string;
  run_id: string | null;
  task_id: string | null;
  triggered_at: number;
  /** pending | processing | completed | failed while it follows its execution; skipped when none was started. */
  status: string;
  error: string | null;
  execution_time_ms: number | null;
  num_clusters: number | null;
  num_documents: number | null;
}

export interface LabelCacheTable {
  cache_key: string;
  /** JSON CachedLabel. */
  value: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  api_keys: ApiKeysTable;
  namespaces: NamespacesTable;
  collections: CollectionsTable;
  collection_vectors: CollectionVectorsTable;
  documents: DocumentsTable;
  document_vectors: DocumentVectorsTable;
  import_rows: ImportRowsTable;
  import_vectors: ImportVectorsTable;
  clusters: ClustersTable;
  executions: ExecutionsTable;
  execution_members: ExecutionMembersTable;
  cluster_triggers: ClusterTriggersTable;
  trigger_fires: TriggerFiresTable;
  label_cache: LabelCacheTable;
}

export type { Generated };
