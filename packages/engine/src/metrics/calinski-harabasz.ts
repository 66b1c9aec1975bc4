/**
 * Calinski–Harabasz index (variance ratio criterion), as scikit-learn's
 * `calinski_harabasz_score`: [B / (L − 1)] / [W / (n − L)]. O(n·d).
 */
import { checkLabels, checkMatrix } from '../validate.ts';
import { assertLabelCount, encodeLabels } from './label-encoding.ts';
import { clusterMeans } from './davies-bouldin.ts';

export function calinskiHarabaszScore(data: Float32Array, n: number, d: number, labels: Int32Array): number {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  const { codes, nLabels, counts } = encodeLabels(labels, false);
  assertLabelCount(nLabels, n);
  return calinskiHarabaszCore(data, n, d, codes, nLabels, counts, n);
}

/** Points with code -1 are ignored; nIncluded is the number of the others. */
export function calinskiHarabaszCore(
  data: Float32Array,
  n: number,
  d: number,
  codes: Int32Array,
  nLabels: number,
  counts: Float64Array,
  nIncluded: number,
): number {
  const means = clusterMeans(data, n, d, codes, nLabels, counts);
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
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c < 0) continue;
    const xo = i * d;
    const co = c * d;
    for (let j = 0; j < d; j++) {
      const t = data[xo + j] - means[co + j];
      intra += t * t;
    }
  }
  if (intra === 0) return 1;
  return (extra * (nIncluded - nLabels)) / (intra * (nLabels - 1));
}
