/** The configuration an execution runs with: a create request, validated, with defaults applied. */

export interface KMeansConfig {
  n_clusters: number;
  max_iter: number;
  random_state: number | null;
  n_init: number;
  tol: number;
  init: 'k-means++' | 'random';
  verbose: number;
  copy_x: boolean;
  algorithm: 'lloyd' | 'elkan' | 'auto';
}

export interface VectorConfig {
  feature_uris: string[];
  clustering_method: 'kmeans';
  sample_size: number | null;
  algorithm_params: KMeansConfig;
  multi_feature_strategy: string;
  normalize_features: boolean;
  feature_weights: Record<string, number> | null;
  effective_feature_method: string;
  output_strategy: string;
  enrich_source: boolean;
}

export interface ClusterConfig {
  collection_ids: string[];
  cluster_type: 'vector';
  vector_config: VectorConfig;
  attribute_config: null;
  filters: Record<string, unknown> | null;
  llm_labeling: Record<string, unknown> | null;
  enrich_source_collection: boolean;
  source_enrichment_config: Record<string, unknown> | null;
}

/** `mixpeek://extractor@v1/output` and plain `output` both name a stored vector; this is its storage key. */
export function vectorKeyOf(featureUri: string): string {
  return featureUri.startsWith('mixpeek://') ? featureUri.slice('mixpeek://'.length) : featureUri;
}

