/**
 * OPTICS with scikit-learn 1.2's `OPTICS` semantics: the same ordering,
 * reachability, core distances and predecessors, then the 'xi' or 'dbscan'
 * cluster extraction of `cluster_optics_xi` / `cluster_optics_dbscan`.
 *
 * scikit-learn's loop visits every unprocessed point after each step:
 * O(n²) distances when max_eps is infinite (its default). The kd-tree path
 * here reaches the same sequence lazily. A processed point p first updates
 * its nearest neighbours (a list kept from the core-distance pass), which
 * covers every unprocessed point within some radius ρ_p; a point it has not
 * updated lies farther than ρ_p, so its reachability through p cannot be
 * below ρ_p (rounded). The next point is taken from the updated ones only
 * while its reachability is below every processed point's ρ; otherwise the
 * point with the smallest ρ first widens it, by a radius query a little past
 * the current reachability level. When a jump in reachability sends many
 * processed points widening at once, one query also serves the processed
 * neighbours close to its centre (triangle inequality). The result is the
 * exact sequence of the full algorithm, ties included, for a small fraction
 * of its distances. Where a kd-tree does not pay (see buildSearchTree) the
 * full loop runs, one row against every unprocessed row per step.
 *
 * Tie rules reproduced from scikit-learn: the next point is the unprocessed
 * one with the smallest reachability, then the smallest index (also among
 * infinite reachabilities); a reachability is only replaced by a strictly
 * smaller one, so a point's predecessor is the earliest processed point that
 * achieved its final reachability; core distances and reachabilities are
 * rounded to 15 decimals as numpy.around does.
 */
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { bruteKnn, FIT_TILE, QUERY_TILE, rdistGathered, rdistTile, rowNormsFor } from '../neighbors/brute.ts';
import { Hits, KdTree, PointMask } from '../neighbors/kd-tree.ts';
import { buildSearchTree, checkAlgorithm, checkLeafSize } from '../neighbors/index.ts';
import type { NeighborAlgorithm, NeighborMetric } from '../neighbors/index.ts';
import { distToRdist, KIND_L2, KIND_LP, prepareRows, rdistToDist, resolveMetric } from '../neighbors/metric.ts';
import type { ResolvedMetric } from '../neighbors/metric.ts';

export interface OpticsOptions {
  /** Neighbours (the point included) that make a core point: an integer ≥ 2, or a fraction of n in (0, 1]. Default 5. */
  minSamples?: number;
  /** Largest neighbourhood radius considered. Default Infinity. */
  maxEps?: number;
  /** Default 'minkowski' (with p = 2: euclidean), as in scikit-learn. */
  metric?: NeighborMetric;
  /** Minkowski power (≥ 1), used only with metric 'minkowski'. Default 2. */
  p?: number;
  /** Default 'xi'. */
  clusterMethod?: 'xi' | 'dbscan';
  /** Radius for cluster_method 'dbscan'; null/undefined means maxEps. */
  eps?: number | null;
  /** Minimum steepness of a cluster boundary for cluster_method 'xi', in [0, 1). Default 0.05. */
  xi?: number;
  /** Default true. */
  predecessorCorrection?: boolean;
  /** Smallest xi cluster: an integer ≥ 2 or a fraction of n in (0, 1]; null/undefined means minSamples. */
  minClusterSize?: number | null;
  /** Neighbour search; answers do not depend on it. Default 'auto'. */
  algorithm?: NeighborAlgorithm;
  /** kd-tree leaf size; speed only. Default 16. */
  leafSize?: number;
  /** Polled between blocks of work; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface OpticsResult {
  /** Cluster per row, 0..nClusters−1 as scikit-learn numbers them; −1 for noise. */
  labels: Int32Array;
  nClusters: number;
  /** Rows in the order OPTICS visited them (scikit-learn's `ordering_`). */
  ordering: Int32Array;
  /** Per row, Infinity where undefined (`reachability_`). */
  reachability: Float64Array;
  /** Per row, Infinity for rows that are never core (`core_distances_`). */
  coreDistances: Float64Array;
  /** Per row, −1 for rows reached from nowhere (`predecessor_`). */
  predecessor: Int32Array;
  /**
   * For cluster_method 'xi': every cluster found, as [start, end] positions
   * in `ordering` (inclusive), nested ones before their parents
   * (`cluster_hierarchy_`, flattened k×2). Empty for 'dbscan'.
   */
  clusterHierarchy: Int32Array;
}

interface OpticsParams {
  minSamples: number;
  maxEps: number;
  metric: ResolvedMetric;
  clusterMethod: 'xi' | 'dbscan';
  eps: number;
  xi: number;
  predecessorCorrection: boolean;
  minClusterSize: number;
  algorithm: NeighborAlgorithm;
  leafSize: number;
}

/**
 * scikit-learn's reading of a size that may be a fraction: values ≤ 1 are
 * fractions of n (at least 2), larger ones must be integers. Returns null
 * when the value is neither.
 */
function countOrFraction(value: number, n: number): number | null {
  if (typeof value !== 'number' || !(value > 0)) return null;
  if (value <= 1) return Math.max(2, Math.trunc(value * n));
  return Number.isInteger(value) ? value : null;
}

function resolveParams(options: OpticsOptions, n: number): OpticsParams {
  const rawMinSamples = options.minSamples ?? 5;
  const minSamples = countOrFraction(rawMinSamples, n);
  if (minSamples === null) {
    throw new RangeError(`min_samples must be an integer ≥ 2 or a fraction in (0, 1], got ${String(rawMinSamples)}`);
  }
  if (rawMinSamples > n) {
    throw new RangeError(`min_samples must be no greater than the number of samples (${n}), got ${rawMinSamples}`);
  }
  if (minSamples > n) {
    throw new RangeError(`min_samples ${rawMinSamples} means ${minSamples} samples (a fraction gives at least 2), more than the ${n} there are`);
  }
  const maxEps = options.maxEps ?? Infinity;
  if (typeof maxEps !== 'number' || !(maxEps >= 0)) {
    throw new RangeError(`max_eps must be a number ≥ 0 (Infinity for no limit), got ${String(maxEps)}`);
  }
  const metric = resolveMetric(options.metric ?? 'minkowski', options.p);
  const clusterMethod = options.clusterMethod ?? 'xi';
  if (clusterMethod !== 'xi' && clusterMethod !== 'dbscan') {
    throw new RangeError(`cluster_method must be 'xi' or 'dbscan', got '${String(clusterMethod)}'`);
  }
  const rawEps = options.eps ?? null;
  if (rawEps !== null && (typeof rawEps !== 'number' || !(rawEps >= 0))) {
    throw new RangeError(`eps must be a number ≥ 0 or null, got ${String(rawEps)}`);
  }
  const eps = rawEps ?? maxEps;
  if (clusterMethod === 'dbscan' && eps > maxEps) {
    throw new RangeError(`eps must be no greater than max_eps (${maxEps}), got ${eps}`);
  }
  const xi = options.xi ?? 0.05;
  // scikit-learn's validator admits xi = 1, but its extraction then divides by 1 − xi = 0 and fails.
  if (typeof xi !== 'number' || !(xi >= 0 && xi < 1)) throw new RangeError(`xi must be a number in [0, 1), got ${String(xi)}`);
  const predecessorCorrection = options.predecessorCorrection ?? true;
  if (typeof predecessorCorrection !== 'boolean') {
    throw new RangeError(`predecessor_correction must be a boolean, got ${String(predecessorCorrection)}`);
  }
  const rawMinClusterSize = options.minClusterSize ?? null;
  let minClusterSize = minSamples;
  if (rawMinClusterSize !== null) {
    const size = countOrFraction(rawMinClusterSize, n);
    if (size === null) {
      throw new RangeError(`min_cluster_size must be an integer ≥ 2 or a fraction in (0, 1], got ${String(rawMinClusterSize)}`);
    }
    if (rawMinClusterSize > n) {
      throw new RangeError(`min_cluster_size must be no greater than the number of samples (${n}), got ${rawMinClusterSize}`);
    }
    minClusterSize = size;
  }
  return {
    minSamples,
    maxEps,
    metric,
    clusterMethod,
    eps,
    xi,
    predecessorCorrection,
    minClusterSize,
    algorithm: checkAlgorithm(options.algorithm),
    leafSize: checkLeafSize(options.leafSize),
  };
}

export function optics(data: Float32Array, n: number, d: number, options: OpticsOptions = {}): OpticsResult {
  checkMatrix(data, n, d);
  const params = resolveParams(options, n);
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const tree = buildSearchTree(data, n, d, params.metric, params.algorithm, params.leafSize);
  const graph = tree !== null ? treeGraph(tree, params, shouldStop) : bruteGraph(data, n, d, params, shouldStop);
  let labels: Int32Array;
  let clusterHierarchy: Int32Array;
  if (params.clusterMethod === 'xi') {
    clusterHierarchy = xiClusters(graph.reachability, graph.predecessor, graph.ordering, params);
    labels = xiLabels(graph.ordering, clusterHierarchy);
  } else {
    clusterHierarchy = new Int32Array(0);
    labels = dbscanLabels(graph.reachability, graph.coreDistances, graph.ordering, params.eps);
  }
  let nClusters = 0;
  for (let i = 0; i < n; i++) if (labels[i] + 1 > nClusters) nClusters = labels[i] + 1;
  return { labels, nClusters, ...graph, clusterHierarchy };
}

interface OpticsGraph {
  ordering: Int32Array;
  reachability: Float64Array;
  coreDistances: Float64Array;
  predecessor: Int32Array;
}

/** numpy.around(x, 15): scale, round half to even, scale back, in the same float operations. */
export function roundTo15Decimals(x: number): number {
  const y = x * 1e15;
  if (!Number.isFinite(y)) return x;
  const f = Math.floor(y);
  const frac = y - f;
  const r = frac < 0.5 ? f : frac > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r / 1e15;
}

/**
 * How many nearest neighbours (over all points) a processed point updates
 * straight away, from lists kept since the core-distance pass: a radius some
 * way past the core distance, so that the next reachability (often that very
 * core distance) can be accepted without widening. At most PUSH_LIST_BUDGET
 * entries are kept in all.
 */
function pushListLength(minSamples: number, n: number): number {
  const wanted = Math.min(n, minSamples + 32, 64);
  return Math.max(1, Math.min(wanted, Math.floor(PUSH_LIST_BUDGET / n)));
}

const PUSH_LIST_BUDGET = 1 << 23;

const WIDEN_FACTOR = 1.25;
const MIN_WIDEN_RDIST = 1e-12;

/** Neighbours share a widening query only when this close, relative to its radius, so the query grows little. */
const SHARE_FRACTION = 0.5;

/** A double just below x ≥ 0 (−1 for 0), so that "> below(x)" takes x in. */
function below(x: number): number {
  if (x <= 0) return -1;
  const y = x * (1 - Number.EPSILON);
  // Subnormal x rounds back to itself.
  return y < x ? y : x / 2;
}

/** Binary min-heap of rows keyed by (reachability, row), with decrease-key. */
class ReachHeap {
  private readonly rows: Int32Array;
  private readonly slot: Int32Array;
  private readonly key: Float64Array;
  size = 0;

  constructor(n: number, key: Float64Array) {
    this.rows = new Int32Array(n);
    this.slot = new Int32Array(n).fill(-1);
    this.key = key;
  }

  top(): number {
    return this.rows[0];
  }

  /** Insert `row`, or restore heap order after its key decreased. */
  upsert(row: number): void {
    let i = this.slot[row];
    if (i === -1) {
      i = this.size++;
      this.rows[i] = row;
      this.slot[row] = i;
    }
    this.siftUp(i);
  }

  pop(): number {
    const top = this.rows[0];
    this.slot[top] = -1;
    const last = --this.size;
    if (last > 0) {
      this.rows[0] = this.rows[last];
      this.slot[this.rows[0]] = 0;
      this.siftDown(0);
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && a < b);
  }

  private siftUp(i: number): void {
    const rows = this.rows;
    const row = rows[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(row, rows[parent])) break;
      rows[i] = rows[parent];
      this.slot[rows[i]] = i;
      i = parent;
    }
    rows[i] = row;
    this.slot[row] = i;
  }

  private siftDown(i: number): void {
    const rows = this.rows;
    const row = rows[i];
    const size = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const c = l + 1 < size && this.less(rows[l + 1], rows[l]) ? l + 1 : l;
      if (!this.less(rows[c], row)) break;
      rows[i] = rows[c];
      this.slot[rows[i]] = i;
      i = c;
    }
    rows[i] = row;
    this.slot[row] = i;
  }
}

/** Binary min-heap of processed rows keyed by how far their updates reach. */
class FrontierHeap {
  private rows = new Int32Array(64);
  private bounds = new Float64Array(64);
  size = 0;

  topBound(): number {
    return this.bounds[0];
  }

  push(row: number, bound: number): void {
    if (this.size === this.rows.length) {
      const rows = new Int32Array(this.size * 2);
      rows.set(this.rows);
      this.rows = rows;
      const bounds = new Float64Array(this.size * 2);
      bounds.set(this.bounds);
      this.bounds = bounds;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.bounds[parent] <= bound) break;
      this.rows[i] = this.rows[parent];
      this.bounds[i] = this.bounds[parent];
      i = parent;
    }
    this.rows[i] = row;
    this.bounds[i] = bound;
  }

  pop(): number {
    const top = this.rows[0];
    const last = --this.size;
    const row = this.rows[last];
    const bound = this.bounds[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const c = l + 1 < last && this.bounds[l + 1] < this.bounds[l] ? l + 1 : l;
      if (this.bounds[c] >= bound) break;
      this.rows[i] = this.rows[c];
      this.bounds[i] = this.bounds[c];
      i = c;
    }
    this.rows[i] = row;
    this.bounds[i] = bound;
    return top;
  }
}

function finishCoreDistances(core: Float64Array, maxEps: number): void {
  for (let i = 0; i < core.length; i++) {
    core[i] = core[i] > maxEps ? Infinity : roundTo15Decimals(core[i]);
  }
}

function treeGraph(tree: KdTree, params: OpticsParams, shouldStop: (() => boolean) | undefined): OpticsGraph {
  const { metric, minSamples, maxEps } = params;
  const { n, d, kind } = tree;
  const pts = tree.points;
  const order = tree.order;
  const position = tree.position;

  // Core distances, and each point's nearest neighbours (tree positions) for its first update.
  const listLength = pushListLength(minSamples, n);
  const k = Math.max(minSamples, listLength);
  const core = new Float64Array(n);
  const listPos = new Int32Array(n * listLength);
  const listRdist = new Float64Array(n * listLength);
  const knnIdx = new Int32Array(k);
  const knnRdist = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    if ((t & 1023) === 0) throwIfCanceled(shouldStop);
    tree.knn(pts, t * d, k, knnIdx, knnRdist);
    core[order[t]] = rdistToDist(metric, knnRdist[minSamples - 1]);
    for (let i = 0; i < listLength; i++) {
      listPos[t * listLength + i] = position[knnIdx[i]];
      listRdist[t * listLength + i] = knnRdist[i];
    }
  }
  finishCoreDistances(core, maxEps);

  const maxRdist = distToRdist(metric, maxEps);
  const reach = new Float64Array(n).fill(Infinity);
  const pred = new Int32Array(n).fill(-1);
  const visitedAt = new Int32Array(n).fill(-1);
  const ordering = new Int32Array(n);
  const unprocessed = new PointMask(tree, true, true);
  const heap = new ReachHeap(n, reach);
  const frontier = new FrontierHeap();
  // Per processed core point (tree position): every unprocessed point with
  // reduced distance below low[t] has been updated from it, and those at
  // exactly low[t] too unless tiesOpen[t]. entryBound[t] is the bound of its
  // live frontier entry (Infinity once nothing within max_eps is left).
  const low = new Float64Array(n);
  const tiesOpen = new Uint8Array(n);
  const entryBound = new Float64Array(n).fill(Infinity);
  const hits = new Hits();
  const sharers = new Int32Array(listLength);
  let lowestUnvisited = 0;

  const update = (fromRow: number, row: number, rdist: number): void => {
    if (rdist > maxRdist) return;
    const r = roundTo15Decimals(Math.max(rdistToDist(metric, rdist), core[fromRow]));
    if (r < reach[row]) {
      reach[row] = r;
      pred[row] = fromRow;
      heap.upsert(row);
    } else if (r === reach[row] && visitedAt[fromRow] < visitedAt[pred[row]]) {
      pred[row] = fromRow;
    }
  };

  /** Records how far `t` has updated and re-queues it unless nothing within max_eps is left. */
  const settle = (t: number, reached: number, open: boolean): void => {
    low[t] = reached;
    tiesOpen[t] = open ? 1 : 0;
    if (reached > maxRdist) {
      entryBound[t] = Infinity;
      return;
    }
    const bound = roundTo15Decimals(rdistToDist(metric, reached));
    entryBound[t] = bound;
    frontier.push(t, bound);
  };

  /**
   * Updates every unprocessed point within reduced radius `to` of `t` and of
   * its processed neighbours that are due to widen too. One radius query
   * around t, enlarged by the farthest such neighbour's distance ρ, finds
   * them all (triangle inequality), so a large jump in reachability, which
   * sends every processed point widening, costs one query per neighbourhood
   * rather than one per point.
   */
  const widen = (t: number, to: number): void => {
    const toDist = searchDist(kind, metric.p, to);
    let sharerCount = 0;
    let spread = 0;
    let covered = searchDist(kind, metric.p, tiesOpen[t] === 1 ? below(low[t]) : low[t]);
    for (let i = t * listLength; i < (t + 1) * listLength; i++) {
      const s = listPos[i];
      if (s === t || entryBound[s] === Infinity || visitedAt[order[s]] === -1 || low[s] >= to) continue;
      const dist = searchDist(kind, metric.p, listRdist[i]);
      if (dist > SHARE_FRACTION * toDist) continue;
      sharers[sharerCount++] = s;
      spread = Math.max(spread, dist);
      covered = Math.min(covered, searchDist(kind, metric.p, tiesOpen[s] === 1 ? below(low[s]) : low[s]));
    }
    // Margins of a few ulps keep the triangle inequality safe under rounding.
    const reachRdist = searchRdist(kind, metric.p, (toDist + spread) * (1 + 1e-12));
    const skipRdist = covered - spread > 0 ? searchRdist(kind, metric.p, (covered - spread) * (1 - 1e-12)) : -1;
    hits.clear();
    tree.within(pts, t * d, reachRdist, hits, unprocessed, skipRdist);
    const fromRow = order[t];
    for (let h = 0; h < hits.count; h++) if (hits.rdist[h] <= to) update(fromRow, order[hits.pos[h]], hits.rdist[h]);
    settle(t, to, false);
    for (let m = 0; m < sharerCount; m++) {
      const s = sharers[m];
      const row = order[s];
      tree.setQuery(pts, s * d);
      for (let h = 0; h < hits.count; h++) {
        const rd = tree.pointRdist(hits.pos[h]);
        if (rd <= to) update(row, order[hits.pos[h]], rd);
      }
      settle(s, to, false);
    }
  };

  for (let step = 0; step < n; step++) {
    if ((step & 255) === 0) throwIfCanceled(shouldStop);
    // Widen until the best updated point provably beats every point not yet updated.
    while (frontier.size > 0 && (heap.size === 0 || reach[heap.top()] >= frontier.topBound())) {
      const bound = frontier.topBound();
      const t = frontier.pop();
      if (bound !== entryBound[t]) continue;
      const level = heap.size === 0 ? bound : reach[heap.top()];
      // Past the current level with some headroom, and never zero: a bound of
      // zero could not be passed, since reachabilities round to 15 decimals.
      widen(t, Math.max(distToRdist(metric, level * WIDEN_FACTOR), low[t] * WIDEN_FACTOR, MIN_WIDEN_RDIST));
    }
    let row: number;
    if (heap.size > 0) {
      row = heap.pop();
    } else {
      while (visitedAt[lowestUnvisited] !== -1) lowestUnvisited++;
      row = lowestUnvisited;
    }
    visitedAt[row] = step;
    ordering[step] = row;
    const t = position[row];
    unprocessed.remove(t);
    if (core[row] === Infinity || unprocessed.nodeCount[0] === 0) continue;
    const list = t * listLength;
    for (let i = list; i < list + listLength; i++) {
      const s = listPos[i];
      if (visitedAt[order[s]] === -1) update(row, order[s], listRdist[i]);
    }
    if (listLength < n) settle(t, listRdist[list + listLength - 1], true);
  }
  return { ordering, reachability: reach, coreDistances: core, predecessor: pred };
}

/** Distance in the search metric (chord length for cosine), where the triangle inequality holds. */
function searchDist(kind: number, p: number, rdist: number): number {
  if (rdist < 0) return rdist;
  if (kind === KIND_L2) return Math.sqrt(rdist);
  if (kind === KIND_LP) return Math.pow(rdist, 1 / p);
  return rdist;
}

function searchRdist(kind: number, p: number, dist: number): number {
  if (kind === KIND_L2) return dist * dist;
  if (kind === KIND_LP) return Math.pow(dist, p);
  return dist;
}

function bruteGraph(
  data: Float32Array,
  n: number,
  d: number,
  params: OpticsParams,
  shouldStop: (() => boolean) | undefined,
): OpticsGraph {
  const { metric, minSamples, maxEps } = params;
  const norms = rowNormsFor(metric, data, n, d, 'data');
  const knnIdx = new Int32Array(n * minSamples);
  const knnRdist = new Float64Array(n * minSamples);
  bruteKnn(metric, data, norms, n, data, norms, n, d, minSamples, knnIdx, knnRdist, () => throwIfCanceled(shouldStop));
  const core = new Float64Array(n);
  for (let i = 0; i < n; i++) core[i] = rdistToDist(metric, knnRdist[i * minSamples + minSamples - 1]);
  finishCoreDistances(core, maxEps);

  const reach = new Float64Array(n).fill(Infinity);
  const pred = new Int32Array(n).fill(-1);
  const ordering = new Int32Array(n);
  // Unprocessed rows, kept ascending so that the first minimum found is the lowest row.
  const active = new Int32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let nActive = n;
  const rdist = new Float64Array(n);
  let next = 0;
  for (let step = 0; step < n; step++) {
    if ((step & 63) === 0) throwIfCanceled(shouldStop);
    const row = next;
    ordering[step] = row;
    let w = 0;
    for (let a = 0; a < nActive; a++) if (active[a] !== row) active[w++] = active[a];
    nActive = w;
    if (nActive === 0) break;
    const c = core[row];
    if (c !== Infinity) {
      rdistGathered(metric, data, norms, row, data, norms, active, nActive, d, rdist);
      for (let a = 0; a < nActive; a++) {
        const dist = rdistToDist(metric, rdist[a]);
        if (!(dist <= maxEps)) continue;
        const q = active[a];
        const r = roundTo15Decimals(Math.max(dist, c));
        if (r < reach[q]) {
          reach[q] = r;
          pred[q] = row;
        }
      }
    }
    next = active[0];
    for (let a = 1; a < nActive; a++) if (reach[active[a]] < reach[next]) next = active[a];
  }
  return { ordering, reachability: reach, coreDistances: core, predecessor: pred };
}

/**
 * scikit-learn's `cluster_optics_dbscan`: a new cluster starts at each
 * point, in visiting order, whose reachability exceeds eps while its core
 * distance does not; points reachable within eps join the current cluster;
 * the rest are noise.
 */
export function dbscanLabels(reachability: Float64Array, coreDistances: Float64Array, ordering: Int32Array, eps: number): Int32Array {
  const n = ordering.length;
  const labels = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const row = ordering[k];
    const farReach = reachability[row] > eps;
    const nearCore = coreDistances[row] <= eps;
    if (farReach && nearCore) count++;
    labels[row] = farReach && !nearCore ? -1 : count - 1;
  }
  return labels;
}

interface SteepDownArea {
  start: number;
  end: number;
  mib: number;
}

/**
 * scikit-learn's `_xi_cluster` (Ankerst et al. 1999, figure 19, with the
 * corrections scikit-learn makes): every [start, end] range of the ordering
 * bounded by a steep-down and a steep-up area, nested ones first.
 */
export function xiClusters(
  reachability: Float64Array,
  predecessor: Int32Array,
  ordering: Int32Array,
  params: { xi: number; minSamples: number; minClusterSize: number; predecessorCorrection: boolean },
): Int32Array {
  const n = ordering.length;
  const { xi, minSamples, minClusterSize, predecessorCorrection } = params;
  // The reachability plot, with an infinite sentinel so a cluster can end at the last point.
  const plot = new Float64Array(n + 1);
  const predPlot = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    plot[k] = reachability[ordering[k]];
    predPlot[k] = predecessor[ordering[k]];
  }
  plot[n] = Infinity;
  const xiComplement = 1 - xi;
  const steepUp = new Uint8Array(n);
  const steepDown = new Uint8Array(n);
  const up = new Uint8Array(n);
  const down = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    // IEEE division as numpy does it: ∞/∞ and 0/0 are NaN, and NaN compares false.
    const ratio = plot[k] / plot[k + 1];
    steepUp[k] = ratio <= xiComplement ? 1 : 0;
    steepDown[k] = ratio >= 1 / xiComplement ? 1 : 0;
    down[k] = ratio > 1 ? 1 : 0;
    up[k] = ratio < 1 ? 1 : 0;
  }

  let sdas: SteepDownArea[] = [];
  const clusters: number[] = [];
  let index = 0;
  let mib = 0;
  for (let steep = 0; steep < n; steep++) {
    if ((steepUp[steep] | steepDown[steep]) === 0 || steep < index) continue;
    for (let k = index; k <= steep; k++) if (plot[k] > mib) mib = plot[k];
    sdas = filterSteepDownAreas(sdas, mib, xiComplement, plot);
    if (steepDown[steep] === 1) {
      const end = extendRegion(steepDown, up, steep, minSamples);
      sdas.push({ start: steep, end, mib: 0 });
      index = end + 1;
      mib = plot[index];
      continue;
    }
    const upStart = steep;
    const upEnd = extendRegion(steepUp, down, upStart, minSamples);
    index = upEnd + 1;
    mib = plot[index];
    const found: number[] = [];
    for (const sda of sdas) {
      let cStart = sda.start;
      let cEnd = upEnd;
      if (plot[cEnd + 1] * xiComplement < sda.mib) continue;
      const dMax = plot[sda.start];
      if (dMax * xiComplement >= plot[cEnd + 1]) {
        while (plot[cStart + 1] > plot[cEnd + 1] && cStart < sda.end) cStart++;
      } else if (plot[cEnd + 1] * xiComplement >= dMax) {
        while (plot[cEnd - 1] > dMax && cEnd > upStart) cEnd--;
      }
      if (predecessorCorrection) {
        const corrected = correctPredecessor(plot, predPlot, cStart, cEnd);
        if (corrected < 0) continue;
        cEnd = corrected;
      }
      if (cEnd - cStart + 1 < minClusterSize) continue;
      if (cStart > sda.end) continue;
      if (cEnd < upStart) continue;
      found.push(cStart, cEnd);
    }
    // Smaller (later-found) clusters first.
    for (let f = found.length - 2; f >= 0; f -= 2) clusters.push(found[f], found[f + 1]);
  }
  return Int32Array.from(clusters);
}

/**
 * scikit-learn's `_extend_region`: the end of the steep area starting at
 * `start`, allowing at most `minSamples` consecutive non-steep points and
 * stopping at the first point going the other way.
 */
function extendRegion(steep: Uint8Array, opposite: Uint8Array, start: number, minSamples: number): number {
  const n = steep.length;
  let nonSteep = 0;
  let end = start;
  for (let k = start; k < n; k++) {
    if (steep[k] === 1) {
      nonSteep = 0;
      end = k;
    } else if (opposite[k] === 0) {
      nonSteep++;
      if (nonSteep > minSamples) break;
    } else {
      return end;
    }
  }
  return end;
}

function filterSteepDownAreas(
  sdas: SteepDownArea[],
  mib: number,
  xiComplement: number,
  plot: Float64Array,
): SteepDownArea[] {
  if (mib === Infinity) return [];
  const kept = sdas.filter((sda) => mib <= plot[sda.start] * xiComplement);
  for (const sda of kept) sda.mib = Math.max(sda.mib, mib);
  return kept;
}

/**
 * scikit-learn's `_correct_predecessor` (Schubert & Gertz 2018, algorithm
 * 2): shrinks the cluster's end until its last point is lower than the
 * start or its predecessor lies inside. Returns the new end, or −1 when
 * nothing remains. scikit-learn compares the predecessor's row index with
 * positions in the ordering (it looks up `ordering[predecessor]`); that is
 * reproduced here, since it decides which clusters come out. A predecessor
 * of −1 never matches.
 */
function correctPredecessor(plot: Float64Array, predPlot: Int32Array, start: number, end: number): number {
  while (start < end) {
    if (plot[start] > plot[end]) return end;
    const p = predPlot[end];
    if (p >= start && p < end) return end;
    end--;
  }
  return -1;
}

/** scikit-learn's `_extract_xi_labels`: each cluster in turn labels its points if none is labelled yet. */
export function xiLabels(ordering: Int32Array, clusters: Int32Array): Int32Array {
  const n = ordering.length;
  const byPosition = new Int32Array(n).fill(-1);
  let label = 0;
  for (let c = 0; c < clusters.length; c += 2) {
    const start = clusters[c];
    const end = clusters[c + 1];
    let free = true;
    for (let k = start; k <= end; k++) {
      if (byPosition[k] !== -1) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    for (let k = start; k <= end; k++) byPosition[k] = label;
    label++;
  }
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) labels[ordering[k]] = byPosition[k];
  return labels;
}

/**
 * Labels for rows that were not part of the fit (the server fits on a sample
 * when `sample_size` is set). scikit-learn's OPTICS has no `predict`; the
 * rule here asks where a row would join the fitted ordering. Its
 * reachability from a fitted point p would be max(core distance of p,
 * distance to p); the row takes the cluster of the labelled point that
 * reaches it lowest (ties: lowest fitted row) if that reachability is within
 * the cluster's own level, and is noise otherwise. A cluster's level is eps
 * for cluster_method 'dbscan' (so a row joins the cluster of a core point
 * within eps, as in DBSCAN), and for 'xi' the largest reachability inside the
 * cluster, leaving out the entry into it at its first point in the ordering.
 * Meant for rows outside the fit: fitted rows should keep the fit's labels
 * (the rule can differ for them, e.g. for a cluster's first point).
 * `options` must be the options of the fit.
 */
export function assignOptics(
  fitData: Float32Array,
  fitN: number,
  d: number,
  fit: OpticsResult,
  data: Float32Array,
  n: number,
  options: OpticsOptions = {},
): Int32Array {
  checkMatrix(fitData, fitN, d);
  checkMatrix(data, n, d);
  const params = resolveParams(options, fitN);
  if (!(fit.labels instanceof Int32Array) || fit.labels.length !== fitN) {
    throw new RangeError(`fit.labels must be an Int32Array of length ${fitN}`);
  }
  const level = clusterLevels(fit, params);
  const candidates: number[] = [];
  for (let i = 0; i < fitN; i++) if (fit.labels[i] >= 0 && fit.coreDistances[i] !== Infinity) candidates.push(i);
  const labels = new Int32Array(n).fill(-1);
  if (candidates.length === 0) return labels;
  const m = candidates.length;
  const core = Float64Array.from(candidates, (i) => fit.coreDistances[i]);
  const rows = new Float32Array(m * d);
  for (let c = 0; c < m; c++) rows.set(fitData.subarray(candidates[c] * d, candidates[c] * d + d), c * d);
  const tree = buildSearchTree(rows, m, d, params.metric, params.algorithm, params.leafSize);
  const best =
    tree !== null
      ? lowestReachTree(tree, core, data, n, params, options.shouldStop)
      : lowestReachBrute(rows, m, d, core, data, n, params, options.shouldStop);
  for (let i = 0; i < n; i++) {
    const label = fit.labels[candidates[best.index[i]]];
    if (best.reach[i] <= level[label]) labels[i] = label;
  }
  return labels;
}

function clusterLevels(fit: OpticsResult, params: OpticsParams): Float64Array {
  const level = new Float64Array(fit.nClusters);
  if (params.clusterMethod === 'dbscan') {
    level.fill(params.eps);
    return level;
  }
  const entered = new Uint8Array(fit.nClusters);
  for (const row of fit.ordering) {
    const label = fit.labels[row];
    if (label < 0) continue;
    if (entered[label] === 0) entered[label] = 1;
    else level[label] = Math.max(level[label], fit.reachability[row]);
  }
  return level;
}

interface LowestReach {
  /** Per query row: the candidate reaching it lowest. */
  index: Int32Array;
  reach: Float64Array;
}

function lowestReachTree(
  tree: KdTree,
  core: Float64Array,
  data: Float32Array,
  n: number,
  params: OpticsParams,
  shouldStop: (() => boolean) | undefined,
): LowestReach {
  const { metric } = params;
  const d = tree.d;
  const queries = prepareRows(data, n, d, metric, 'query');
  const index = new Int32Array(n);
  const reach = new Float64Array(n);
  const nearestIdx = new Int32Array(1);
  const nearestRdist = new Float64Array(1);
  const hits = new Hits();
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) throwIfCanceled(shouldStop);
    // Every candidate reaching lower than the nearest one lies within that reach.
    tree.knn(queries, i * d, 1, nearestIdx, nearestRdist);
    let bestRow = nearestIdx[0];
    let bestReach = Math.max(core[bestRow], rdistToDist(metric, nearestRdist[0]));
    hits.clear();
    // A relative margin of a few ulps keeps ties at exactly that reach in.
    tree.within(queries, i * d, distToRdist(metric, bestReach) * (1 + 1e-12), hits);
    for (let h = 0; h < hits.count; h++) {
      const row = tree.order[hits.pos[h]];
      const r = Math.max(core[row], rdistToDist(metric, hits.rdist[h]));
      if (r < bestReach || (r === bestReach && row < bestRow)) {
        bestReach = r;
        bestRow = row;
      }
    }
    index[i] = bestRow;
    reach[i] = bestReach;
  }
  return { index, reach };
}

function lowestReachBrute(
  rows: Float32Array,
  m: number,
  d: number,
  core: Float64Array,
  data: Float32Array,
  n: number,
  params: OpticsParams,
  shouldStop: (() => boolean) | undefined,
): LowestReach {
  const { metric } = params;
  const rowNorms = rowNormsFor(metric, rows, m, d, 'fit');
  const queryNorms = rowNormsFor(metric, data, n, d, 'query');
  const index = new Int32Array(n);
  const reach = new Float64Array(n).fill(Infinity);
  const tile = new Float64Array(QUERY_TILE * FIT_TILE);
  for (let q0 = 0; q0 < n; q0 += QUERY_TILE) {
    const qRows = Math.min(QUERY_TILE, n - q0);
    for (let f0 = 0; f0 < m; f0 += FIT_TILE) {
      throwIfCanceled(shouldStop);
      const fRows = Math.min(FIT_TILE, m - f0);
      rdistTile(metric, data, queryNorms, q0, qRows, rows, rowNorms, f0, fRows, d, tile);
      for (let r = 0; r < qRows; r++) {
        for (let c = 0; c < fRows; c++) {
          // Candidates arrive in increasing order, so a tie keeps the lower one.
          const v = Math.max(core[f0 + c], rdistToDist(metric, tile[r * fRows + c]));
          if (v < reach[q0 + r]) {
            reach[q0 + r] = v;
            index[q0 + r] = f0 + c;
          }
        }
      }
    }
  }
  return { index, reach };
}
