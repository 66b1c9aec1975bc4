/**
 * HDBSCAN* (Campello, Moulavi & Sander 2013) with the parameters and
 * semantics of scikit-learn ≥ 1.3's `HDBSCAN` (which follows the hdbscan
 * library of McInnes, Healy & Astels):
 *
 *  1. core distance of a row = distance to its `minSamples`-th nearest row,
 *     counting the row itself (R's `dbscan::hdbscan(x, minPts)` uses the
 *     same distance with minSamples = minClusterSize = minPts);
 *  2. minimum spanning tree of the mutual-reachability graph
 *     max(core(a), core(b), dist(a, b) / alpha);
 *  3. single-linkage tree → condensed tree: a split where one side has fewer
 *     than `minClusterSize` rows sends all of that side's rows out of the
 *     cluster at that height (R 1.1-11 instead keeps them until each splits
 *     off alone, which can change EOM's choice; see the R fixture test);
 *  4. excess-of-mass or leaf selection, `clusterSelectionEpsilon`,
 *     `maxClusterSize`, labels numbered by condensed-tree cluster id, and
 *     membership probabilities as the hdbscan library defines them.
 *
 * Step 2 is exact (kd-tree Borůvka up to 16 dimensions, all pairs above) or,
 * for large high-dimensional inputs, approximate (approximate-mst.ts); the
 * result says which one ran. Unseen rows are labelled by predict.ts.
 */
import { throwIfCanceled } from '../../errors.ts';
import { createRng } from '../../rng.ts';
import { checkMatrix } from '../../validate.ts';
import { approximateMutualReachabilityTree } from './approximate-mst.ts';
import { boruvkaSpanningTree } from './boruvka.ts';
import { bruteForceKnn, bruteForcePrim } from './brute-force.ts';
import { clusterStabilities, condenseTree, type CondensedTree } from './condensed-tree.ts';
import { KD_TREE_MAX_DIMENSION, KdTree } from './kd-tree.ts';
import { sharedAllKnn } from './shared-knn.ts';
import {
  distanceFromReduced,
  HDBSCAN_METRICS,
  prepareSpace,
  reducedScale,
  type HdbscanMetric,
  type MetricSpace,
} from './metric-space.ts';
import { labelPoints, membershipProbabilities, selectClusters } from './selection.ts';
import { singleLinkageFromMst, type SpanningTree } from './single-linkage.ts';

export interface HDBSCANOptions {
  /** Smallest group that counts as a cluster. Default 5. */
  minClusterSize?: number;
  /** Neighbours (the row itself included) defining the core distance; null/undefined means minClusterSize. */
  minSamples?: number | null;
  /** Clusters born below this distance are merged into the ancestor alive at it. Default 0. */
  clusterSelectionEpsilon?: number;
  /** Largest cluster EOM may select; null/undefined for no cap. Ignored by 'leaf'. */
  maxClusterSize?: number | null;
  /** Default 'euclidean'. */
  metric?: HdbscanMetric;
  /** Distances are divided by alpha before comparing with core distances. Default 1. */
  alpha?: number;
  /** Default 'eom'. */
  clusterSelectionMethod?: 'eom' | 'leaf';
  /** Let EOM return the root (all points) as one cluster. Default false. */
  allowSingleCluster?: boolean;
  /**
   * 'exact': kd-tree Borůvka when d ≤ 16, direct O(n²·d) computation above
   * (see boruvka.ts, brute-force.ts); 'approximate': neighbour graph over a
   * PCA-projected inverted-file index (see approximate-mst.ts); 'auto'
   * (default) is exact when d ≤ 16 or n²·d ≤ 1.5·10⁹, approximate otherwise.
   */
  algorithm?: 'auto' | 'exact' | 'approximate';
  /** Seed of the approximate index's sampling (PCA sample, cell training), in the fit and in predict. Default 0. */
  randomState?: number | null;
  /** Polled between phases and Borůvka rounds; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
  /** Threads for the core distances' k-NN search (same result for any count); default: 2 from 16,384 rows when the engine has threads. */
  threads?: number;
}

export interface HDBSCANResult {
  /** 0 … nClusters − 1 in scikit-learn's order (by condensed-tree cluster id), −1 for noise. */
  labels: Int32Array;
  /** Membership strength in [0, 1] as the hdbscan library defines it; 0 for noise. */
  probabilities: Float64Array;
  nClusters: number;
  /** Excess of mass (stability) of each selected cluster, by label. */
  clusterStability: Float64Array;
  /** Core distance of each row, in the metric's units. */
  coreDistances: Float64Array;
  condensedTree: CondensedTree;
  /** Condensed-tree id of the cluster behind each label. */
  selectedClusters: Int32Array;
  /** Which spanning-tree construction ran. */
  algorithm: 'exact' | 'approximate';
  // The fit's settings, which hdbscanApproximatePredict repeats for unseen rows.
  minSamples: number;
  metric: HdbscanMetric;
  alpha: number;
  randomState: number;
}

export interface ResolvedOptions {
  minClusterSize: number;
  minSamples: number;
  clusterSelectionEpsilon: number;
  maxClusterSize: number;
  metric: HdbscanMetric;
  alpha: number;
  clusterSelectionMethod: 'eom' | 'leaf';
  allowSingleCluster: boolean;
  algorithm: 'auto' | 'exact' | 'approximate';
  randomState: number;
  /** undefined: by size (shared-knn.ts). */
  threads: number | undefined;
}

/** n²·d below which 'auto' computes all distances exactly in high dimension (a few seconds). */
const BRUTE_FORCE_WORK_LIMIT = 1.5e9;

export function resolveHdbscanOptions(options: HDBSCANOptions): ResolvedOptions {
  const minClusterSize = options.minClusterSize ?? 5;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new RangeError(`min_cluster_size must be an integer ≥ 2, got ${minClusterSize}`);
  }
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`min_samples must be an integer ≥ 1 or null, got ${minSamples}`);
  }
  const epsilon = options.clusterSelectionEpsilon ?? 0;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`cluster_selection_epsilon must be a finite number ≥ 0, got ${epsilon}`);
  }
  const maxClusterSize = options.maxClusterSize ?? null;
  if (maxClusterSize !== null && (!Number.isInteger(maxClusterSize) || maxClusterSize < 1)) {
    throw new RangeError(`max_cluster_size must be an integer ≥ 1 or null, got ${maxClusterSize}`);
  }
  const metric = options.metric ?? 'euclidean';
  if (!HDBSCAN_METRICS.includes(metric)) {
    throw new RangeError(`metric must be one of ${HDBSCAN_METRICS.map((m) => `'${m}'`).join(', ')}, got '${String(metric)}'`);
  }
  const alpha = options.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
    throw new RangeError(`alpha must be a finite number > 0, got ${alpha}`);
  }
  const method = options.clusterSelectionMethod ?? 'eom';
  if (method !== 'eom' && method !== 'leaf') {
    throw new RangeError(`cluster_selection_method must be 'eom' or 'leaf', got '${String(method)}'`);
  }
  const allowSingleCluster = options.allowSingleCluster ?? false;
  if (typeof allowSingleCluster !== 'boolean') {
    throw new RangeError(`allow_single_cluster must be a boolean, got ${String(allowSingleCluster)}`);
  }
  const algorithm = options.algorithm ?? 'auto';
  if (algorithm !== 'auto' && algorithm !== 'exact' && algorithm !== 'approximate') {
    throw new RangeError(`algorithm must be 'auto', 'exact' or 'approximate', got '${String(algorithm)}'`);
  }
  const randomState = options.randomState ?? 0;
  if (typeof randomState !== 'number' || !Number.isFinite(randomState)) {
    throw new RangeError(`random_state must be a finite number or null, got ${String(randomState)}`);
  }
  const threads = options.threads;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
  }
  return {
    algorithm,
    randomState,
    threads,
    minClusterSize,
    minSamples,
    clusterSelectionEpsilon: epsilon,
    maxClusterSize: maxClusterSize ?? Infinity,
    metric,
    alpha,
    clusterSelectionMethod: method,
    allowSingleCluster,
  };
}

export function hdbscan(data: Float32Array, n: number, d: number, options: HDBSCANOptions = {}): HDBSCANResult {
  const resolved = resolveHdbscanOptions(options);
  checkMatrix(data, n, d);
  if (n < 2) throw new RangeError(`HDBSCAN needs at least 2 rows, got n=${n}`);
  if (resolved.minSamples > n) {
    throw new RangeError(`min_samples (${resolved.minSamples}) must be at most the number of rows (${n})`);
  }
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);

  const { mst, coreDistances, algorithm } = mutualReachabilityTree(data, n, d, resolved, shouldStop);
  throwIfCanceled(shouldStop);
  return extractClusters(mst, coreDistances, n, resolved, algorithm);
}

export function chooseAlgorithm(n: number, d: number, requested: 'auto' | 'exact' | 'approximate'): 'exact' | 'approximate' {
  if (requested !== 'auto') return requested;
  return d <= KD_TREE_MAX_DIMENSION || n * n * d <= BRUTE_FORCE_WORK_LIMIT ? 'exact' : 'approximate';
}

/** Core distances and a minimum spanning tree of mutual reachability (rows in the caller's order, metric units). */
export function mutualReachabilityTree(
  data: Float32Array,
  n: number,
  d: number,
  options: ResolvedOptions,
  shouldStop: (() => boolean) | undefined,
): { mst: SpanningTree; coreDistances: Float64Array; algorithm: 'exact' | 'approximate' } {
  const algorithm = chooseAlgorithm(n, d, options.algorithm);
  const space = prepareSpace(data, n, d, options.metric);
  if (algorithm === 'approximate') {
    return { ...approximateMutualReachabilityTree(space, options, createRng(options.randomState), shouldStop), algorithm };
  }
  if (d <= KD_TREE_MAX_DIMENSION) return { ...kdTreeMutualReachabilityTree(space, options, shouldStop), algorithm };
  return { ...bruteForceMutualReachabilityTree(space, options, shouldStop), algorithm };
}

function bruteForceMutualReachabilityTree(
  space: MetricSpace,
  options: ResolvedOptions,
  shouldStop: (() => boolean) | undefined,
): { mst: SpanningTree; coreDistances: Float64Array } {
  const { n } = space;
  const k = options.minSamples;
  const knn = bruteForceKnn(space, k, shouldStop);
  const coreReduced = new Float64Array(n);
  for (let i = 0; i < n; i++) coreReduced[i] = knn[i * k + k - 1];
  const mst = bruteForcePrim(space, coreReduced, reducedScale(options.metric, options.alpha), shouldStop);
  for (let e = 0; e < mst.weight.length; e++) mst.weight[e] = distanceFromReduced(options.metric, mst.weight[e]);
  return { mst, coreDistances: coreReduced.map((r) => distanceFromReduced(options.metric, r)) };
}

function kdTreeMutualReachabilityTree(
  space: MetricSpace,
  options: ResolvedOptions,
  shouldStop: (() => boolean) | undefined,
): { mst: SpanningTree; coreDistances: Float64Array } {
  const { metric, alpha, minSamples: k } = options;
  const { n, d } = space;
  const tree = new KdTree(space.points, n, d, space.l1);
  const check = () => throwIfCanceled(shouldStop);
  const { position: knnPosition, reduced: knnReduced } = sharedAllKnn(tree, space.points, n, d, space.l1, k, options.threads, check);
  const coreReduced = new Float64Array(n);
  for (let p = 0; p < n; p++) coreReduced[p] = knnReduced[p * k + k - 1];
  const positional = boruvkaSpanningTree(tree, coreReduced, reducedScale(metric, alpha), knnPosition, knnReduced, k, shouldStop);

  const coreDistances = new Float64Array(n);
  for (let p = 0; p < n; p++) coreDistances[tree.index[p]] = distanceFromReduced(metric, coreReduced[p]);
  const m = positional.from.length;
  const mst: SpanningTree = { from: new Int32Array(m), to: new Int32Array(m), weight: new Float64Array(m) };
  for (let e = 0; e < m; e++) {
    mst.from[e] = tree.index[positional.from[e]];
    mst.to[e] = tree.index[positional.to[e]];
    mst.weight[e] = distanceFromReduced(metric, positional.weight[e]);
  }
  return { mst, coreDistances };
}

function extractClusters(
  mst: SpanningTree,
  coreDistances: Float64Array,
  n: number,
  options: ResolvedOptions,
  algorithm: 'exact' | 'approximate',
): HDBSCANResult {
  const linkage = singleLinkageFromMst(mst, n);
  const condensedTree = condenseTree(linkage, options.minClusterSize);
  const stability = clusterStabilities(condensedTree);
  const selectedClusters = selectClusters(condensedTree, stability, {
    method: options.clusterSelectionMethod,
    allowSingleCluster: options.allowSingleCluster,
    clusterSelectionEpsilon: options.clusterSelectionEpsilon,
    maxClusterSize: options.maxClusterSize,
  });
  const labels = labelPoints(condensedTree, selectedClusters, options.allowSingleCluster, options.clusterSelectionEpsilon);
  const probabilities = membershipProbabilities(condensedTree, selectedClusters, labels);
  const clusterStability = new Float64Array(selectedClusters.length);
  for (let i = 0; i < selectedClusters.length; i++) clusterStability[i] = stability[selectedClusters[i] - n];
  return {
    labels,
    probabilities,
    nClusters: selectedClusters.length,
    clusterStability,
    coreDistances,
    condensedTree,
    selectedClusters,
    algorithm,
    minSamples: options.minSamples,
    metric: options.metric,
    alpha: options.alpha,
    randomState: options.randomState,
  };
}
