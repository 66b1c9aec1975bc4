/**
 * The algorithm-independent pieces of one k-means run: the M-step with
 * scikit-learn's empty-cluster relocation, inertia, and the scaled tolerance.
 */
import type { Workspace } from '../linalg/kernel-types.ts';

/** Column means and scikit-learn's `_tolerance` scale (the mean per-feature population variance). */
export function columnStatistics(ws: Workspace, data: Float32Array, n: number): { mean: Float64Array; meanVariance: number } {
  const mean = ws.columnMeans(data, n);
  // Two passes instead of E[x²] − E[x]² to avoid cancellation on offset data.
  const deviations = ws.columnSquaredDeviations(data, n, mean);
  let total = 0;
  for (let j = 0; j < ws.d; j++) total += deviations[j] / n;
  return { mean, meanVariance: total / ws.d };
}

/**
 * The M-step. Per-cluster sums are kept up to date incrementally: only points
 * whose label changed since the previous call move their row between sums, so
 * late iterations (few changes) cost O(changes·d) instead of O(n·d).
 */
export class CenterUpdater {
  /** Euclidean distance each center moved in the last update. */
  readonly shift: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly previous: Int32Array;

  constructor(
    private readonly ws: Workspace,
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
  ) {
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.shift = new Float64Array(k);
    this.previous = new Int32Array(n).fill(-1);
  }

  /** Forgets all labels, for a new run. */
  reset(): void {
    this.previous.fill(-1);
    this.sums.fill(0);
    this.counts.fill(0);
  }

  /**
   * centersNew = mean of the points labelled for each center, after moving
   * far-away points into empty clusters exactly as scikit-learn's
   * `_relocate_empty_clusters_dense` does (labels are left unchanged; the
   * next E-step picks the move up). Fills `shift`. Returns how many labels
   * changed since the previous call (all of them on the first).
   */
  update(labels: Int32Array, centersOld: Float32Array, centersNew: Float32Array): number {
    const { d, k, shift } = this;
    const changed = this.absorbLabels(labels);
    let sums = this.sums;
    let counts = this.counts;
    let nEmpty = 0;
    for (let c = 0; c < k; c++) if (counts[c] === 0) nEmpty++;
    if (nEmpty > 0) {
      // Relocation is a one-off edit of this step's centers, not of the label sums.
      sums = sums.slice();
      counts = counts.slice();
      this.relocateEmptyClusters(labels, centersOld, sums, counts, nEmpty);
    }
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
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = centersOld[o + j] - centersNew[o + j];
        s += t * t;
      }
      shift[c] = Math.sqrt(s);
    }
    return changed;
  }

  private absorbLabels(labels: Int32Array): number {
    const { data, n, d, sums, counts, previous } = this;
    let changed = 0;
    for (let i = 0; i < n; i++) if (labels[i] !== previous[i]) changed++;
    if (changed > n / 4) {
      // Mostly new labels: recomputing from scratch is one fast streamed pass.
      sums.fill(0);
      counts.fill(0);
      this.ws.addRowsByLabel(data, n, labels, sums);
      for (let i = 0; i < n; i++) counts[labels[i]] += 1;
      previous.set(labels);
      return changed;
    }
    for (let i = 0; i < n; i++) {
      const to = labels[i];
      const from = previous[i];
      if (to === from) continue;
      const xo = i * d;
      const fo = from * d;
      const too = to * d;
      for (let j = 0; j < d; j++) {
        const v = data[xo + j];
        sums[fo + j] -= v;
        sums[too + j] += v;
      }
      counts[from] -= 1;
      counts[to] += 1;
      previous[i] = to;
    }
    return changed;
  }

  private relocateEmptyClusters(
    labels: Int32Array,
    centersOld: Float32Array,
    sums: Float64Array,
    counts: Float64Array,
    nEmpty: number,
  ): void {
    const { data, n, d, k } = this;
    const dist = new Float64Array(n);
    this.ws.squaredDistancesToCenters(data, n, labels, Float64Array.from(centersOld), dist);
    const far = farthest(dist, nEmpty);

    let taken = 0;
    for (let c = 0; c < k && taken < nEmpty; c++) {
      if (counts[c] !== 0) continue;
      const p = far[taken++];
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
}

/**
 * Indices of the m largest values, largest first, ties to the lower index:
 * one pass keeping a sorted shortlist (m is the number of empty clusters,
 * usually 1, so this beats sorting all n).
 */
function farthest(values: Float64Array, m: number): Int32Array {
  const picked = new Int32Array(m);
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (size === m && !(v > values[picked[m - 1]])) continue;
    let at = size < m ? size++ : m - 1;
    while (at > 0 && v > values[picked[at - 1]]) {
      picked[at] = picked[at - 1];
      at--;
    }
    picked[at] = i;
  }
  return picked;
}

/** Sum of squared distances to the assigned centers, by direct float64 differences. */
export function computeInertia(
  ws: Workspace,
  data: Float32Array,
  n: number,
  centers: Float32Array,
  labels: Int32Array,
): number {
  const dist = new Float64Array(n);
  ws.squaredDistancesToCenters(data, n, labels, Float64Array.from(centers), dist);
  let total = 0;
  for (let i = 0; i < n; i++) total += dist[i];
  return total;
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
