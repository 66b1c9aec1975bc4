/** The message a clustering thread receives and the one it sends back. Plain data only. */
import type { EffectiveFeatureMethod, MultiFeatureStrategy, VectorMethod, WeightLearningConfig } from '../domain/cluster-config.ts';

export interface FeatureBlock {
  uri: string;
  /** n×d row-major; row i of every block belongs to the same document. */
  data: Float32Array;
  d: number;
}

export interface ClusterTaskInput {
  features: FeatureBlock[];
  n: number;
  method: VectorMethod;
  /** The method's validated `*Params` object, snake_case as on the wire. */
  params: Record<string, unknown>;
  strategy: MultiFeatureStrategy;
  normalize: boolean;
  /** One weight per feature block (concatenate); null means equal weights or, for 'weighted', learn them. */
  featureWeights: number[] | null;
  weightLearning: WeightLearningConfig | null;
  effectiveFeatureMethod: EffectiveFeatureMethod;
  /** Fit on this many seeded-random rows, then assign every row; null fits on all rows. */
  sampleSize: number | null;
  silhouetteExactMaxPoints: number;
  /** Drives sampling and every seeded step the method's own random_state does not cover. */
  seed: number;
  /** Map coordinates to compute; absent computes none. */
  projection?: ProjectionTask;
}

/** What the thread should project: PCA always, UMAP per `method` ('auto': up to `autoUmapMaxPoints` rows). */
export interface ProjectionTask {
  method: ProjectionMethod;
  nNeighbors: number;
  minDist: number;
  autoUmapMaxPoints: number;
  /** UMAP fits on at most this many rows and places the others. */
  umapMaxFitPoints: number;
}

export type ProjectionMethod = 'pca' | 'umap' | 'auto';

/** 2-D and 3-D map coordinates of every row (of the clustered space; the first feature for 'independent'). */
export interface ProjectionOutput {
  method: 'pca' | 'umap';
  /** n×2 and n×3 row-major. */
  points2d: Float32Array;
  points3d: Float32Array;
  /** k×2 and k×3 for results[0]'s representatives (PCA only: the exact image of each centroid); null otherwise. */
  centroids2d: Float32Array | null;
  centroids3d: Float32Array | null;
  /** Rows the projection was fitted on (UMAP places the rest). */
  fittedPoints: number;
  /** PCA: share of the variance on each of the 3 axes. */
  explainedVarianceRatio: number[] | null;
  /** Why the method differs from the one asked for, if it does. */
  note: string | null;
}

export interface ClusteringOutput {
  /** Per row: 0..k-1, or -1 for noise. */
  labels: Int32Array;
  k: number;
  /** k×D representatives (mean / median / medoid per effective_feature_method) in the clustered space. */
  representatives: Float32Array;
  distanceToRepresentative: Float32Array;
  counts: Int32Array;
  noiseCount: number;
  meanCosineSimilarity: Float64Array;
  minCosineSimilarity: Float64Array;
  metrics: {
    silhouette_score: number | null;
    davies_bouldin_index: number | null;
    calinski_harabasz_score: number | null;
    silhouette_sample_size: number | null;
  };
  /** What the method did, for the execution's `algorithm_details` (iterations, inertia, sampling, assignment rule…). */
  details: Record<string, unknown>;
}

export interface ClusterTaskOutput {
  /** One clustering, or one per feature for the 'independent' strategy (same order as `features`). */
  results: ClusteringOutput[];
  learnedWeights: number[] | null;
  learningQualityScore: number | null;
  projection: ProjectionOutput | null;
}
