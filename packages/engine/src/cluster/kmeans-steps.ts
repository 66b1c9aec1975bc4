/**
 * The algorithm-independent pieces of one k-means run: the M-step with
 * scikit-learn's empty-cluster relocation, inertia, and the scaled tolerance.
 */
import { squaredDistance } from '../linalg/dot-block.ts';

/** Scratch buffers reused across iterations and runs, so the loop never allocates. */
export interface UpdateScratch {
  sums: Float64Array; // k×d
  counts: Float64Array; // k
  shift: Float64Array; // k, euclidean distance each center moved
}

export function createUpdateScratch(k: number, d: number): UpdateScratch {
  return { sums: new Float64Array(k * d), counts: new Float64Array(k), shift: new Float64Array(k) };
}

/**
 * centersNew = mean of the points assigned to each center, after moving
 * far-away points into empty clusters exactly as scikit-learn's
 * `_relocate_empty_clusters_dense` does (labels are left unchanged; the next
 * E-step picks the move up). Fills scratch.shift with ||new − old||.
 */
export function updateCenters(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  centersOld: Float32Array,
  centersNew: Float32Array,
  scratch: UpdateScratch,
): void {
  const { sums, counts, shift } = scratch;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    counts[c] += 1;
    const o = c * d;
    const xo = i * d;
    for (let j = 0; j < d; j++) sums[o + j] += data[xo + j];
  }

  let nEmpty = 0;
  for (let c = 0; c < k; c++) if (counts[c] === 0) nEmpty++;
  if (nEmpty > 0) relocateEmptyClusters(data, n, d, k, labels, centersOld, sums, counts, nEmpty);

  for (let c = 0; c < k; c++) {
    const o = c * d;
    if (counts[c] > 0) {
      const inv = 1 / counts[c];
      for (let j = 0; j < d; j++) centersNew[o + j] = sums[o + j] * inv;
    } else {
      // Only reachable when relocation drained a cluster (duplicate points);
      // scikit-learn would leave a zero vector, keeping the old center is saner.
      for (let j = 0; j < d; j++) centersNew[o + j] = centersOld[o + j];
    }
    shift[c] = Math.sqrt(squaredDistance(centersOld, c, centersNew, c, d));
  }
}

function relocateEmptyClusters(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  centersOld: Float32Array,
  sums: Float64Array,
  counts: Float64Array,
  nEmpty: number,
): void {
  // Rare event, so clarity beats speed: rank all points by distance to the
  // center they were assigned to and hand the farthest ones to empty clusters.
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = squaredDistance(data, i, centersOld, labels[i], d);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => dist[b] - dist[a] || a - b);

  let taken = 0;
  for (let c = 0; c < k && taken < nEmpty; c++) {
    if (counts[c] !== 0) continue;
    const p = order[taken++];
    const from = labels[p];
    const xo = p * d;
    const fo = from * d;
    const co = c * d;
    for (let j = 0; j < d; j++) {
      const v = data[xo + j];
      sums[fo + j] -= v;
      sums[co + j] = v;
    }
    counts[from] -= 1;
    counts[c] = 1;
  }
}

/** Sum of squared distances to the assigned centers, by direct differences. */
export function computeInertia(
  data: Float32Array,
  n: number,
  d: number,
  centers: Float32Array,
  labels: Int32Array,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += squaredDistance(data, i, centers, labels[i], d);
  return total;
}

/** scikit-learn's `_tolerance`: tol × mean of the per-feature (population) variances. */
export function scaledTolerance(data: Float32Array, n: number, d: number, tol: number): number {
  if (tol === 0) return 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  // Two passes instead of E[x²] − E[x]² to avoid cancellation on offset data.
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[o + j] - mean[j];
      sq[j] += t * t;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += sq[j] / n;
  return (total / d) * tol;
}

/**
 * True when two labelings are the same partition up to renaming, like
 * scikit-learn's `_is_same_clustering`; used so that a rounding-level inertia
 * improvement with identical clusters does not replace the earlier run.
 */
export function isSameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const mapping = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const la = a[i];
    if (mapping[la] === -1) mapping[la] = b[i];
    else if (mapping[la] !== b[i]) return false;
  }
  return true;
}
