/**
 * Agglomerative (hierarchical) clustering with scikit-learn 1.2's
 * `AgglomerativeClustering` semantics, unstructured (no connectivity graph):
 * the full tree is always built, as scikit-learn does without connectivity,
 * then cut at `nClusters` or at `distanceThreshold`.
 *
 * Without connectivity scikit-learn delegates the tree to scipy's `linkage`
 * (ward, complete, average; single with cosine) or to its own MST code
 * (single with euclidean / manhattan). The tree here is built the same way
 * (nearest-neighbour chain on the distance matrix, Prim's MST) with the same
 * tie-breaking, so `children`, `distances` and the label numbering match
 * scikit-learn's whenever the input distances compare the same; see
 * pairwise.ts for where our distances differ from pdist in the last bits.
 */
import { throwIfCanceled } from '../errors.ts';
import { dotBlock, rowSquaredNorms } from '../linalg/dot-block.ts';
import { checkMatrix } from '../validate.ts';
import { buildDendrogram, cutTree } from './agglomerative/dendrogram.ts';
import { nnChain } from './agglomerative/nn-chain.ts';
import { firstZeroRow, pairwiseDistances, rowNorms } from './agglomerative/pairwise.ts';
import type { PairwiseMetric } from './agglomerative/pairwise.ts';
import { primMst } from './agglomerative/single-linkage.ts';

export type AgglomerativeLinkage = 'ward' | 'complete' | 'average' | 'single';
export type AgglomerativeMetric = 'euclidean' | 'l2' | 'l1' | 'manhattan' | 'cosine';

export interface AgglomerativeOptions {
  /** Clusters to cut the tree into. Default 2, or null when `distanceThreshold` is given. */
  nClusters?: number | null;
  /** Cut the tree at this merge height (merges at or above it are undone); excludes `nClusters`. */
  distanceThreshold?: number | null;
  /** Default 'ward'. */
  linkage?: AgglomerativeLinkage;
  /** Default 'euclidean'; ward accepts only 'euclidean'. */
  metric?: AgglomerativeMetric | null;
  /** scikit-learn 1.2's deprecated name for `metric`; setting both is an error, as there. */
  affinity?: AgglomerativeMetric | null;
  /** Also return the merge heights when cutting by `nClusters`. Default false. */
  computeDistances?: boolean;
  /** Only validated: without connectivity the full tree is always built. Default 'auto'. */
  computeFullTree?: 'auto' | boolean;
  /** Connectivity constraints are not supported; anything but null/undefined is rejected. */
  connectivity?: unknown;
  /** Polled between blocks of work; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
  /** Threads that fill the distance matrix (ward / complete / average; same matrix for any count). Default: by size. */
  threads?: number;
}

export interface AgglomerativeResult {
  /** 0..nClusters−1, numbered as scikit-learn numbers them. */
  labels: Int32Array;
  /** scikit-learn's `n_clusters_`. */
  nClusters: number;
  nLeaves: number;
  /** Always 1: without connectivity the graph is complete. */
  nConnectedComponents: number;
  /** (n − 1) × 2 row-major, scikit-learn's `children_`: merge k forms node n + k. */
  children: Int32Array;
  /** scikit-learn's `distances_`, present when `distanceThreshold` or `computeDistances` is set. */
  distances: Float64Array | null;
}

/**
 * Above this many rows the float64 distance matrix (about 8·n²/2 bytes) would
 * pass 3.6 GB and the O(n²) merge loop would run for minutes; ward, complete
 * and average refuse instead of exhausting the worker's memory.
 */
export const AGGLOMERATIVE_MATRIX_MAX_SAMPLES = 30_000;

/**
 * Single linkage needs no matrix, but still evaluates n(n−1)/2 distances;
 * beyond this it would run for many minutes.
 */
export const AGGLOMERATIVE_SINGLE_MAX_SAMPLES = 100_000;

const METRICS: readonly AgglomerativeMetric[] = ['euclidean', 'l2', 'l1', 'manhattan', 'cosine'];
const LINKAGES: readonly AgglomerativeLinkage[] = ['ward', 'complete', 'average', 'single'];

export function agglomerative(
  data: Float32Array,
  n: number,
  d: number,
  options: AgglomerativeOptions = {},
): AgglomerativeResult {
  const settings = validateOptions(options);
  checkMatrix(data, n, d);
  if (n < 2) throw new RangeError(`n_samples must be at least 2 for agglomerative clustering, got ${n}`);
  const { linkage, metric, nClusters, distanceThreshold } = settings;
  const limit = linkage === 'single' ? AGGLOMERATIVE_SINGLE_MAX_SAMPLES : AGGLOMERATIVE_MATRIX_MAX_SAMPLES;
  if (n > limit) {
    const gb = linkage === 'single' ? '' : ` and ${((4 * n * (n - 1)) / 1e9).toFixed(1)} GB of pairwise distances`;
    throw new RangeError(
      `n_samples ${n} is too many for linkage '${linkage}' (at most ${limit}): it would need ${n}²/2 distance ` +
        `evaluations${gb}; fit on a sample (sample_size ≤ ${limit}) or use another method`,
    );
  }
  if (nClusters !== null && nClusters > n) {
    throw new RangeError(`n_clusters must be ≤ the number of samples (${n}), got ${nClusters}`);
  }
  if (metric === 'cosine') {
    const zero = firstZeroRow(data, n, d);
    if (zero >= 0) {
      throw new RangeError(`${settings.metricName} 'cosine' cannot be used when the data contains zero vectors (row ${zero} is all zeros)`);
    }
  }
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);

  // For single linkage scikit-learn runs its own MST code with coordinate
  // metrics (children in edge order) and scipy's with cosine (children sorted).
  const tree =
    linkage === 'single'
      ? buildDendrogram(primMst(data, n, d, metric, shouldStop), n, metric === 'cosine')
      : buildDendrogram(nnChain(pairwiseDistances(data, n, d, metric, shouldStop, options.threads), n, linkage, shouldStop), n, true);

  let k: number;
  if (distanceThreshold !== null) {
    k = 1;
    for (let i = 0; i < n - 1; i++) if (tree.distances[i] >= distanceThreshold) k++;
  } else {
    k = nClusters!;
  }
  const keepDistances = distanceThreshold !== null || settings.computeDistances;
  return {
    labels: cutTree(tree.children, n, k),
    nClusters: k,
    nLeaves: n,
    nConnectedComponents: 1,
    children: tree.children,
    distances: keepDistances ? tree.distances : null,
  };
}

interface Settings {
  linkage: AgglomerativeLinkage;
  metric: PairwiseMetric;
  /** The option name the user set the metric through, for messages. */
  metricName: 'metric' | 'affinity';
  nClusters: number | null;
  distanceThreshold: number | null;
  computeDistances: boolean;
}

function validateOptions(options: AgglomerativeOptions): Settings {
  const threshold = options.distanceThreshold ?? null;
  const nClusters = options.nClusters === undefined ? (threshold === null ? 2 : null) : options.nClusters;
  if (nClusters !== null && (!Number.isInteger(nClusters) || nClusters < 1)) {
    throw new RangeError(`n_clusters must be an integer ≥ 1 or null, got ${nClusters}`);
  }
  if (threshold !== null && (typeof threshold !== 'number' || !(threshold >= 0) || !Number.isFinite(threshold))) {
    throw new RangeError(`distance_threshold must be a finite number ≥ 0 or null, got ${threshold}`);
  }
  if ((nClusters === null) === (threshold === null)) {
    throw new RangeError(
      nClusters === null
        ? 'n_clusters is null and no distance_threshold was given: exactly one of n_clusters and distance_threshold must be set'
        : 'n_clusters and distance_threshold were both set: exactly one must be set (set n_clusters to null to cut at distance_threshold)',
    );
  }
  const computeFullTree = options.computeFullTree ?? 'auto';
  if (computeFullTree !== 'auto' && computeFullTree !== true && computeFullTree !== false) {
    throw new RangeError(`compute_full_tree must be 'auto', true or false, got ${String(computeFullTree)}`);
  }
  if (threshold !== null && computeFullTree === false) {
    throw new RangeError('compute_full_tree must be true (or auto) when distance_threshold is set: the cut needs the whole tree');
  }
  const computeDistances = options.computeDistances ?? false;
  if (typeof computeDistances !== 'boolean') {
    throw new RangeError(`compute_distances must be true or false, got ${String(computeDistances)}`);
  }
  const linkage = options.linkage ?? 'ward';
  if (!LINKAGES.includes(linkage)) {
    throw new RangeError(`linkage must be one of ${quoteList(LINKAGES)}, got '${String(linkage)}'`);
  }
  const metricOption = options.metric ?? null;
  const affinityOption = options.affinity ?? null;
  if (metricOption !== null && affinityOption !== null) {
    throw new RangeError('affinity and metric were both set: affinity is the deprecated name of metric, set only metric');
  }
  const metricName = affinityOption !== null ? 'affinity' : 'metric';
  const metric = metricOption ?? affinityOption ?? 'euclidean';
  if (!METRICS.includes(metric)) {
    throw new RangeError(`${metricName} must be one of ${quoteList(METRICS)}, got '${String(metric)}'`);
  }
  if (linkage === 'ward' && metric !== 'euclidean') {
    throw new RangeError(
      `${metricName} '${metric}' cannot be used with linkage 'ward', which only works with euclidean distances; ` +
        `use linkage 'average', 'complete' or 'single' for other metrics`,
    );
  }
  if (options.connectivity !== undefined && options.connectivity !== null) {
    throw new RangeError('connectivity is not supported: only unstructured clustering (connectivity null) is available');
  }
  return {
    linkage,
    metric: metric === 'l2' ? 'euclidean' : metric === 'l1' ? 'manhattan' : metric,
    metricName,
    nClusters,
    distanceThreshold: threshold,
    computeDistances,
  };
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

export interface AgglomerativeAssignOptions {
  /** The metric of the fit. Default 'euclidean'. */
  metric?: AgglomerativeMetric;
  shouldStop?: () => boolean;
}

const ASSIGN_QUERY_TILE = 64;
const ASSIGN_FIT_TILE = 256;

/**
 * Labels for rows that were not part of the fit (the server fits on a sample
 * when `sample_size` is set). A hierarchy has no `predict`; each row takes the
 * label of its nearest fitted point under the fit's metric (1-NN, ties to the
 * lowest fitted index). Unlike the nearest centroid, this keeps the shape of
 * non-convex clusters (single and average linkage), and it is exactly the
 * fitted label for rows that duplicate a fitted point. For cosine, an all-zero
 * row has no direction and takes the label of its euclidean nearest fitted
 * point.
 *
 * Blocked brute force, 2·n·fitN·d flops: a million rows against a 20 000-row
 * sample at d = 64 is 2.6 TFLOP, minutes at the plain-JS kernel's speed.
 */
export function assignAgglomerative(
  fitData: Float32Array,
  fitN: number,
  d: number,
  fitLabels: Int32Array,
  data: Float32Array,
  n: number,
  options: AgglomerativeAssignOptions = {},
): Int32Array {
  checkMatrix(fitData, fitN, d);
  checkMatrix(data, n, d);
  if (!(fitLabels instanceof Int32Array) || fitLabels.length !== fitN) {
    throw new RangeError(`fitLabels must be an Int32Array of length ${fitN}`);
  }
  const metric = options.metric ?? 'euclidean';
  if (!METRICS.includes(metric)) throw new RangeError(`metric must be one of ${quoteList(METRICS)}, got '${String(metric)}'`);
  const shouldStop = options.shouldStop;
  const labels = new Int32Array(n);
  const bestScore = new Float64Array(ASSIGN_QUERY_TILE);
  const bestIndex = new Int32Array(ASSIGN_QUERY_TILE);
  const tile = new Float64Array(ASSIGN_QUERY_TILE * ASSIGN_FIT_TILE);
  const useManhattan = metric === 'manhattan' || metric === 'l1';
  const useCosine = metric === 'cosine';
  const fitSq = rowSquaredNorms(fitData, fitN, d);
  const fitNorms = useCosine ? rowNorms(fitData, fitN, d) : fitSq;
  const queryNorms = useCosine ? rowNorms(data, n, d) : new Float64Array(0);
  for (let q0 = 0; q0 < n; q0 += ASSIGN_QUERY_TILE) {
    throwIfCanceled(shouldStop);
    const rows = Math.min(ASSIGN_QUERY_TILE, n - q0);
    bestScore.fill(Infinity);
    bestIndex.fill(0);
    for (let f0 = 0; f0 < fitN; f0 += ASSIGN_FIT_TILE) {
      const cols = Math.min(ASSIGN_FIT_TILE, fitN - f0);
      if (useManhattan) {
        for (let r = 0; r < rows; r++) {
          const x0 = (q0 + r) * d;
          for (let c = 0; c < cols; c++) {
            const y0 = (f0 + c) * d;
            let s = 0;
            for (let k = 0; k < d; k++) s += Math.abs(data[x0 + k] - fitData[y0 + k]);
            tile[r * cols + c] = s;
          }
        }
      } else {
        dotBlock(data, q0, rows, fitData, f0, cols, d, tile);
      }
      for (let r = 0; r < rows; r++) {
        // Scores order fitted points as the metric does for this query row:
        // ‖y‖² − 2x·y for euclidean, −cos for cosine.
        const zeroQuery = useCosine && queryNorms[q0 + r] === 0;
        let best = bestScore[r];
        let bestAt = bestIndex[r];
        for (let c = 0; c < cols; c++) {
          const dot = tile[r * cols + c];
          const j = f0 + c;
          let score: number;
          if (useManhattan) score = dot;
          else if (useCosine && !zeroQuery) score = fitNorms[j] === 0 ? Infinity : -dot / fitNorms[j];
          else score = fitSq[j] - 2 * dot;
          if (score < best) {
            best = score;
            bestAt = j;
          }
        }
        bestScore[r] = best;
        bestIndex[r] = bestAt;
      }
    }
    for (let r = 0; r < rows; r++) labels[q0 + r] = fitLabels[bestIndex[r]];
  }
  return labels;
}
