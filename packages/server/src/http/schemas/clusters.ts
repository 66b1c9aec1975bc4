/**
 * Cluster definitions: create/patch/list requests and the stored-cluster responses.
 * Algorithm parameters live in cluster-params.ts and labeling in labeling.ts; both are re-exported
 * here so routes can import every cluster schema from one place.
 */
import { Type, type Static } from 'typebox';
import { DateTime, FilterGroup, LooseObject, MapOf, Nullable, PaginationResponse, SortOption, StringEnum } from './common.ts';
import { ClusteringAlgorithm } from './cluster-params.ts';
import { LLMLabeling, SourceEnrichmentConfig } from './labeling.ts';
import { TASK_STATUSES } from './tasks.ts';

export * from './cluster-params.ts';
export * from './labeling.ts';

export const ClusterType = StringEnum(['vector', 'attribute'], { title: 'ClusterType' });
export type ClusterType = Static<typeof ClusterType>;

export const WeightLearningConfig = Type.Object(
  {
    method: Type.Optional(StringEnum(['grid_search', 'bayesian'], { default: 'bayesian', description: 'Search strategy for feature weights.' })),
    max_iterations: Type.Optional(Type.Integer({ minimum: 5, maximum: 100, default: 20, description: 'Weight combinations to try.' })),
    metric: Type.Optional(
      StringEnum(['silhouette', 'davies_bouldin', 'calinski_harabasz'], { default: 'silhouette', description: 'Quality score to optimise.' }),
    ),
    sample_size: Type.Optional(Nullable(Type.Integer({ minimum: 100 }), { description: 'Points used while searching; null uses all.' })),
    random_state: Type.Optional(Type.Integer({ default: 42, description: 'Seed for the search.' })),
  },
  { title: 'WeightLearningConfig', additionalProperties: false, description: 'Learns per-feature weights for multi-feature clustering.' },
);
export type WeightLearningConfig = Static<typeof WeightLearningConfig>;

/** Centroid extension: re-cluster large clusters into children cl_N_sub_M (k-means inside each cluster). */
export const SubClusterHierarchy = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'Set false to keep the option but build no sub-clusters.' })),
    max_depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 1, description: 'Levels below the top-level clusters.' })),
    min_cluster_size: Type.Optional(Type.Integer({ minimum: 4, default: 20, description: 'Members a cluster needs before it is split.' })),
    n_subclusters: Type.Optional(
      Type.Union([Type.Integer({ minimum: 2, maximum: 20 }), StringEnum(['auto'])], {
        default: 'auto',
        description: "Children per split, or 'auto' (k from 2 to 8 by best silhouette).",
      }),
    ),
  },
  { title: 'SubClusterHierarchy', additionalProperties: false, description: 'Sub-clusters under each large enough cluster (Centroid extension).' },
);
export type SubClusterHierarchy = Static<typeof SubClusterHierarchy>;

/** Centroid extension: how the 2-D / 3-D map coordinates of a run are computed. */
export const ProjectionOptions = Type.Object(
  {
    method: Type.Optional(
      StringEnum(['auto', 'pca', 'umap'], {
        default: 'auto',
        description: "'pca' always; 'umap' always (fitted on a sample of large runs, the rest placed by their neighbours); 'auto' uses UMAP for small runs and PCA otherwise.",
      }),
    ),
    // No schema defaults: with method 'pca' these must stay absent (15 and 0.1 are filled in for UMAP).
    n_neighbors: Type.Optional(Type.Integer({ minimum: 2, maximum: 200, description: 'UMAP: neighbourhood size, default 15; larger keeps more global structure.' })),
    min_dist: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'UMAP: how tightly points may pack in the map, default 0.1.' })),
  },
  { title: 'ProjectionOptions', additionalProperties: false, description: 'Map coordinates for scatter plots (Centroid extension).' },
);
export type ProjectionOptions = Static<typeof ProjectionOptions>;

const LegacyParams = (method: string) =>
  Type.Optional(Nullable(LooseObject(), { description: `Older spelling of algorithm_params for ${method}; checked against the same schema.` }));

export const VectorBasedConfig = Type.Object(
  {
    feature_uri: Type.Optional(Nullable(Type.String(), { description: 'Vector to cluster on, e.g. mixpeek://extractor@v1/embedding or a vector name.' })),
    feature_uris: Type.Optional(Nullable(Type.Array(Type.String(), { minItems: 1 }), { description: 'Several vectors for multi-feature clustering.' })),
    feature_extractor_name: Type.Optional(Nullable(Type.String(), { description: 'Extractor name, as an alternative to feature_uri.' })),
    version: Type.Optional(Nullable(Type.String(), { description: 'Extractor version, used with feature_extractor_name.' })),
    output_name: Type.Optional(Nullable(Type.String(), { description: 'Extractor output, used with feature_extractor_name.' })),
    clustering_method: ClusteringAlgorithm,
    sample_size: Type.Optional(Nullable(Type.Integer(), { description: 'Cluster a random sample of this many documents; null uses all.' })),
    kmeans_parameters: LegacyParams('kmeans'),
    dbscan_parameters: LegacyParams('dbscan'),
    hdbscan_parameters: LegacyParams('hdbscan'),
    algorithm_params: Type.Optional(
      Nullable(LooseObject(), {
        title: 'Algorithm Params',
        description:
          'Parameters of clustering_method: KMeansParams, DBSCANParams, HDBSCANParams, AgglomerativeParams, SpectralParams, ' +
          'GaussianMixtureParams, MeanShiftParams or OPTICSParams. Checked against the matching schema after this one.',
      }),
    ),
    multi_feature_strategy: Type.Optional(
      StringEnum(['concatenate', 'independent', 'weighted'], { default: 'concatenate', description: 'How several vectors are combined.' }),
    ),
    normalize_features: Type.Optional(Type.Boolean({ default: true, description: 'L2-normalise vectors before clustering.' })),
    feature_weights: Type.Optional(Nullable(MapOf(Type.Number()), { description: 'Weight per feature URI for the weighted strategy.' })),
    weight_learning_config: Type.Optional(Nullable(WeightLearningConfig)),
    output_strategy: Type.Optional(StringEnum(['single', 'per_feature'], { default: 'single', description: 'One result, or one per feature.' })),
    effective_feature_method: Type.Optional(
      StringEnum(['mean', 'median', 'medoid'], { default: 'mean', description: 'How a cluster representative is computed.' }),
    ),
    enrich_source: Type.Optional(Type.Boolean({ default: false, description: 'Write cluster assignments back to source documents.' })),
    hierarchy: Type.Optional(Nullable(SubClusterHierarchy)),
    projection: Type.Optional(Nullable(ProjectionOptions)),
  },
  { title: 'VectorBasedConfig', additionalProperties: false, description: 'Clustering on embedding vectors.' },
);
export type VectorBasedConfig = Static<typeof VectorBasedConfig>;

export const AttributeBasedConfig = Type.Object(
  {
    attributes: Type.Array(Type.String(), { minItems: 1, description: 'Metadata fields to group by.' }),
    hierarchical_grouping: Type.Optional(Type.Boolean({ default: false, description: 'Nest groups in attribute order.' })),
    aggregation_method: Type.Optional(Nullable(Type.String(), { description: 'How grouped values are aggregated.' })),
  },
  { title: 'AttributeBasedConfig', additionalProperties: false, description: 'Grouping by metadata values instead of vectors.' },
);
export type AttributeBasedConfig = Static<typeof AttributeBasedConfig>;

export const CreateClusterRequest = Type.Object(
  {
    collection_ids: Type.Array(Type.String(), { minItems: 1, description: 'Collections whose documents are clustered.' }),
    cluster_name: Type.Optional(Nullable(Type.String(), { description: 'Unique name in the namespace; generated when omitted.' })),
    cluster_type: Type.Optional(StringEnum(['vector', 'attribute'], { title: 'ClusterType', default: 'vector' })),
    vector_config: Type.Optional(Nullable(VectorBasedConfig)),
    attribute_config: Type.Optional(Nullable(AttributeBasedConfig)),
    filters: Type.Optional(Nullable(FilterGroup, { description: 'Only documents matching this filter are clustered.' })),
    llm_labeling: Type.Optional(Nullable(LLMLabeling)),
    enrich_source_collection: Type.Optional(Type.Boolean({ default: false, description: 'Write results back to the source collection.' })),
    source_enrichment_config: Type.Optional(Nullable(SourceEnrichmentConfig)),
    // Centroid extensions (not in the reference): stored and echoed in ClusterMetadata.
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text about the cluster (Centroid extension).' })),
    metadata: Type.Optional(Nullable(LooseObject(), { description: 'Arbitrary user data (Centroid extension).' })),
  },
  { title: 'CreateClusterRequest', additionalProperties: false, description: 'Defines a cluster; run it with POST /v1/clusters/{id}/execute.' },
);
export type CreateClusterRequest = Static<typeof CreateClusterRequest>;

export const PatchClusterRequest = Type.Object(
  {
    cluster_name: Type.Optional(Nullable(Type.String(), { description: 'New name.' })),
    metadata: Type.Optional(Nullable(LooseObject(), { description: 'Replacement metadata.' })),
    description: Type.Optional(Nullable(Type.String(), { description: 'New description (Centroid extension).' })),
  },
  { title: 'PatchClusterRequest', additionalProperties: false, description: 'Fields of a cluster that may change after creation.' },
);
export type PatchClusterRequest = Static<typeof PatchClusterRequest>;

const strings = () => Type.Array(Type.String());

export const ClusterMetadata = Type.Object(
  {
    cluster_id: Type.String({ description: 'Cluster id (clust_…).' }),
    cluster_name: Type.String(),
    namespace_id: Type.String(),
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text about the cluster (Centroid extension).' })),
    input_collections: Type.Array(Type.String(), { description: 'Collections the cluster reads.' }),
    source_bucket_ids: Type.Optional(Nullable(strings())),
    filters: Type.Optional(Nullable(LooseObject(), { description: 'Document filter applied before clustering.' })),
    cluster_type: StringEnum(['vector', 'attribute']),
    feature_uris: Type.Optional(Nullable(strings(), { description: 'Vectors clustered on.' })),
    multi_feature_strategy: Type.Optional(Nullable(Type.String())),
    learned_weights: Type.Optional(Nullable(MapOf(Type.Number()), { description: 'Weights found by weight learning.' })),
    learning_quality_score: Type.Optional(Nullable(Type.Number())),
    effective_feature_method: Type.Optional(Nullable(Type.String())),
    clustered_attributes: Type.Optional(Nullable(strings(), { description: 'Attributes grouped on (attribute clusters).' })),
    hierarchical_grouping: Type.Optional(Nullable(Type.Boolean())),
    aggregation_method: Type.Optional(Nullable(Type.String())),
    output_collection_ids: Type.Optional(strings()),
    output_collection_names: Type.Optional(strings()),
    algorithm: Type.Optional(Nullable(Type.String(), { description: 'Clustering method.' })),
    algorithm_params: Type.Optional(Nullable(LooseObject(), { description: 'Parameters with defaults filled in.' })),
    enrich_source: Type.Optional(Type.Boolean({ default: false })),
    source_enrichment_config: Type.Optional(Nullable(SourceEnrichmentConfig)),
    llm_labeling: Type.Optional(Nullable(LLMLabeling)),
    num_clusters: Type.Optional(Nullable(Type.Integer(), { description: 'Clusters found by the latest completed run.' })),
    num_documents_clustered: Type.Optional(Nullable(Type.Integer())),
    execution_time_seconds: Type.Optional(Nullable(Type.Number())),
    hierarchy_detected: Type.Optional(Type.Boolean({ default: false })),
    parent_cluster_id: Type.Optional(Nullable(Type.String())),
    child_cluster_ids: Type.Optional(Nullable(strings())),
    hierarchy_relationships: Type.Optional(Nullable(Type.Array(LooseObject()))),
    status: StringEnum(TASK_STATUSES, { title: 'TaskStatusEnum', default: 'PENDING', description: 'State of the latest run.' }),
    last_execution_task_id: Type.Optional(Nullable(Type.String())),
    created_at: DateTime(),
    updated_at: DateTime(),
    last_executed_at: Type.Optional(Nullable(DateTime())),
    completed_at: Type.Optional(Nullable(DateTime())),
    llm_labeling_errors: Type.Optional(Nullable(strings())),
    metadata: Type.Optional(LooseObject({ description: 'Arbitrary user data.' })),
  },
  { title: 'ClusterMetadata', description: 'A stored cluster definition plus a summary of its latest run.' },
);
export type ClusterMetadata = Static<typeof ClusterMetadata>;

export const ClusterStats = Type.Object(
  {
    num_clusters: Type.Integer(),
    noise_points: Type.Optional(Nullable(Type.Integer())),
    silhouette_score: Type.Optional(Nullable(Type.Number())),
    extra: Type.Optional(LooseObject()),
  },
  { title: 'ClusterStats', description: 'Headline numbers of the latest run.' },
);
export type ClusterStats = Static<typeof ClusterStats>;

/** Returned by PATCH, as in the reference: the create request's fields plus stored state. */
export const ClusterModel = Type.Object(
  {
    collection_ids: Type.Optional(Nullable(Type.Array(Type.String(), { minItems: 1 }))),
    cluster_name: Type.Optional(Nullable(Type.String())),
    cluster_type: Type.Optional(StringEnum(['vector', 'attribute'], { title: 'ClusterType', default: 'vector' })),
    vector_config: Type.Optional(Nullable(VectorBasedConfig)),
    attribute_config: Type.Optional(Nullable(AttributeBasedConfig)),
    filters: Type.Optional(Nullable(FilterGroup)),
    llm_labeling: Type.Optional(Nullable(LLMLabeling)),
    enrich_source_collection: Type.Optional(Type.Boolean({ default: false })),
    source_enrichment_config: Type.Optional(Nullable(SourceEnrichmentConfig)),
    cluster_id: Type.Optional(Type.String()),
    description: Type.Optional(Nullable(Type.String(), { description: 'Centroid extension.' })),
    parquet_path: Type.Optional(Nullable(Type.String())),
    members_key: Type.Optional(Nullable(Type.String())),
    num_clusters: Type.Optional(Nullable(Type.Integer())),
    cluster_stats: Type.Optional(Nullable(ClusterStats)),
    status: Type.Optional(StringEnum(TASK_STATUSES, { title: 'TaskStatusEnum', default: 'PENDING' })),
    task_id: Type.Optional(Nullable(Type.String())),
    last_run_id: Type.Optional(Nullable(Type.String())),
    created_at: Type.Optional(DateTime()),
    updated_at: Type.Optional(DateTime()),
    metadata: Type.Optional(LooseObject()),
  },
  { title: 'ClusterModel', description: 'A cluster as stored, in the shape of its create request.' },
);
export type ClusterModel = Static<typeof ClusterModel>;

export const ListClustersRequest = Type.Object(
  {
    filters: Type.Optional(Nullable(FilterGroup)),
    sort: Type.Optional(Nullable(SortOption)),
    search: Type.Optional(Nullable(Type.String(), { description: 'Free-text match on cluster names.' })),
  },
  { title: 'ListClustersRequest', additionalProperties: false },
);
export type ListClustersRequest = Static<typeof ListClustersRequest>;

export const ClusterListStats = Type.Object(
  {
    total_clusters: Type.Optional(Type.Integer({ default: 0 })),
    total_documents: Type.Optional(Type.Integer({ default: 0 })),
    avg_documents_per_cluster: Type.Optional(Type.Number({ default: 0 })),
    clusters_by_status: Type.Optional(MapOf(Type.Integer(), { description: 'Count per status.' })),
  },
  { title: 'ClusterListStats', description: 'Aggregates over the listed clusters.' },
);
export type ClusterListStats = Static<typeof ClusterListStats>;

export const ListClustersResponse = Type.Object(
  {
    results: Type.Array(ClusterMetadata),
    pagination: PaginationResponse,
    total_count: Type.Integer(),
    stats: Type.Optional(Nullable(ClusterListStats)),
  },
  { title: 'ListClustersResponse' },
);
export type ListClustersResponse = Static<typeof ListClustersResponse>;
