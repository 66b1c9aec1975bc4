/**
 * Davies–Bouldin index, as scikit-learn's `davies_bouldin_score`: the mean
 * over clusters of max_j (s_i + s_j) / ||c_i − c_j||, where s is the mean
 * distance of members to their centroid. O(n·d), in two streamed kernel
 * passes (cluster sums, then distances to the float64 means).
 */
import { kernels } from '../linalg/kernels.ts';
import { checkLabels, checkMatrix } from '../validate.ts';
import { assertLabelCount, encodeLabels } from './label-encoding.ts';

export function daviesBouldinScore(data: Float32Array, n: number, d: number, labels: Int32Array): number {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  const { codes, nLabels, counts } = encodeLabels(labels, false);
  assertLabelCount(nLabels, n);
  return daviesBouldinFromStatistics(clusterStatistics(data, n, d, codes, nLabels, counts), d, codes, nLabels, counts);
}

/** What both Davies–Bouldin and Calinski–Harabasz need from the data. */
export interface ClusterStatistics {
  /** nLabels×d float64 means. */
  means: Float64Array;
  /** Per point, squared distance to its own cluster's mean (0 for code -1). */
  squaredDistances: Float64Array;
}

/** Points with code -1 are ignored. */
export function clusterStatistics(
  data: Float32Array,
  n: number,
  d: number,
  codes: Int32Array,
  nLabels: number,
  counts: Float64Array,
): ClusterStatistics {
  const ws = kernels().open(d);
  try {
    const means = new Float64Array(nLabels * d);
    ws.addRowsByLabel(data, n, codes, means);
    for (let c = 0; c < nLabels; c++) {
      const inv = 1 / counts[c];
      const co = c * d;
      for (let j = 0; j < d; j++) means[co + j] *= inv;
    }
    const squaredDistances = new Float64Array(n);
    ws.squaredDistancesToCenters(data, n, codes, means, squaredDistances);
    return { means, squaredDistances };
  } finally {
    ws.close();
  }
}

/** Points with code -1 are ignored. */
export function daviesBouldinFromStatistics(
  stats: ClusterStatistics,
  d: number,
  codes: Int32Array,
  nLabels: number,
  counts: Float64Array,
): number {
  const { means, squaredDistances } = stats;
  const intra = new Float64Array(nLabels);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0) intra[c] += Math.sqrt(squaredDistances[i]);
  }
  for (let c = 0; c < nLabels; c++) intra[c] /= counts[c];

  const between = new Float64Array(nLabels * nLabels);
  for (let a = 0; a < nLabels; a++) {
    for (let b = a + 1; b < nLabels; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = means[a * d + j] - means[b * d + j];
        s += t * t;
      }
      between[a * nLabels + b] = between[b * nLabels + a] = Math.sqrt(s);
    }
  }
  // scikit-learn returns 0 when either all spreads or all centroid distances
  // are np.allclose to 0 (absolute tolerance 1e-8).
  if (allWithin(intra, 1e-8) || allWithin(between, 1e-8)) return 0;

  let total = 0;
  for (let a = 0; a < nLabels; a++) {
    let worst = 0;
    for (let b = 0; b < nLabels; b++) {
      const dist = between[a * nLabels + b];
      // Coinciding centroids count as infinitely far apart (ratio 0), as in scikit-learn.
      if (dist === 0) continue;
      const r = (intra[a] + intra[b]) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / nLabels;
}

function allWithin(values: Float64Array, atol: number): boolean {
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > atol) return false;
  return true;
}
