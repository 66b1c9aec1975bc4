/** The message a clustering thread receives and the one it sends back. Plain data only. */
export interface ClusterTaskInput {
  data: Float32Array;
  n: number;
  d: number;
  method: 'kmeans';
  params: {
    n_clusters: number;
    n_init: number;
    max_iter: number;
    tol: number;
    random_state: number | null;
    init: 'k-means++' | 'random';
    algorithm: 'lloyd' | 'elkan' | 'auto';
  };
  /** Fit on this many seeded-random rows, then assign every row; null fits on all rows. */
  sampleSize: number | null;
  silhouetteExactMaxPoints: number;
}

export interface ClusterTaskOutput {
  labels: Int32Array;
  /** Distinct non-noise labels are 0..k-1. */
  k: number;
  centroids: Float32Array;
  distanceToCentroid: Float32Array;
  counts: Int32Array;
  meanCosineSimilarity: Float64Array;
  minCosineSimilarity: Float64Array;
  metrics: {
    silhouette_score: number | null;
    davies_bouldin_index: number | null;
    calinski_harabasz_score: number | null;
    silhouette_sample_size: number | null;
  };
  inertia: number;
  iterations: number;
  fitPoints: number;
}
