/**
 * Calinski–Harabasz index (variance ratio criterion), as scikit-learn's
 * `calinski_harabasz_score`: [B / (L − 1)] / [W / (n − L)]. O(n·d).
 */
import { checkLabels, checkMatrix } from '../validate.ts';
import { assertLabelCount, encodeLabels } from './label-encoding.ts';
import { clusterStatistics } from './davies-bouldin.ts';
import type { ClusterStatistics } from './davies-bouldin.ts';

export function calinskiHarabaszScore(data: Float32Array, n: number, d: number, labels: Int32Array): number {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  const { codes, nLabels, counts } = encodeLabels(labels, false);
  assertLabelCount(nLabels, n);
  return calinskiHarabaszFromStatistics(clusterStatistics(data, n, d, codes, nLabels, counts), d, nLabels, counts, n);
}

/** nIncluded is the number of points with a code (not -1). */
export function calinskiHarabaszFromStatistics(
  stats: ClusterStatistics,
  d: number,
  nLabels: number,
  counts: Float64Array,
  nIncluded: number,
): number {
  const { means, squaredDistances } = stats;
  // The overall mean is the count-weighted mean of cluster means.
  const overall = new Float64Array(d);
  for (let c = 0; c < nLabels; c++) {
    const w = counts[c] / nIncluded;
    for (let j = 0; j < d; j++) overall[j] += w * means[c * d + j];
  }
  let extra = 0;
  for (let c = 0; c < nLabels; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = means[c * d + j] - overall[j];
      s += t * t;
    }
    extra += counts[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < squaredDistances.length; i++) intra += squaredDistances[i];
  if (intra === 0) return 1;
  return (extra * (nIncluded - nLabels)) / (intra * (nLabels - 1));
}
