/**
 * Cluster execution (run) shapes. These follow the 0.82 seed documents where they differ from the
 * 0.81 reference: centroid ids may be cl_-1, cl_cluster_noise or cl_0_sub_1, and centroids carry
 * cosine-similarity figures.
 */
import { Type, type Static } from 'typebox';
import { DateTime, FilterGroup, MapOf, Nullable, PaginationResponse, SortOption, StringEnum } from './common.ts';

export const EXECUTION_STATUS_VALUES = ['pending', 'processing', 'completed', 'failed'] as const;
export const RUN_ID_PATTERN = '^run_[a-zA-Z0-9]+$';
export const CLUSTER_ID_PATTERN = '^clust_[a-zA-Z0-9]+$';
export const CENTROID_ID_PATTERN = '^cl_(-?[0-9]+(_sub_[0-9]+)*|cluster_noise)$';

export const ClusterExecutionMetrics = Type.Object(
  {
    silhouette_score: Type.Optional(
      Nullable(Type.Number({ minimum: -1, maximum: 1 }), { description: 'Cohesion vs separation, -1..1; higher is better.' }),
    ),
    davies_bouldin_index: Type.Optional(Nullable(Type.Number({ minimum: 0 }), { description: 'Cluster overlap, 0 and up; lower is better.' })),
    calinski_harabasz_score: Type.Optional(
      Nullable(Type.Number({ minimum: 0 }), { description: 'Between- vs within-cluster dispersion; higher is better.' }),
    ),
    silhouette_sample_size: Type.Optional(
      Nullable(Type.Integer({ minimum: 0 }), { description: 'How many points the silhouette score was computed on (Centroid extension).' }),
    ),
  },
  { title: 'ClusterExecutionMetrics', description: 'Quality scores of a finished run; null when they could not be computed.' },
);
export type ClusterExecutionMetrics = Static<typeof ClusterExecutionMetrics>;

export const ClusterExecutionCentroid = Type.Object(
  {
    cluster_id: Type.String({ pattern: CENTROID_ID_PATTERN, description: 'Cluster label within the run: cl_0, cl_-1 (noise), cl_0_sub_1, cl_cluster_noise.' }),
    num_members: Type.Integer({ minimum: 0, description: 'Documents assigned to this cluster.' }),
    label: Type.Optional(Nullable(Type.String(), { description: 'Short generated name, when labeling ran.' })),
    summary: Type.Optional(Nullable(Type.String(), { description: 'Generated description, when requested.' })),
    keywords: Type.Optional(Nullable(Type.Array(Type.String()), { description: 'Representative terms, when requested.' })),
    mean_cosine_similarity: Type.Optional(Nullable(Type.Number(), { description: 'Average member-to-centroid cosine similarity.' })),
    min_cosine_similarity: Type.Optional(Nullable(Type.Number(), { description: 'Lowest member-to-centroid cosine similarity.' })),
    // Centroid extensions.
    parent_cluster_id: Type.Optional(Nullable(Type.String({ pattern: CENTROID_ID_PATTERN }), { description: 'Enclosing cluster in a hierarchy (attribute grouping, independent features).' })),
    attribute_values: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Attribute clustering: the values every member shares.' })),
    feature_uri: Type.Optional(Type.String({ description: "multi_feature_strategy 'independent': the feature this cluster was found in." })),
  },
  { title: 'ClusterExecutionCentroid', description: 'One cluster found by a run.' },
);
export type ClusterExecutionCentroid = Static<typeof ClusterExecutionCentroid>;

export const ClusterExecutionResult = Type.Object(
  {
    run_id: Type.String({ pattern: RUN_ID_PATTERN, description: 'Id of this run.' }),
    cluster_id: Type.String({ pattern: CLUSTER_ID_PATTERN, description: 'Cluster definition that was run.' }),
    status: StringEnum(EXECUTION_STATUS_VALUES, { description: 'pending → processing → completed | failed.' }),
    num_clusters: Type.Integer({ minimum: 0, description: 'Clusters found; 0 until the run completes.' }),
    num_points: Type.Integer({ minimum: 0, description: 'Documents considered by the run.' }),
    metrics: Type.Optional(Nullable(ClusterExecutionMetrics)),
    centroids: Type.Optional(Nullable(Type.Array(ClusterExecutionCentroid), { description: 'Clusters found, once completed.' })),
    created_at: DateTime({ description: 'When the run was queued.' }),
    completed_at: Type.Optional(Nullable(DateTime(), { description: 'When the run finished or failed.' })),
    error_message: Type.Optional(Nullable(Type.String(), { description: 'Why the run failed.' })),
    llm_labeling_errors: Type.Optional(Nullable(Type.Array(Type.String()), { description: 'Labeling problems that did not fail the run.' })),
    // Centroid extensions.
    task_id: Type.Optional(Nullable(Type.String(), { description: 'Background task of this run (Centroid extension).' })),
    started_at: Type.Optional(Nullable(DateTime(), { description: 'When a worker picked the run up (Centroid extension).' })),
    execution_time_ms: Type.Optional(Nullable(Type.Number({ minimum: 0 }), { description: 'Run duration in milliseconds (Centroid extension).' })),
    algorithm_details: Type.Optional(
      Nullable(Type.Record(Type.String(), Type.Unknown()), {
        description: 'How the run went (Centroid extension): algorithm, points fitted, how unsampled documents were assigned, iterations, inertia, learned weights…',
      }),
    ),
  },
  { title: 'ClusterExecutionResult', description: 'Outcome of one clustering run.' },
);
export type ClusterExecutionResult = Static<typeof ClusterExecutionResult>;

export const ListClusterExecutionsRequest = Type.Object(
  {
    filters: Type.Optional(Nullable(FilterGroup)),
    sort: Type.Optional(Nullable(SortOption)),
    search: Type.Optional(Nullable(Type.String(), { description: 'Free-text match on run fields.' })),
  },
  { title: 'ListClusterExecutionsRequest', additionalProperties: false },
);
export type ListClusterExecutionsRequest = Static<typeof ListClusterExecutionsRequest>;

export const ClusterExecutionListStats = Type.Object(
  {
    total_executions: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    executions_by_status: Type.Optional(MapOf(Type.Integer(), { description: 'Count per status.' })),
    avg_execution_time_ms: Type.Optional(Type.Number({ minimum: 0, default: 0 })),
    total_documents_clustered: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    avg_num_clusters: Type.Optional(Type.Number({ minimum: 0, default: 0 })),
  },
  { title: 'ClusterExecutionListStats', description: 'Aggregates over the listed runs.' },
);
export type ClusterExecutionListStats = Static<typeof ClusterExecutionListStats>;

export const ListClusterExecutionsResponse = Type.Object(
  {
    results: Type.Array(ClusterExecutionResult),
    pagination: PaginationResponse,
    total_count: Type.Integer({ minimum: 0 }),
    stats: Type.Optional(Nullable(ClusterExecutionListStats)),
  },
  { title: 'ListClusterExecutionsResponse' },
);
export type ListClusterExecutionsResponse = Static<typeof ListClusterExecutionsResponse>;

export const ExecutionArtifactsQuery = Type.Object(
  {
    include_centroids: Type.Optional(Type.Boolean({ default: true, description: 'Return the clusters found.' })),
    include_members: Type.Optional(Type.Boolean({ default: false, description: 'Return document assignments (paged).' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000, description: 'Members per page.' })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page.' })),
    projection_method: Type.Optional(
      StringEnum(['2d', '3d'], { default: '2d', description: 'Map coordinates to return: x, y of the 2-D projection, or x, y, z of the 3-D one.' }),
    ),
    format: Type.Optional(
      StringEnum(['json', 'csv', 'parquet'], {
        default: 'json',
        description: 'json: this object, members paged. csv / parquet: a download of every member (document_id, cluster_id, cluster_label, distance_to_centroid, x, y[, z]), streamed.',
      }),
    ),
    representatives: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, default: 5, description: 'Members nearest each centroid to list on it (0: none).' }),
    ),
  },
  { title: 'ExecutionArtifactsQuery' },
);
export type ExecutionArtifactsQuery = Static<typeof ExecutionArtifactsQuery>;

export const ArtifactMember = Type.Object(
  {
    document_id: Type.String(),
    cluster_id: Type.String({ pattern: CENTROID_ID_PATTERN, description: 'Cluster label the document was assigned to.' }),
    distance_to_centroid: Nullable(Type.Number({ minimum: 0 }), { description: 'Distance to its cluster centre; null for noise.' }),
    x: Type.Optional(Nullable(Type.Number(), { description: 'Map x (projection_method); null when the run stored no coordinates.' })),
    y: Type.Optional(Nullable(Type.Number(), { description: 'Map y.' })),
    z: Type.Optional(Nullable(Type.Number(), { description: 'Map z; only with projection_method=3d.' })),
  },
  { title: 'ArtifactMember', description: 'One document assignment of a run.' },
);

export const RepresentativeDocument = Type.Object(
  {
    document_id: Type.String(),
    distance_to_centroid: Type.Number({ minimum: 0 }),
  },
  { title: 'RepresentativeDocument', description: 'A member near its cluster centre.' },
);

export const ArtifactCentroid = Type.Object(
  {
    ...ClusterExecutionCentroid.properties,
    x: Type.Optional(Nullable(Type.Number(), { description: 'Map x of the cluster centre (projection_method).' })),
    y: Type.Optional(Nullable(Type.Number(), { description: 'Map y.' })),
    z: Type.Optional(Nullable(Type.Number(), { description: 'Map z; only with projection_method=3d.' })),
    representatives: Type.Optional(Type.Array(RepresentativeDocument, { description: 'The members nearest the centre, nearest first (query representatives=N).' })),
  },
  { title: 'ArtifactCentroid', description: 'A cluster of a run with its map position and representative documents.' },
);
export type ArtifactCentroid = Static<typeof ArtifactCentroid>;
export type ArtifactMember = Static<typeof ArtifactMember>;

export const ExecutionArtifactsResponse = Type.Object(
  {
    cluster_id: Type.String({ pattern: CLUSTER_ID_PATTERN }),
    run_id: Type.String({ pattern: RUN_ID_PATTERN }),
    centroids: Nullable(Type.Array(ArtifactCentroid), { description: 'null when include_centroids=false.' }),
    members: Nullable(Type.Array(ArtifactMember), { description: 'null when include_members=false.' }),
    projection_method: Type.Optional(StringEnum(['2d', '3d'], { description: 'Which map the x, y (, z) coordinates come from.' })),
    projection: Type.Optional(
      Nullable(Type.Record(Type.String(), Type.Unknown()), { description: 'How the coordinates were computed (method, fitted_points, explained_variance_ratio…); null when the run has none.' }),
    ),
    next_cursor: Nullable(Type.String(), { description: 'Cursor for the next page of members; null when done.' }),
    total_members: Type.Integer({ minimum: 0, description: 'Assignments in the whole run.' }),
  },
  { title: 'ExecutionArtifactsResponse', description: 'Centroids and member assignments of one run.' },
);
export type ExecutionArtifactsResponse = Static<typeof ExecutionArtifactsResponse>;

export const CancelExecutionResponse = Type.Object(
  {
    run_id: Type.String({ pattern: RUN_ID_PATTERN }),
    cluster_id: Type.String({ pattern: CLUSTER_ID_PATTERN }),
    status: StringEnum(EXECUTION_STATUS_VALUES, { description: 'Status after the cancel request.' }),
    message: Type.String(),
  },
  { title: 'CancelExecutionResponse', description: 'Acknowledges a cancel request.' },
);
export type CancelExecutionResponse = Static<typeof CancelExecutionResponse>;
