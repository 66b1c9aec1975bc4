/**
 * The bundle of internal-validity metrics reported for a clustering, with
 * noise (-1) excluded and scikit-learn's label-count rules turned into nulls
 * instead of exceptions. Field names match the service's JSON.
 */
import { createRng, samplePermutationPrefix } from '../rng.ts';
import { checkLabels, checkMatrix } from '../validate.ts';
import { encodeLabels, labelCountIsValid } from './label-encoding.ts';
import { silhouetteOnRows } from './silhouette.ts';
import { clusterStatistics, daviesBouldinFromStatistics } from './davies-bouldin.ts';
import { calinskiHarabaszFromStatistics } from './calinski-harabasz.ts';

export interface QualityMetricsOptions {
  /** Exact silhouette up to this many (non-noise) points, a seeded sample of this size beyond. Default 10000. */
  silhouetteExactMaxPoints?: number;
  /** Seed for the silhouette sample. Default 0. */
  randomState?: number;
  /** Polled during the silhouette; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface QualityMetrics {
  silhouette_score: number | null;
  davies_bouldin_index: number | null;
  calinski_harabasz_score: number | null;
  /** Points the silhouette was computed on when sampled; null when exact. */
  silhouette_sample_size: number | null;
}

export function computeQualityMetrics(
  data: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  options: QualityMetricsOptions = {},
): QualityMetrics {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  const maxExact = options.silhouetteExactMaxPoints ?? 10000;
  const randomState = options.randomState ?? 0;
  if (!Number.isInteger(maxExact) || maxExact < 1) {
    throw new RangeError(`silhouetteExactMaxPoints must be a positive integer, got ${maxExact}`);
  }

  const { codes, nLabels, counts, nIncluded } = encodeLabels(labels, true);
  if (!labelCountIsValid(nLabels, nIncluded)) {
    return { silhouette_score: null, davies_bouldin_index: null, calinski_harabasz_score: null, silhouette_sample_size: null };
  }

  const stats = clusterStatistics(data, n, d, codes, nLabels, counts);
  const davies = daviesBouldinFromStatistics(stats, d, codes, nLabels, counts);
  const calinski = calinskiHarabaszFromStatistics(stats, d, nLabels, counts, nIncluded);

  let rows: Int32Array | null = null;
  if (nIncluded < n) {
    rows = new Int32Array(nIncluded);
    let t = 0;
    for (let i = 0; i < n; i++) if (codes[i] >= 0) rows[t++] = i;
  }
  let sampleSize: number | null = null;
  if (nIncluded > maxExact) {
    const picks = samplePermutationPrefix(createRng(randomState), nIncluded, maxExact);
    if (rows !== null) for (let t = 0; t < picks.length; t++) picks[t] = rows[picks[t]];
    rows = picks;
    sampleSize = maxExact;
  }
  const silhouette = silhouetteOnRows(data, n, d, labels, rows, options.shouldStop).score;

  return {
    silhouette_score: silhouette,
    davies_bouldin_index: davies,
    calinski_harabasz_score: calinski,
    silhouette_sample_size: sampleSize,
  };
}
