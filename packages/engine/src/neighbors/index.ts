/**
 * Exact nearest-neighbour and radius queries over a fixed set of rows, like
 * scikit-learn's `NearestNeighbors`: a kd-tree where it prunes, blocked
 * brute force otherwise (see `buildSearchTree`).
 */
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { bruteKnn, FIT_TILE, QUERY_TILE, rdistTile, rowNormsFor } from './brute.ts';
import { DEFAULT_LEAF_SIZE, Hits, KdTree } from './kd-tree.ts';
import { distToRdist, prepareRows, rdistToDist, resolveMetric, searchKind } from './metric.ts';
import type { NeighborMetric, ResolvedMetric } from './metric.ts';

export type { NeighborMetric, ResolvedMetric } from './metric.ts';
export { resolveMetric } from './metric.ts';

/** 'ball_tree' is accepted for scikit-learn compatibility and served by the kd-tree (same answers). */
export type NeighborAlgorithm = 'auto' | 'kd_tree' | 'ball_tree' | 'brute';

export interface NeighborIndexOptions {
  /** Default 'euclidean'. */
  metric?: NeighborMetric;
  /** Minkowski power, used only with metric 'minkowski'. Default 2. */
  p?: number;
  /** Default 'auto': a kd-tree where it prunes (see buildSearchTree), brute force otherwise. */
  algorithm?: NeighborAlgorithm;
  /** kd-tree leaf size. Default 16. */
  leafSize?: number;
  /** Polled between blocks of queries; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface KNeighborsResult {
  /** m×k row-major fitted row indices, nearest first (ties: lower row first). */
  indices: Int32Array;
  /** m×k distances matching `indices`. */
  distances: Float64Array;
  k: number;
}

export interface RadiusNeighborsResult {
  /** Row i's neighbours are entries offsets[i] .. offsets[i+1]−1. */
  offsets: Int32Array;
  /** Fitted row indices, each row's sorted by (distance, row). */
  indices: Int32Array;
  distances: Float64Array;
}

/**
 * Above this many features 'auto' never tries a kd-tree. Below it the tree
 * is kept only if it prunes (see buildSearchTree): clustered data keep
 * pruning well past scikit-learn's cut-off of 15 features, while uniformly
 * spread data stop pruning at about 10.
 */
export const KD_TREE_MAX_DIMENSIONS = 32;

/** k-NN searches 'auto' tries on a new tree, and how many neighbours each. */
const PROBE_QUERIES = 64;
const PROBE_NEIGHBORS = 16;

/**
 * 'auto' keeps the tree when the probe searches computed distances to at
 * most this share of the points: a tree distance costs about three blocked
 * brute-force ones, and the trees measured here lost to brute force from
 * roughly a third of the points on.
 */
const TREE_MAX_EXAMINED_SHARE = 0.25;

/**
 * The kd-tree to search with, or null for brute force: what `algorithm`
 * asks for, and for 'auto' a tree only where it pays (few enough features,
 * and a probe of k-NN searches that prunes). Answers do not depend on the
 * choice.
 */
export function buildSearchTree(
  data: Float32Array,
  n: number,
  d: number,
  metric: ResolvedMetric,
  algorithm: NeighborAlgorithm,
  leafSize: number,
): KdTree | null {
  if (algorithm === 'brute' || (algorithm === 'auto' && d > KD_TREE_MAX_DIMENSIONS)) return null;
  const tree = new KdTree(prepareRows(data, n, d, metric), n, d, searchKind(metric), metric.p, leafSize);
  if (algorithm !== 'auto') return tree;
  const queries = Math.min(n, PROBE_QUERIES);
  const k = Math.min(n, PROBE_NEIGHBORS);
  const idx = new Int32Array(k);
  const rdist = new Float64Array(k);
  for (let i = 0; i < queries; i++) {
    const row = Math.floor((i * n) / queries);
    tree.knn(tree.points, tree.position[row] * d, k, idx, rdist);
  }
  return tree.examined <= TREE_MAX_EXAMINED_SHARE * n * queries ? tree : null;
}

export function checkAlgorithm(algorithm: unknown): NeighborAlgorithm {
  const value = algorithm ?? 'auto';
  if (value !== 'auto' && value !== 'kd_tree' && value !== 'ball_tree' && value !== 'brute') {
    throw new RangeError(`algorithm must be one of 'auto', 'kd_tree', 'ball_tree', 'brute', got '${String(value)}'`);
  }
  return value;
}

export function checkLeafSize(leafSize: unknown): number {
  const value = leafSize ?? DEFAULT_LEAF_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`leaf_size must be an integer ≥ 1, got ${String(value)}`);
  }
  return value;
}

export class NeighborIndex {
  readonly n: number;
  readonly d: number;
  readonly metric: ResolvedMetric;
  private readonly data: Float32Array;
  private readonly tree: KdTree | null;
  private readonly norms: Float64Array;
  private readonly shouldStop: (() => boolean) | undefined;

  constructor(data: Float32Array, n: number, d: number, options: NeighborIndexOptions = {}) {
    checkMatrix(data, n, d);
    this.metric = resolveMetric(options.metric, options.p);
    const algorithm = checkAlgorithm(options.algorithm);
    const leafSize = checkLeafSize(options.leafSize);
    this.n = n;
    this.d = d;
    this.data = data;
    this.shouldStop = options.shouldStop;
    this.tree = buildSearchTree(data, n, d, this.metric, algorithm, leafSize);
    this.norms = this.tree === null ? rowNormsFor(this.metric, data, n, d, 'data') : new Float64Array(0);
  }

  /** The k nearest fitted rows of each query row (a query row that was fitted finds itself first). */
  kneighbors(queries: Float32Array, m: number, k: number): KNeighborsResult {
    checkMatrix(queries, m, this.d);
    if (!Number.isInteger(k) || k < 1 || k > this.n) {
      throw new RangeError(`n_neighbors must be an integer in [1, ${this.n}], got ${k}`);
    }
    const indices = new Int32Array(m * k);
    const rdist = new Float64Array(m * k);
    if (this.tree !== null) {
      const rows = prepareRows(queries, m, this.d, this.metric, 'query');
      const idx = new Int32Array(k);
      const rd = new Float64Array(k);
      for (let i = 0; i < m; i++) {
        if ((i & 1023) === 0) throwIfCanceled(this.shouldStop);
        this.tree.knn(rows, i * this.d, k, idx, rd);
        indices.set(idx, i * k);
        rdist.set(rd, i * k);
      }
    } else {
      const queryNorms = rowNormsFor(this.metric, queries, m, this.d, 'query');
      bruteKnn(this.metric, queries, queryNorms, m, this.data, this.norms, this.n, this.d, k, indices, rdist, () =>
        throwIfCanceled(this.shouldStop),
      );
    }
    const distances = new Float64Array(m * k);
    for (let i = 0; i < m * k; i++) distances[i] = rdistToDist(this.metric, rdist[i]);
    return { indices, distances, k };
  }

  /** Every fitted row within `radius` (inclusive) of each query row. */
  radiusNeighbors(queries: Float32Array, m: number, radius: number): RadiusNeighborsResult {
    checkMatrix(queries, m, this.d);
    if (!(radius >= 0)) throw new RangeError(`radius must be a number ≥ 0, got ${radius}`);
    const r = distToRdist(this.metric, radius);
    const offsets = new Int32Array(m + 1);
    const found = new Hits();
    if (this.tree !== null) {
      const tree = this.tree;
      const rows = prepareRows(queries, m, this.d, this.metric, 'query');
      const hits = new Hits();
      for (let i = 0; i < m; i++) {
        if ((i & 1023) === 0) throwIfCanceled(this.shouldStop);
        hits.clear();
        tree.within(rows, i * this.d, r, hits);
        for (let h = 0; h < hits.count; h++) found.push(tree.order[hits.pos[h]], hits.rdist[h]);
        offsets[i + 1] = found.count;
      }
    } else {
      const queryNorms = rowNormsFor(this.metric, queries, m, this.d, 'query');
      const tile = new Float64Array(QUERY_TILE * FIT_TILE);
      const perRow: Hits[] = [];
      for (let q0 = 0; q0 < m; q0 += QUERY_TILE) {
        const rowsInTile = Math.min(QUERY_TILE, m - q0);
        for (let t = 0; t < rowsInTile; t++) {
          perRow[t] ??= new Hits();
          perRow[t].clear();
        }
        for (let f0 = 0; f0 < this.n; f0 += FIT_TILE) {
          throwIfCanceled(this.shouldStop);
          const cols = Math.min(FIT_TILE, this.n - f0);
          rdistTile(this.metric, queries, queryNorms, q0, rowsInTile, this.data, this.norms, f0, cols, this.d, tile);
          for (let t = 0; t < rowsInTile; t++) {
            for (let c = 0; c < cols; c++) if (tile[t * cols + c] <= r) perRow[t].push(f0 + c, tile[t * cols + c]);
          }
        }
        for (let t = 0; t < rowsInTile; t++) {
          for (let h = 0; h < perRow[t].count; h++) found.push(perRow[t].pos[h], perRow[t].rdist[h]);
          offsets[q0 + t + 1] = found.count;
        }
      }
    }
    const indices = found.pos.slice(0, found.count);
    const distances = new Float64Array(found.count);
    for (let i = 0; i < found.count; i++) distances[i] = rdistToDist(this.metric, found.rdist[i]);
    sortEachRow(offsets, indices, distances);
    return { offsets, indices, distances };
  }
}

function sortEachRow(offsets: Int32Array, indices: Int32Array, distances: Float64Array): void {
  const m = offsets.length - 1;
  for (let i = 0; i < m; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    if (end - start < 2) continue;
    const perm = Array.from({ length: end - start }, (_, t) => start + t);
    perm.sort((a, b) => distances[a] - distances[b] || indices[a] - indices[b]);
    const idx = perm.map((t) => indices[t]);
    const dist = perm.map((t) => distances[t]);
    indices.set(idx, start);
    distances.set(dist, start);
  }
}
