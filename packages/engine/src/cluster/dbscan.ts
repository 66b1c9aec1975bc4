/**
 * DBSCAN with scikit-learn 1.2's `DBSCAN` semantics (unit sample weights).
 *
 * A point is core when at least `minSamples` points, itself included, lie
 * within `eps` (inclusive). scikit-learn then runs a depth-first expansion
 * from each unlabeled core point in index order, which fixes three things
 * that we reproduce without replaying the expansion:
 *   - clusters are the connected components of the core points under the
 *     eps-neighbour relation;
 *   - they are numbered in the order of their lowest core index;
 *   - a border point (non-core, within eps of a core point) joins the
 *     lowest-numbered cluster among its core neighbours, because each
 *     expansion finishes before the next one starts.
 *
 * Three passes, on a kd-tree where it prunes and on blocked brute-force
 * tiles otherwise (see buildSearchTree): core counts (the tree stops counting
 * at minSamples), components of the core points (union-find; the tree walk
 * skips whole subtrees already in the query's component), and the core
 * neighbours of every non-core point. Unlike scikit-learn, the neighbourhoods
 * of core points are never stored.
 */
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { FIT_TILE, rdistTile, rowNormsFor } from '../neighbors/brute.ts';
import { Hits, KdTree, PointMask } from '../neighbors/kd-tree.ts';
import { buildSearchTree, checkAlgorithm, checkLeafSize, NeighborIndex } from '../neighbors/index.ts';
import type { NeighborAlgorithm, NeighborMetric } from '../neighbors/index.ts';
import { distToRdist, resolveMetric } from '../neighbors/metric.ts';
import type { ResolvedMetric } from '../neighbors/metric.ts';
import { findRoot, unionToLowerRoot } from '../graph/disjoint-set.ts';
import { gatherRows } from '../linalg/gather-rows.ts';

export interface DbscanOptions {
  /** Neighbourhood radius (inclusive). Default 0.5. */
  eps?: number;
  /** Points within eps, the point itself included, that make a core point. Default 5. */
  minSamples?: number;
  /** Default 'euclidean'. */
  metric?: NeighborMetric;
  /** Minkowski power, used only with metric 'minkowski' (≥ 1). Default 2. */
  p?: number | null;
  /** Neighbour search; answers do not depend on it. Default 'auto'. */
  algorithm?: NeighborAlgorithm;
  /** kd-tree leaf size; speed only. Default 16. */
  leafSize?: number;
  /** Polled between blocks of work; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface DbscanResult {
  /** Cluster per row, 0..nClusters−1 numbered as scikit-learn numbers them; −1 for noise. */
  labels: Int32Array;
  /** Rows that are core samples, ascending (scikit-learn's `core_sample_indices_`). */
  coreSampleIndices: Int32Array;
  nClusters: number;
}

/** Neighbours kept per core point from the counting pass to seed the components. */
const SEED_NEIGHBORS = 16;

interface DbscanParams {
  eps: number;
  minSamples: number;
  metric: ResolvedMetric;
  algorithm: NeighborAlgorithm;
  leafSize: number;
}

function resolveParams(options: DbscanOptions): DbscanParams {
  const eps = options.eps ?? 0.5;
  if (typeof eps !== 'number' || !(eps > 0)) throw new RangeError(`eps must be a number > 0, got ${String(eps)}`);
  const minSamples = options.minSamples ?? 5;
  if (typeof minSamples !== 'number' || !Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`min_samples must be an integer ≥ 1, got ${String(minSamples)}`);
  }
  return {
    eps,
    minSamples,
    metric: resolveMetric(options.metric, options.p),
    algorithm: checkAlgorithm(options.algorithm),
    leafSize: checkLeafSize(options.leafSize),
  };
}

export function dbscan(data: Float32Array, n: number, d: number, options: DbscanOptions = {}): DbscanResult {
  const params = resolveParams(options);
  checkMatrix(data, n, d);
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const tree = buildSearchTree(data, n, d, params.metric, params.algorithm, params.leafSize);
  const components =
    tree !== null ? treeComponents(tree, params, shouldStop) : bruteComponents(data, n, d, params, shouldStop);
  return numberClusters(n, components);
}

/** Core flags, core components, and the core rows within eps of every other row. */
interface Components {
  isCore: Uint8Array;
  /** Union-find parents over rows; meaningful for core rows. */
  parent: Int32Array;
  /** Non-core row i's core neighbours are borderCores[borderOffsets[i] .. borderOffsets[i+1]−1]. */
  borderOffsets: Int32Array;
  borderCores: Int32Array;
}

function treeComponents(tree: KdTree, params: DbscanParams, shouldStop: (() => boolean) | undefined): Components {
  const { metric, minSamples } = params;
  const { n, d } = tree;
  const pts = tree.points;
  const order = tree.order;
  const r = distToRdist(metric, params.eps);

  // Pass 1: core flags. Counting stops at minSamples; the neighbours met on
  // the way are kept (up to SEED_NEIGHBORS) to seed the components.
  const seedCount = Math.min(minSamples, SEED_NEIGHBORS);
  const seeds = new Int32Array(n * seedCount);
  const found = new Int32Array(seedCount);
  const isCore = new Uint8Array(n);
  const coreMask = new PointMask(tree, false, true);
  for (let t = 0; t < n; t++) {
    if ((t & 1023) === 0) throwIfCanceled(shouldStop);
    if (tree.countWithin(pts, t * d, r, minSamples, found) >= minSamples) {
      isCore[order[t]] = 1;
      coreMask.add(t);
      seeds.set(found, t * seedCount);
    }
  }

  // Pass 2: components. Joining each core point to the core points among its
  // seeds connects most of every cluster at no search cost; the searches
  // then skip whole subtrees already in the query's component.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let t = 0; t < n; t++) {
    if (coreMask.member[t] === 0) continue;
    for (let s = t * seedCount; s < (t + 1) * seedCount; s++) {
      if (coreMask.member[seeds[s]] === 1) unionToLowerRoot(parent, order[t], order[seeds[s]]);
    }
  }
  const walk: TreeWalk = { tree, coreMask, parent, rep: new Int32Array(tree.nNodes).fill(-1), r, row: 0 };
  for (let node = tree.nNodes - 1; node >= 0; node--) updateRep(walk, node);
  for (let t = 0; t < n; t++) {
    if ((t & 1023) === 0) throwIfCanceled(shouldStop);
    if (coreMask.member[t] === 0) continue;
    tree.setQuery(pts, t * d, coreMask);
    walk.row = order[t];
    unionNode(walk, 0);
  }

  // Pass 3: the core neighbours of every other row.
  const borderOffsets = new Int32Array(n + 1);
  const borderCores: number[] = [];
  const hits = new Hits();
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) throwIfCanceled(shouldStop);
    if (isCore[i] === 0) {
      const t = tree.position[i];
      hits.clear();
      tree.within(pts, t * d, r, hits, coreMask);
      for (let h = 0; h < hits.count; h++) borderCores.push(order[hits.pos[h]]);
    }
    borderOffsets[i + 1] = borderCores.length;
  }
  return { isCore, parent, borderOffsets, borderCores: Int32Array.from(borderCores) };
}

/**
 * State of the union pass's tree walk. `rep[node]` is a core row whose
 * component already holds every core row of the node (−1 until known); since
 * components only ever merge, once set it stays true, and a node whose
 * component is the query's own can be skipped without computing a distance.
 * After the seeding unions most nodes inside a cluster are uniform from the
 * start, which is what makes the pass cheap.
 */
interface TreeWalk {
  tree: KdTree;
  coreMask: PointMask;
  parent: Int32Array;
  rep: Int32Array;
  r: number;
  row: number;
}

/**
 * Joins the query row's component with every core row within eps, skipping
 * subtrees (and single rows) already in it.
 */
function unionNode(w: TreeWalk, node: number): void {
  const tree = w.tree;
  if (w.coreMask.nodeCount[node] === 0) return;
  const parent = w.parent;
  const rep = w.rep[node];
  if (rep >= 0 && findRoot(parent, rep) === findRoot(parent, w.row)) return;
  if (tree.minRdist(node) > w.r) return;
  if (node >= tree.firstLeaf) {
    const member = w.coreMask.member;
    const order = tree.order;
    const end = tree.nodeEnd[node];
    let own = findRoot(parent, w.row);
    for (let t = tree.nodeStart[node]; t < end; t++) {
      if (member[t] === 0) continue;
      // A find costs less than a distance, and pairs already joined need none.
      const other = findRoot(parent, order[t]);
      if (other !== own && tree.pointRdistBounded(t, w.r) <= w.r) {
        if (own < other) parent[other] = own;
        else {
          parent[own] = other;
          own = other;
        }
      }
    }
  } else {
    unionNode(w, 2 * node + 1);
    unionNode(w, 2 * node + 2);
  }
  updateRep(w, node);
}

/** Sets rep[node] if every core row under `node` now shares one component. */
function updateRep(w: TreeWalk, node: number): void {
  const tree = w.tree;
  const parent = w.parent;
  if (w.coreMask.nodeCount[node] === 0) return;
  if (node >= tree.firstLeaf) {
    const member = w.coreMask.member;
    const order = tree.order;
    let root = -1;
    let row = -1;
    for (let t = tree.nodeStart[node]; t < tree.nodeEnd[node]; t++) {
      if (member[t] === 0) continue;
      const other = findRoot(parent, order[t]);
      if (root === -1) {
        root = other;
        row = order[t];
      } else if (other !== root) return;
    }
    w.rep[node] = row;
    return;
  }
  const left = 2 * node + 1;
  const right = left + 1;
  const emptyLeft = w.coreMask.nodeCount[left] === 0;
  const emptyRight = w.coreMask.nodeCount[right] === 0;
  const repLeft = w.rep[left];
  const repRight = w.rep[right];
  if ((!emptyLeft && repLeft < 0) || (!emptyRight && repRight < 0)) return;
  if (emptyLeft) w.rep[node] = repRight;
  else if (emptyRight || findRoot(parent, repLeft) === findRoot(parent, repRight)) w.rep[node] = repLeft;
}

/**
 * Pairs within eps found by the counting pass are kept up to this many (two
 * Int32 each, 64 MiB), so the other passes need no second look at the
 * distances; beyond it they are recomputed tile by tile instead.
 */
const MAX_KEPT_PAIRS = 1 << 23;

function bruteComponents(
  data: Float32Array,
  n: number,
  d: number,
  params: DbscanParams,
  shouldStop: (() => boolean) | undefined,
): Components {
  const { metric, minSamples } = params;
  const r = distToRdist(metric, params.eps);
  const norms = rowNormsFor(metric, data, n, d, 'data');
  const tile = new Float64Array(FIT_TILE * FIT_TILE);

  // Pass 1: neighbour counts over the upper triangle of square tiles.
  const counts = new Int32Array(n);
  let pairs: PairList | null = new PairList();
  for (let a0 = 0; a0 < n; a0 += FIT_TILE) {
    const aRows = Math.min(FIT_TILE, n - a0);
    for (let b0 = a0; b0 < n; b0 += FIT_TILE) {
      throwIfCanceled(shouldStop);
      const bRows = Math.min(FIT_TILE, n - b0);
      rdistTile(metric, data, norms, a0, aRows, data, norms, b0, bRows, d, tile);
      for (let i = 0; i < aRows; i++) {
        const o = i * bRows;
        const a = a0 + i;
        counts[a] += a0 === b0 ? 1 : 0;
        for (let c = a0 === b0 ? i + 1 : 0; c < bRows; c++) {
          if (tile[o + c] > r) continue;
          const b = b0 + c;
          counts[a]++;
          counts[b]++;
          if (pairs !== null && !pairs.push(a, b)) pairs = null;
        }
      }
    }
  }
  const isCore = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (counts[i] >= minSamples) isCore[i] = 1;
  return pairs !== null
    ? componentsFromPairs(n, isCore, pairs)
    : componentsByRecomputing(data, n, d, metric, r, norms, isCore, tile, shouldStop);
}

class PairList {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  count = 0;

  /** Returns false, keeping nothing more, once MAX_KEPT_PAIRS would be passed. */
  push(a: number, b: number): boolean {
    if (this.count === this.a.length) {
      if (this.count >= MAX_KEPT_PAIRS) return false;
      const grownA = new Int32Array(this.count * 2);
      grownA.set(this.a);
      this.a = grownA;
      const grownB = new Int32Array(this.count * 2);
      grownB.set(this.b);
      this.b = grownB;
    }
    this.a[this.count] = a;
    this.b[this.count] = b;
    this.count++;
    return true;
  }
}

function componentsFromPairs(n: number, isCore: Uint8Array, pairs: PairList): Components {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const borderCount = new Int32Array(n + 1);
  for (let k = 0; k < pairs.count; k++) {
    const a = pairs.a[k];
    const b = pairs.b[k];
    if (isCore[a] === 1 && isCore[b] === 1) unionToLowerRoot(parent, a, b);
    else if (isCore[a] === 1) borderCount[b + 1]++;
    else if (isCore[b] === 1) borderCount[a + 1]++;
  }
  for (let i = 0; i < n; i++) borderCount[i + 1] += borderCount[i];
  const borderOffsets = borderCount.slice();
  const borderCores = new Int32Array(borderCount[n]);
  for (let k = 0; k < pairs.count; k++) {
    const a = pairs.a[k];
    const b = pairs.b[k];
    if (isCore[a] === 1 && isCore[b] === 0) borderCores[borderCount[b]++] = a;
    else if (isCore[b] === 1 && isCore[a] === 0) borderCores[borderCount[a]++] = b;
  }
  return { isCore, parent, borderOffsets, borderCores };
}

/** Passes 2 and 3 when the pairs were too many to keep: core × core, then other × core tiles. */
function componentsByRecomputing(
  data: Float32Array,
  n: number,
  d: number,
  metric: ResolvedMetric,
  r: number,
  norms: Float64Array,
  isCore: Uint8Array,
  tile: Float64Array,
  shouldStop: (() => boolean) | undefined,
): Components {
  const coreRows: number[] = [];
  const otherRows: number[] = [];
  for (let i = 0; i < n; i++) (isCore[i] === 1 ? coreRows : otherRows).push(i);

  // Unions over core pairs, on a compacted copy of the core rows.
  const core = gatherRows(data, d, coreRows);
  const coreNorms = gatherValues(norms, coreRows);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const nc = coreRows.length;
  for (let a0 = 0; a0 < nc; a0 += FIT_TILE) {
    const aRows = Math.min(FIT_TILE, nc - a0);
    for (let b0 = a0; b0 < nc; b0 += FIT_TILE) {
      throwIfCanceled(shouldStop);
      const bRows = Math.min(FIT_TILE, nc - b0);
      rdistTile(metric, core, coreNorms, a0, aRows, core, coreNorms, b0, bRows, d, tile);
      for (let i = 0; i < aRows; i++) {
        const o = i * bRows;
        for (let c = a0 === b0 ? i + 1 : 0; c < bRows; c++) {
          if (tile[o + c] <= r) unionToLowerRoot(parent, coreRows[a0 + i], coreRows[b0 + c]);
        }
      }
    }
  }

  // The core neighbours of every other row.
  const others = gatherRows(data, d, otherRows);
  const otherNorms = gatherValues(norms, otherRows);
  const perOther: number[][] = otherRows.map(() => []);
  for (let a0 = 0; a0 < otherRows.length; a0 += FIT_TILE) {
    const aRows = Math.min(FIT_TILE, otherRows.length - a0);
    for (let b0 = 0; b0 < nc; b0 += FIT_TILE) {
      throwIfCanceled(shouldStop);
      const bRows = Math.min(FIT_TILE, nc - b0);
      rdistTile(metric, others, otherNorms, a0, aRows, core, coreNorms, b0, bRows, d, tile);
      for (let i = 0; i < aRows; i++) {
        const o = i * bRows;
        for (let c = 0; c < bRows; c++) if (tile[o + c] <= r) perOther[a0 + i].push(coreRows[b0 + c]);
      }
    }
  }
  const borderOffsets = new Int32Array(n + 1);
  const borderCores: number[] = [];
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (isCore[i] === 0) {
      for (const c of perOther[next]) borderCores.push(c);
      next++;
    }
    borderOffsets[i + 1] = borderCores.length;
  }
  return { isCore, parent, borderOffsets, borderCores: Int32Array.from(borderCores) };
}

function gatherValues(values: Float64Array, rows: readonly number[]): Float64Array {
  if (values.length === 0) return values;
  const out = new Float64Array(rows.length);
  for (let t = 0; t < rows.length; t++) out[t] = values[rows[t]];
  return out;
}

/** Numbers components by their lowest core row, then gives each border row its lowest-numbered cluster. */
function numberClusters(n: number, comp: Components): DbscanResult {
  const { isCore, parent } = comp;
  const labels = new Int32Array(n).fill(-1);
  const rootLabel = new Int32Array(n).fill(-1);
  let nClusters = 0;
  let nCore = 0;
  // Rows in increasing order: the first core row met in a component is its lowest.
  for (let i = 0; i < n; i++) {
    if (isCore[i] === 0) continue;
    nCore++;
    const root = findRoot(parent, i);
    if (rootLabel[root] === -1) rootLabel[root] = nClusters++;
    labels[i] = rootLabel[root];
  }
  for (let i = 0; i < n; i++) {
    if (isCore[i] === 1) continue;
    let best = -1;
    for (let h = comp.borderOffsets[i]; h < comp.borderOffsets[i + 1]; h++) {
      const label = labels[comp.borderCores[h]];
      if (best === -1 || label < best) best = label;
    }
    labels[i] = best;
  }
  const coreSampleIndices = new Int32Array(nCore);
  for (let i = 0, t = 0; i < n; i++) if (isCore[i] === 1) coreSampleIndices[t++] = i;
  return { labels, coreSampleIndices, nClusters };
}

/**
 * Labels for rows that were not part of the fit (the server fits on a sample
 * when `sample_size` is set). scikit-learn's DBSCAN has no `predict`; the
 * rule here is the one DBSCAN applies to border points: a row takes the
 * label of its nearest core sample if that core sample lies within `eps`
 * (inclusive), and is noise otherwise. Equidistant core samples resolve to
 * the lowest fitted row. A fitted core row keeps its label; a fitted border
 * row may land in a different neighbouring cluster than the fit gave it,
 * since the fit breaks such ties by cluster number rather than distance.
 * `options` must be the options of the fit (eps, metric, p).
 */
export function assignDbscan(
  fitData: Float32Array,
  fitN: number,
  d: number,
  fit: DbscanResult,
  data: Float32Array,
  n: number,
  options: DbscanOptions = {},
): Int32Array {
  const params = resolveParams(options);
  checkMatrix(fitData, fitN, d);
  checkMatrix(data, n, d);
  if (!(fit.labels instanceof Int32Array) || fit.labels.length !== fitN) {
    throw new RangeError(`fit.labels must be an Int32Array of length ${fitN}`);
  }
  const labels = new Int32Array(n).fill(-1);
  const cores = fit.coreSampleIndices;
  if (cores.length === 0) return labels;
  const coreRows = gatherRows(fitData, d, cores);
  const index = new NeighborIndex(coreRows, cores.length, d, {
    metric: options.metric,
    p: options.p ?? undefined,
    algorithm: params.algorithm,
    leafSize: params.leafSize,
    shouldStop: options.shouldStop,
  });
  const nearest = index.kneighbors(data, n, 1);
  for (let i = 0; i < n; i++) {
    if (nearest.distances[i] <= params.eps) labels[i] = fit.labels[cores[nearest.indices[i]]];
  }
  return labels;
}
