/** What the stores hand to services: plain records with parsed JSON and epoch-ms times. */
import type { ExecutionStatus } from './execution-status.ts';

export interface NamespaceRecord {
  namespaceId: string;
  namespaceName: string;
  description: string | null;
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface CollectionRecord {
  collectionId: string;
  namespaceId: string;
  collectionName: string;
  description: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface DocumentFeature {
  feature_extractor_id: string;
  payload: Record<string, unknown>;
}

export interface DocumentRecord {
  documentId: string;
  collectionId: string;
  namespaceId: string;
  metadata: Record<string, unknown>;
  features: DocumentFeature[];
  createdAt: number;
  updatedAt: number;
}

export interface NewDocument {
  documentId: string;
  metadata: Record<string, unknown>;
  features: DocumentFeature[];
  vectors: Map<string, Float32Array>;
}

export interface ClusterRecord {
  clusterId: string;
  namespaceId: string;
  clusterName: string;
  description: string | null;
  /** The validated create request with defaults applied. */
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  lastExecutedAt: number | null;
}

export interface ExecutionMetrics {
  silhouette_score: number | null;
  davies_bouldin_index: number | null;
  calinski_harabasz_score: number | null;
  silhouette_sample_size: number | null;
}

export interface CentroidSummary {
  cluster_id: string;
  num_members: number;
  label: string | null;
  summary: string | null;
  keywords: string[] | null;
  mean_cosine_similarity: number | null;
  min_cosine_similarity: number | null;
  /** Hierarchies (attribute grouping, independent per-feature clusterings): the enclosing cluster. */
  parent_cluster_id?: string | null;
  /** Attribute clustering: the attribute values every member shares. */
  attribute_values?: Record<string, unknown>;
  /** Independent multi-feature clustering: the feature this cluster was found in. */
  feature_uri?: string;
  /** Map coordinates of the cluster centre (2-D x, y; 3-D x3, y3, z3), as for members. */
  coordinates?: CentroidCoordinates;
}

export interface CentroidCoordinates {
  x: number;
  y: number;
  x3: number;
  y3: number;
  z3: number;
}

/** How an execution ran: method-specific facts (iterations, inertia, sampling) and learned weights. */
export interface ExecutionDetails {
  algorithm: string;
  [fact: string]: unknown;
  learned_weights?: Record<string, number> | null;
  learning_quality_score?: number | null;
}

export interface ExecutionRecord {
  runId: string;
  taskId: string;
  clusterId: string;
  namespaceId: string;
  status: ExecutionStatus;
  canceled: boolean;
  cancelRequested: boolean;
  numClusters: number;
  numPoints: number;
  metrics: ExecutionMetrics | null;
  centroids: CentroidSummary[] | null;
  llmLabelingErrors: string[] | null;
  details: ExecutionDetails | null;
  errorMessage: string | null;
  config: Record<string, unknown>;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
}

export interface ExecutionOutcome {
  numClusters: number;
  numPoints: number;
  metrics: ExecutionMetrics;
  centroids: CentroidSummary[];
  llmLabelingErrors: string[] | null;
  details: ExecutionDetails;
}

export interface MemberRow {
  documentId: string;
  clusterId: string;
  distanceToCentroid: number | null;
  /** Map coordinates: x, y of the 2-D projection and x3, y3, z3 of the 3-D one; absent when none was computed. */
  x?: number | null;
  y?: number | null;
  x3?: number | null;
  y3?: number | null;
  z3?: number | null;
}

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  keyPrefix: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

export interface PageWindow {
  limit: number;
  offset: number;
}
