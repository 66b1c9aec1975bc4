/** The configuration an execution runs with: a create request, validated, with defaults applied. */

export const VECTOR_METHODS = ['kmeans', 'dbscan', 'hdbscan', 'agglomerative', 'spectral', 'gaussian_mixture', 'mean_shift', 'optics'] as const;
export type VectorMethod = (typeof VECTOR_METHODS)[number];

export type MultiFeatureStrategy = 'concatenate' | 'independent' | 'weighted';
export type EffectiveFeatureMethod = 'mean' | 'median' | 'medoid';
export type QualityMetricName = 'silhouette' | 'davies_bouldin' | 'calinski_harabasz';

export interface WeightLearningConfig {
  method: 'grid_search' | 'bayesian';
  max_iterations: number;
  metric: QualityMetricName;
  sample_size: number | null;
  random_state: number;
}

export interface VectorConfig {
  feature_uris: string[];
  clustering_method: VectorMethod;
  sample_size: number | null;
  /** The method's `*Params` object, validated, every default filled (snake_case, as on the wire). */
  algorithm_params: Record<string, unknown>;
  multi_feature_strategy: MultiFeatureStrategy;
  normalize_features: boolean;
  feature_weights: Record<string, number> | null;
  weight_learning_config: WeightLearningConfig | null;
  effective_feature_method: EffectiveFeatureMethod;
  output_strategy: string;
  enrich_source: boolean;
  /** Sub-clusters (cl_0_sub_1, …) under each large enough cluster; absent or null: none. */
  hierarchy?: HierarchyConfig | null;
  /** How map coordinates are computed; absent (configs stored before it existed) means 'auto' with UMAP's defaults. */
  projection?: ProjectionConfig;
}

/** Map coordinates (Centroid extension `vector_config.projection`): PCA always; UMAP on request or, for 'auto', on small runs. */
export interface ProjectionConfig {
  method: 'pca' | 'umap' | 'auto';
  n_neighbors: number;
  min_dist: number;
}

export interface HierarchyConfig {
  /** Levels below the top-level clusters (1–3). */
  max_depth: number;
  /** A cluster is split only when it has at least this many members. */
  min_cluster_size: number;
  /** Children per split, or 'auto': k-means for each k in a small range, best silhouette wins. */
  n_subclusters: number | 'auto';
}

export interface AttributeConfig {
  attributes: string[];
  hierarchical_grouping: boolean;
  aggregation_method: 'most_frequent' | 'first' | 'last';
}

interface CommonConfig {
  collection_ids: string[];
  filters: Record<string, unknown> | null;
  llm_labeling: Record<string, unknown> | null;
  enrich_source_collection: boolean;
  source_enrichment_config: Record<string, unknown> | null;
}

export interface VectorClusterConfig extends CommonConfig {
  cluster_type: 'vector';
  vector_config: VectorConfig;
  attribute_config: null;
}

export interface AttributeClusterConfig extends CommonConfig {
  cluster_type: 'attribute';
  vector_config: null;
  attribute_config: AttributeConfig;
}

export type ClusterConfig = VectorClusterConfig | AttributeClusterConfig;

/** `mixpeek://extractor@v1/output` and plain `output` both name a stored vector; this is its storage key. */
export function vectorKeyOf(featureUri: string): string {
  return featureUri.startsWith('mixpeek://') ? featureUri.slice('mixpeek://'.length) : featureUri;
}
