import type { FieldKind } from './filters.ts';

/** Fields of an execution that filters may name, with how their values compare. */
export const EXECUTION_FILTER_FIELDS: Readonly<Record<string, FieldKind>> = {
  run_id: 'string',
  status: 'string',
  created_at: 'timestamp',
  started_at: 'timestamp',
  completed_at: 'timestamp',
  num_clusters: 'number',
  num_points: 'number',
  error_message: 'string',
  'metrics.silhouette_score': 'number',
  'metrics.davies_bouldin_index': 'number',
  'metrics.calinski_harabasz_score': 'number',
};

/** Fields `sort.field` may name (the seed's sortable fields plus started_at and run_id). */
export const EXECUTION_SORT_FIELDS = [
  'created_at', 'completed_at', 'started_at', 'num_clusters', 'num_points', 'status', 'run_id',
  'metrics.silhouette_score', 'metrics.davies_bouldin_index', 'metrics.calinski_harabasz_score',
] as const;
