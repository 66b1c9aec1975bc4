/**
 * Per-cluster cohesion summaries for reporting: how well members align with
 * their centroid (cosine) and how far each point sits from it (euclidean).
 * One O(n·d) pass; noise points (-1) are skipped.
 */
import { checkLabels, checkMatrix } from '../validate.ts';

export interface ClusterCohesion {
  counts: Int32Array;
  /** Per cluster; NaN for empty clusters. */
  meanCosineSimilarity: Float64Array;
  /** Per cluster; NaN for empty clusters. */
  minCosineSimilarity: Float64Array;
  /** Per point, euclidean distance to its own centroid; NaN for label -1. */
  distanceToCentroid: Float32Array;
}

export function clusterCohesion(
  data: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  centroids: Float32Array,
  k: number,
): ClusterCohesion {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!(centroids instanceof Float32Array) || centroids.length !== k * d) {
    throw new RangeError(`centroids must be a Float32Array of k×d = ${k * d} values`);
  }

  const centroidNorms = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += centroids[c * d + j] * centroids[c * d + j];
    centroidNorms[c] = Math.sqrt(s);
  }

  const counts = new Int32Array(k);
  const cosineSum = new Float64Array(k);
  const cosineMin = new Float64Array(k).fill(Infinity);
  const distanceToCentroid = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c === -1) {
      distanceToCentroid[i] = NaN;
      continue;
    }
    if (c < -1 || c >= k) throw new RangeError(`label ${c} at row ${i} is outside -1..${k - 1}`);
    const xo = i * d;
    const co = c * d;
    let dot = 0;
    let xx = 0;
    let diff = 0;
    for (let j = 0; j < d; j++) {
      const x = data[xo + j];
      const y = centroids[co + j];
      const t = x - y;
      dot += x * y;
      xx += x * x;
      diff += t * t;
    }
    const denom = Math.sqrt(xx) * centroidNorms[c];
    // A zero vector has no direction; report it as orthogonal rather than NaN.
    const cosine = denom > 0 ? dot / denom : 0;
    counts[c]++;
    cosineSum[c] += cosine;
    if (cosine < cosineMin[c]) cosineMin[c] = cosine;
    distanceToCentroid[i] = Math.sqrt(diff);
  }

  const meanCosineSimilarity = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    meanCosineSimilarity[c] = counts[c] > 0 ? cosineSum[c] / counts[c] : NaN;
    if (counts[c] === 0) cosineMin[c] = NaN;
  }
  return { counts, meanCosineSimilarity, minCosineSimilarity: cosineMin, distanceToCentroid };
}
