/** The slices of the API's wire shapes the dashboard reads (see /openapi.json for the full ones). */
export type ExecutionStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface Pagination {
  total?: number | null;
  page?: number | null;
  page_size?: number | null;
  total_pages?: number | null;
  next_page?: string | null;
  previous_page?: string | null;
}

export interface ListResponse<T> {
  results: T[];
  pagination: Pagination;
  total_count: number;
}

export interface Namespace {
  namespace_id: string;
  namespace_name: string;
  description?: string | null;
  document_count?: number | null;
}

export interface Collection {
  collection_id: string;
  collection_name: string;
  document_count: number;
  vector_dimensions: Record<string, number>;
}

export interface Cluster {
  cluster_id: string;
  cluster_name: string;
  description?: string | null;
  input_collections: string[];
  cluster_type: 'vector' | 'attribute';
  feature_uris?: string[] | null;
  algorithm?: string | null;
  algorithm_params?: Record<string, unknown> | null;
  num_clusters?: number | null;
  num_documents_clustered?: number | null;
  status: string;
  last_run_id?: string | null;
  last_executed_at?: string | null;
  created_at: string;
}

export interface Metrics {
  silhouette_score?: number | null;
  davies_bouldin_index?: number | null;
  calinski_harabasz_score?: number | null;
  silhouette_sample_size?: number | null;
}

export interface Centroid {
  cluster_id: string;
  num_members: number;
  label?: string | null;
  summary?: string | null;
  keywords?: string[] | null;
  mean_cosine_similarity?: number | null;
  min_cosine_similarity?: number | null;
  parent_cluster_id?: string | null;
}

export interface Execution {
  run_id: string;
  cluster_id: string;
  task_id?: string | null;
  status: ExecutionStatus;
  num_clusters: number;
  num_points: number;
  metrics?: Metrics | null;
  centroids?: Centroid[] | null;
  created_at: string;
  started_at?: string | null;
  completed_at?: string | null;
  execution_time_ms?: number | null;
  error_message?: string | null;
  llm_labeling_errors?: string[] | null;
  algorithm_details?: Record<string, unknown> | null;
}

export interface ExecutionStats {
  total_executions?: number;
  executions_by_status?: Record<string, number>;
  avg_execution_time_ms?: number;
  total_documents_clustered?: number;
  avg_num_clusters?: number;
}

export interface ExecutionList extends ListResponse<Execution> {
  stats?: ExecutionStats | null;
}

export interface TaskResponse {
  task_id: string;
  status: string;
  additional_data?: { run_id?: string } & Record<string, unknown>;
}

export interface ValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface DocumentResponse {
  document_id: string;
  collection_id: string;
  metadata: Record<string, unknown>;
  features?: unknown[];
}

/** One point of the scatter endpoint's companion lookup. */
export interface ScatterPoint {
  index: number;
  document_id: string;
  cluster_id: string;
  x: number | null;
  y: number | null;
}
