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
}
