/**
 * Euclidean silhouette coefficient, as scikit-learn's `silhouette_score`.
 *
 * The O(n²·d) pairwise distances are computed in tiles by the distance
 * kernels and reduced straight into per-(point, cluster) distance sums, so
 * memory is O(n·L) (or O(256·L) when that would be too large) and an n×n
 * matrix never exists. When the n×L sums fit, each pair is computed once and
 * credited to both points, halving the work.
 */
import { createRng, randomSeed, samplePermutationPrefix } from '../rng.ts';
import { kernels } from '../linalg/kernels.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkLabels, checkMatrix } from '../validate.ts';
import { assertLabelCount, encodeLabels, labelCountIsValid } from './label-encoding.ts';
import { sharedDistanceSums, silhouetteThreads } from './silhouette-parts.ts';

export interface SilhouetteOptions {
  /** Score a random subset of this many points (among themselves), like scikit-learn's sample_size. */
  sampleSize?: number;
  /** Seed for the subset; undefined draws a fresh one (scikit-learn's random_state=None). */
  randomState?: number;
  /** Polled between tiles; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
  /** Threads for the exact pass (scores agree to rounding for any count); default by size, see silhouette-parts.ts. */
  threads?: number;
}

const ROW_BLOCK = 256;
/** Above this many n×L sums (64 MiB) fall back to one pass per row block. */
const SYMMETRIC_MAX_SUMS = 1 << 23;

export function silhouetteScore(
  data: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  options: SilhouetteOptions = {},
): number {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  const { sampleSize, randomState, shouldStop, threads } = options;
  let rows: Int32Array | null = null;
  if (sampleSize !== undefined) {
    if (!Number.isInteger(sampleSize) || sampleSize < 1) {
      throw new RangeError(`sampleSize must be a positive integer, got ${sampleSize}`);
    }
    if (sampleSize < n) rows = samplePermutationPrefix(createRng(randomState ?? randomSeed()), n, sampleSize);
  }
  const result = silhouetteOnRows(data, n, d, labels, rows, shouldStop, threads);
  if (result.score === null) assertLabelCount(result.nLabels, result.nSamples);
  return result.score!;
}

export interface SilhouetteOnRowsResult {
  /** null when scikit-learn would refuse the label count. */
  score: number | null;
  nLabels: number;
  nSamples: number;
}

/**
 * Silhouette of the given rows among themselves (all rows when `rows` is
 * null). Every label counts as a cluster, -1 included; filter beforehand.
 */
export function silhouetteOnRows(
  data: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  rows: Int32Array | null,
  shouldStop?: () => boolean,
  threads?: number,
): SilhouetteOnRowsResult {
  let x = data;
  let m = n;
  let subLabels = labels;
  if (rows !== null) {
    m = rows.length;
    // Shared memory, so threads sharing the exact pass read the sample in place.
    x = new Float32Array(new SharedArrayBuffer(m * d * 4));
    subLabels = new Int32Array(m);
    for (let t = 0; t < m; t++) {
      const r = rows[t];
      x.set(data.subarray(r * d, r * d + d), t * d);
      subLabels[t] = labels[r];
    }
  }
  const { codes, nLabels, counts } = encodeLabels(subLabels, false);
  if (!labelCountIsValid(nLabels, m)) return { score: null, nLabels, nSamples: m };
  return { score: silhouetteCore(x, m, d, codes, nLabels, counts, shouldStop, silhouetteThreads(m, d, threads)), nLabels, nSamples: m };
}

function silhouetteCore(
  x: Float32Array,
  m: number,
  d: number,
  codes: Int32Array,
  nLabels: number,
  counts: Float64Array,
  shouldStop: (() => boolean) | undefined,
  threads: number,
): number {
  const ws = kernels().open(d);
  try {
    // Translating to the mean keeps ‖x‖² + ‖y‖² − 2x·y free of a common offset.
    const origin = Float32Array.from(ws.columnMeans(x, m));
    const rows = ws.matrix(x, m, origin, 'always');
    let total = 0;
    if (m * nLabels <= SYMMETRIC_MAX_SUMS) {
      const sums = sharedDistanceSums(rows, x, m, d, origin, codes, nLabels, threads, shouldStop);
      for (let i = 0; i < m; i++) total += pointSilhouette(sums, i * nLabels, codes[i], nLabels, counts);
    } else {
      const sums = new Float64Array(ROW_BLOCK * nLabels);
      for (let i0 = 0; i0 < m; i0 += ROW_BLOCK) {
        throwIfCanceled(shouldStop);
        const ib = Math.min(ROW_BLOCK, m - i0);
        rows.distanceSumsByLabelForRows(i0, ib, codes, nLabels, sums);
        for (let r = 0; r < ib; r++) total += pointSilhouette(sums, r * nLabels, codes[i0 + r], nLabels, counts);
      }
    }
    return total / m;
  } finally {
    ws.close();
  }
}

/**
 * s = (b − a) / max(a, b) with a = mean distance to the own cluster (self
 * excluded) and b = smallest mean distance to another cluster. Singletons and
 * a = b = 0 give 0/0, which scikit-learn's nan_to_num turns into 0.
 */
function pointSilhouette(
  sums: Float64Array,
  offset: number,
  own: number,
  nLabels: number,
  counts: Float64Array,
): number {
  const a = sums[offset + own] / (counts[own] - 1);
  let b = Infinity;
  for (let l = 0; l < nLabels; l++) {
    if (l === own) continue;
    const v = sums[offset + l] / counts[l];
    if (v < b) b = v;
  }
  const s = (b - a) / Math.max(a, b);
  return Number.isFinite(s) ? s : 0;
}
