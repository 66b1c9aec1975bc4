/**
 * Mean shift with a flat kernel, following scikit-learn 1.2's `MeanShift`
 * and `estimate_bandwidth`: every seed climbs to the mean of the points
 * within `bandwidth` until it moves less than 1e-3·bandwidth (or `maxIter`
 * steps); converged centres that are bit-identical collapse into one,
 * centres are ranked by how many points their last window held (ties by
 * the centre's coordinates, largest first), and each centre suppresses the
 * lower-ranked ones within `bandwidth`. Points take the label of their
 * nearest surviving centre.
 *
 * Radius queries run on a small kd-tree with distances summed from
 * coordinate differences in float64, the same arithmetic scikit-learn's
 * kd-tree uses; window means are summed in tree order, so centres agree with
 * scikit-learn's to rounding, not bit for bit.
 */
import { throwIfCanceled } from '../errors.ts';
import { dotBlock, rowSquaredNorms } from '../linalg/dot-block.ts';
import { createRng, samplePermutationPrefix } from '../rng.ts';
import { checkMatrix } from '../validate.ts';
import { gatherRows } from '../linalg/gather-rows.ts';

export interface MeanShiftOptions {
  /** Window radius; null estimates it with `estimateBandwidth` (quantile 0.3, see `bandwidthQueryRows`). */
  bandwidth?: number | null;
  /** Starting points, nSeeds×d row-major; null seeds from the data (or its bins). */
  seeds?: Float32Array | Float64Array | null;
  /** Seed from the centres of occupied grid cells of side `bandwidth` instead of every point. Default false. */
  binSeeding?: boolean;
  /** With `binSeeding`, cells holding fewer points do not seed. Default 1. */
  minBinFreq?: number;
  /** Give points outside every window the nearest centre's label instead of -1. Default true. */
  clusterAll?: boolean;
  /** Steps per seed. Default 300. */
  maxIter?: number;
  /** Polled between seeds; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface MeanShiftResult {
  /** 0..k−1 in centre order, -1 for orphans when clusterAll is false. */
  labels: Int32Array;
  /** k×d row-major, float64 (window means), scikit-learn's `cluster_centers_` order. */
  clusterCenters: Float64Array;
  nClusters: number;
  /** The bandwidth used, estimated or given. */
  bandwidth: number;
  /** scikit-learn's `n_iter_`: the most steps any seed took. */
  nIter: number;
}

export interface EstimateBandwidthOptions {
  /** Which nearest neighbour's distance to average, as a fraction of the rows. Default 0.3. */
  quantile?: number;
  /** scikit-learn's n_samples: estimate on this many rows drawn without replacement. Default null (all). */
  nSamples?: number | null;
  /** Seed for the draws (our own generator, so not numpy's rows). Default 0. */
  randomState?: number;
  /**
   * Average over this many seeded rows instead of every row; the neighbour
   * distances are still exact against all (sampled) rows, so the estimate is
   * unbiased, with a standard error of roughly the spread of those distances
   * over √queryRows. Default null (every row, as scikit-learn).
   */
  queryRows?: number | null;
  shouldStop?: () => boolean;
}

/**
 * Up to this many rows a null bandwidth is estimated exactly as scikit-learn
 * does (every row against every row); above it `meanShift` averages over
 * max(500, 10⁸ / n) seeded rows so the estimate stays within about 10⁸
 * distance evaluations instead of n².
 */
export const BANDWIDTH_EXACT_MAX_ROWS = 10_000;
const BANDWIDTH_PAIR_BUDGET = 1e8;
const BANDWIDTH_MIN_QUERY_ROWS = 500;

/** Rows per kd-tree leaf, about where checking points beats descending further. */
const LEAF_SIZE = 32;
const CANCEL_POLL_SEEDS = 32;

export function meanShift(data: Float32Array, n: number, d: number, options: MeanShiftOptions = {}): MeanShiftResult {
  const binSeeding = options.binSeeding ?? false;
  const minBinFreq = options.minBinFreq ?? 1;
  const clusterAll = options.clusterAll ?? true;
  const maxIter = options.maxIter ?? 300;
  const givenBandwidth = options.bandwidth ?? null;
  if (givenBandwidth !== null && !(givenBandwidth > 0 && Number.isFinite(givenBandwidth))) {
    throw new RangeError(`bandwidth must be a finite number > 0 or null, got ${givenBandwidth}`);
  }
  if (typeof binSeeding !== 'boolean') throw new RangeError(`bin_seeding must be true or false, got ${String(binSeeding)}`);
  if (!Number.isInteger(minBinFreq) || minBinFreq < 1) {
    throw new RangeError(`min_bin_freq must be an integer ≥ 1, got ${minBinFreq}`);
  }
  if (typeof clusterAll !== 'boolean') throw new RangeError(`cluster_all must be true or false, got ${String(clusterAll)}`);
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`max_iter must be an integer ≥ 0, got ${maxIter}`);
  checkMatrix(data, n, d);
  const seedsOption = options.seeds ?? null;
  if (seedsOption !== null) checkSeeds(seedsOption, d);
  const shouldStop = options.shouldStop;

  const bandwidth =
    givenBandwidth ??
    estimateBandwidth(data, n, d, {
      queryRows: n > BANDWIDTH_EXACT_MAX_ROWS ? Math.max(BANDWIDTH_MIN_QUERY_ROWS, Math.floor(BANDWIDTH_PAIR_BUDGET / n)) : null,
      shouldStop,
    });

  let seeds: Float64Array;
  if (seedsOption !== null) seeds = Float64Array.from(seedsOption);
  else if (binSeeding) seeds = binSeeds(data, n, d, bandwidth, minBinFreq);
  else seeds = Float64Array.from(data);
  const nSeeds = seeds.length / d;

  const tree = new KdTree(data, n, d);
  const stopShift = 1e-3 * bandwidth;
  const radius2 = bandwidth * bandwidth;
  // scikit-learn keys converged centres by their exact coordinates, so seeds
  // that reach the very same mean count once (with the last seed's window).
  const centres = new Map<string, { centre: Float64Array; count: number }>();
  let nIter = 0;
  const mean = new Float64Array(d);
  const sum = new Float64Array(d);
  for (let s = 0; s < nSeeds; s++) {
    if (s % CANCEL_POLL_SEEDS === 0) throwIfCanceled(shouldStop);
    for (let j = 0; j < d; j++) mean[j] = seeds[s * d + j];
    let completed = 0;
    let count = 0;
    for (;;) {
      count = tree.sumWithin(mean, radius2, sum);
      if (count === 0) break;
      let shift2 = 0;
      for (let j = 0; j < d; j++) {
        const next = sum[j] / count;
        const delta = next - mean[j];
        shift2 += delta * delta;
        mean[j] = next;
      }
      if (Math.sqrt(shift2) < stopShift || completed === maxIter) break;
      completed++;
    }
    if (completed > nIter) nIter = completed;
    if (count > 0) {
      const key = mean.join(',');
      centres.set(key, { centre: mean.slice(), count });
    }
  }
  if (centres.size === 0) {
    throw new RangeError(
      `bandwidth=${bandwidth}: no point was within the bandwidth of any seed; try a different seeding strategy or a larger bandwidth`,
    );
  }

  const ranked = [...centres.values()].sort((a, b) => b.count - a.count || compareDescending(a.centre, b.centre));
  const kept: Float64Array[] = [];
  const suppressed = new Uint8Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) {
    if (suppressed[i]) continue;
    kept.push(ranked[i].centre);
    for (let j = i + 1; j < ranked.length; j++) {
      if (!suppressed[j] && squaredDistance64(ranked[i].centre, ranked[j].centre, d) <= radius2) suppressed[j] = 1;
    }
  }
  const k = kept.length;
  const clusterCenters = new Float64Array(k * d);
  kept.forEach((c, i) => clusterCenters.set(c, i * d));
  const labels = nearestCentre(clusterCenters, k, data, n, d, clusterAll ? Infinity : bandwidth);
  return { labels, clusterCenters, nClusters: k, bandwidth, nIter };
}

/**
 * scikit-learn's `predict`: the nearest centre for every row (ties to the
 * lower centre index). Used for rows that were not part of the fit.
 */
export function assignMeanShift(
  clusterCenters: Float64Array,
  nClusters: number,
  data: Float32Array,
  n: number,
  d: number,
): Int32Array {
  checkMatrix(data, n, d);
  if (!(clusterCenters instanceof Float64Array) || clusterCenters.length !== nClusters * d || nClusters < 1) {
    throw new RangeError(`clusterCenters must be a Float64Array of nClusters×d = ${nClusters}×${d} values`);
  }
  return nearestCentre(clusterCenters, nClusters, data, n, d, Infinity);
}

function checkSeeds(seeds: Float32Array | Float64Array, d: number): void {
  if (!(seeds instanceof Float32Array || seeds instanceof Float64Array)) {
    throw new RangeError('seeds must be a Float32Array or Float64Array of nSeeds×d values, or null');
  }
  if (seeds.length === 0 || seeds.length % d !== 0) {
    throw new RangeError(`seeds must hold at least one row of ${d} values (nSeeds×d), got ${seeds.length} values`);
  }
  for (let i = 0; i < seeds.length; i++) {
    if (!Number.isFinite(seeds[i])) throw new RangeError(`seeds contains a non-finite value at row ${Math.floor(i / d)}`);
  }
}

/** Python's tuple order, reversed: the larger coordinate vector first. */
function compareDescending(a: Float64Array, b: Float64Array): number {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] > b[j] ? -1 : 1;
  return 0;
}

function squaredDistance64(a: Float64Array, b: Float64Array, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

/**
 * Nearest centre per row; rows farther than `maxDistance` from every centre
 * get -1 (scikit-learn compares the distance itself, not its square).
 */
function nearestCentre(
  centres: Float64Array,
  k: number,
  data: Float32Array,
  n: number,
  d: number,
  maxDistance: number,
): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = i * d;
    let best = Infinity;
    let bestAt = 0;
    for (let c = 0; c < k; c++) {
      const c0 = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[x0 + j] - centres[c0 + j];
        s += t * t;
      }
      if (s < best) {
        best = s;
        bestAt = c;
      }
    }
    labels[i] = Math.sqrt(best) <= maxDistance ? bestAt : -1;
  }
  return labels;
}

/**
 * scikit-learn's `get_bin_seeds`: each point's cell is round(x / binSize)
 * per coordinate (half to even, like numpy), cells with at least
 * `minBinFreq` points seed at cell·binSize computed in float32 (numpy
 * multiplies its float32 cell array by the Python float in float32). When
 * binning does not reduce the number of seeds, the points themselves seed.
 */
function binSeeds(data: Float32Array, n: number, d: number, binSize: number, minBinFreq: number): Float64Array {
  if (binSize === 0) return Float64Array.from(data);
  const cells = new Map<string, { cell: Float64Array; count: number }>();
  const cell = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) cell[j] = roundHalfEven(data[i * d + j] / binSize);
    const key = cell.join(',');
    const hit = cells.get(key);
    if (hit) hit.count++;
    else cells.set(key, { cell: cell.slice(), count: 1 });
  }
  const chosen = [...cells.values()].filter((c) => c.count >= minBinFreq);
  if (chosen.length === n) return Float64Array.from(data);
  const binSize32 = Math.fround(binSize);
  const seeds = new Float64Array(chosen.length * d);
  chosen.forEach((c, s) => {
    for (let j = 0; j < d; j++) seeds[s * d + j] = Math.fround(Math.fround(c.cell[j]) * binSize32);
  });
  return seeds;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round sends halves up; numpy sends them to the even neighbour.
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * scikit-learn's `estimate_bandwidth`: the mean, over rows, of the distance to
 * the row's ⌊quantile·m⌋-th nearest row (at least the 1st, the row itself
 * counting as its own nearest), among m rows (all, or `nSamples` drawn
 * without replacement). O(m²·d): see `queryRows` for large m.
 */
export function estimateBandwidth(
  data: Float32Array,
  n: number,
  d: number,
  options: EstimateBandwidthOptions = {},
): number {
  const quantile = options.quantile ?? 0.3;
  const nSamples = options.nSamples ?? null;
  const randomState = options.randomState ?? 0;
  const queryRows = options.queryRows ?? null;
  if (!(quantile >= 0 && quantile <= 1)) throw new RangeError(`quantile must be a number in [0, 1], got ${quantile}`);
  if (nSamples !== null && (!Number.isInteger(nSamples) || nSamples < 1)) {
    throw new RangeError(`n_samples must be an integer ≥ 1 or null, got ${nSamples}`);
  }
  if (!Number.isFinite(randomState)) throw new RangeError(`random_state must be a finite number, got ${randomState}`);
  if (queryRows !== null && (!Number.isInteger(queryRows) || queryRows < 1)) {
    throw new RangeError(`queryRows must be an integer ≥ 1 or null, got ${queryRows}`);
  }
  checkMatrix(data, n, d);
  const rng = createRng(randomState);
  let refs = data;
  let m = n;
  if (nSamples !== null && nSamples < n) {
    const rows = samplePermutationPrefix(rng, n, nSamples);
    refs = gatherRows(data, d, rows);
    m = rows.length;
  }
  let kth = Math.trunc(m * quantile);
  if (kth < 1) kth = 1;
  let queries = refs;
  let q = m;
  if (queryRows !== null && queryRows < m) {
    const rows = samplePermutationPrefix(rng, m, queryRows);
    queries = gatherRows(refs, d, rows);
    q = rows.length;
  }
  return meanKthNeighbourDistance(queries, q, refs, m, d, kth, options.shouldStop) / q;
}

/** Above this dimension squared distances come from the blocked dot kernel. */
const DOT_KERNEL_MIN_DIM = 16;
const KTH_QUERY_TILE_VALUES = 1 << 22;

/** Σ over query rows of the distance to their k-th nearest reference row (1-based). */
function meanKthNeighbourDistance(
  queries: Float32Array,
  q: number,
  refs: Float32Array,
  m: number,
  d: number,
  kth: number,
  shouldStop: (() => boolean) | undefined,
): number {
  const tileRows = Math.max(1, Math.min(64, Math.floor(KTH_QUERY_TILE_VALUES / m)));
  const tile = new Float64Array(tileRows * m);
  const row = new Float64Array(m);
  const useDot = d > DOT_KERNEL_MIN_DIM;
  const refNorms = useDot ? rowSquaredNorms(refs, m, d) : null;
  const queryNorms = useDot ? rowSquaredNorms(queries, q, d) : null;
  let total = 0;
  for (let q0 = 0; q0 < q; q0 += tileRows) {
    throwIfCanceled(shouldStop);
    const rows = Math.min(tileRows, q - q0);
    if (useDot) dotBlock(queries, q0, rows, refs, 0, m, d, tile);
    for (let r = 0; r < rows; r++) {
      const x0 = (q0 + r) * d;
      if (useDot) {
        const nq = queryNorms![q0 + r];
        for (let j = 0; j < m; j++) {
          const sq = nq + refNorms![j] - 2 * tile[r * m + j];
          row[j] = sq > 0 ? sq : 0;
        }
      } else {
        for (let j = 0; j < m; j++) {
          const y0 = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const diff = queries[x0 + t] - refs[y0 + t];
            s += diff * diff;
          }
          row[j] = s;
        }
      }
      total += Math.sqrt(selectKth(row, m, kth - 1));
    }
  }
  return total;
}

/** The value of rank `k` (0-based) among values[0..len), reordering them (Hoare quickselect). */
function selectKth(values: Float64Array, len: number, k: number): number {
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot keeps sorted and constant runs linear.
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * A kd-tree over the rows for window queries: median splits on the widest
 * coordinate, per-node bounding boxes, and per-node coordinate sums so that
 * a node lying wholly inside the window is added in O(d).
 */
class KdTree {
  private readonly data: Float32Array;
  private readonly d: number;
  private readonly order: Int32Array;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private sums = new Float64Array(0);
  private readonly stack: Int32Array;

  constructor(data: Float32Array, n: number, d: number) {
    this.data = data;
    this.d = d;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    // Median splits leave at least LEAF_SIZE / 2 rows per leaf.
    const capacity = 4 * Math.ceil(n / LEAF_SIZE) + 1;
    this.lo = new Float64Array(capacity * d);
    this.hi = new Float64Array(capacity * d);
    this.sums = new Float64Array(capacity * d);
    this.build(0, n);
    this.stack = new Int32Array(this.start.length);
  }

  /** Adds the rows within squared distance `radius2` of `centre` into `sumOut`; returns how many. */
  sumWithin(centre: Float64Array, radius2: number, sumOut: Float64Array): number {
    const { data, d, order, lo, hi, sums, stack } = this;
    sumOut.fill(0);
    let count = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      const b = node * d;
      let near = 0;
      let far = 0;
      for (let j = 0; j < d; j++) {
        const c = centre[j];
        const below = lo[b + j] - c;
        const above = c - hi[b + j];
        const gap = below > 0 ? below : above > 0 ? above : 0;
        near += gap * gap;
        const reach = c - lo[b + j] > hi[b + j] - c ? c - lo[b + j] : hi[b + j] - c;
        far += reach * reach;
      }
      if (near > radius2) continue;
      if (far <= radius2) {
        for (let j = 0; j < d; j++) sumOut[j] += sums[b + j];
        count += this.end[node] - this.start[node];
        continue;
      }
      if (this.left[node] < 0) {
        for (let p = this.start[node]; p < this.end[node]; p++) {
          const x0 = order[p] * d;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const t = data[x0 + j] - centre[j];
            s += t * t;
          }
          if (s <= radius2) {
            for (let j = 0; j < d; j++) sumOut[j] += data[x0 + j];
            count++;
          }
        }
        continue;
      }
      stack[top++] = this.right[node];
      stack[top++] = this.left[node];
    }
    return count;
  }

  private build(from: number, to: number): number {
    const node = this.start.length;
    const { data, d, order } = this;
    this.start.push(from);
    this.end.push(to);
    this.left.push(-1);
    this.right.push(-1);
    const b = node * d;
    for (let j = 0; j < d; j++) {
      this.lo[b + j] = Infinity;
      this.hi[b + j] = -Infinity;
    }
    for (let p = from; p < to; p++) {
      const x0 = order[p] * d;
      for (let j = 0; j < d; j++) {
        const v = data[x0 + j];
        if (v < this.lo[b + j]) this.lo[b + j] = v;
        if (v > this.hi[b + j]) this.hi[b + j] = v;
        this.sums[b + j] += v;
      }
    }
    if (to - from <= LEAF_SIZE) return node;
    let axis = 0;
    let widest = -1;
    for (let j = 0; j < d; j++) {
      const w = this.hi[b + j] - this.lo[b + j];
      if (w > widest) {
        widest = w;
        axis = j;
      }
    }
    if (widest === 0) return node;
    const mid = (from + to) >>> 1;
    this.partition(from, to - 1, mid, axis);
    this.left[node] = this.build(from, mid);
    this.right[node] = this.build(mid, to);
    return node;
  }

  /** Reorders order[from..to] so that position k holds the row of rank k along `axis`. */
  private partition(from: number, to: number, k: number, axis: number): void {
    const { data, d, order } = this;
    const key = (p: number): number => data[order[p] * d + axis];
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const pivot = key((lo + hi) >>> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (key(i) < pivot) i++;
        while (key(j) > pivot) j--;
        if (i <= j) {
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }
}
