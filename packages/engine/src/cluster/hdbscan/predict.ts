/**
 * Labels for rows that were not part of an HDBSCAN fit, following the
 * hdbscan library's `approximate_predict` (scikit-learn has no equivalent).
 */
import { throwIfCanceled } from '../../errors.ts';
import { createRng } from '../../rng.ts';
import { dotBlock, rowSquaredNorms } from '../../linalg/dot-block.ts';
import { checkMatrix } from '../../validate.ts';
import { clusterBirths, clusterDeaths } from './condensed-tree.ts';
import type { HDBSCANResult } from './hdbscan.ts';
import { CANDIDATE_MARGIN, DEFAULT_PROBES, IvfIndex, type NeighbourLists } from './ivf-index.ts';
import { KD_TREE_MAX_DIMENSION, KdTree } from './kd-tree.ts';
import { distanceFromReduced, prepareSpace, reducedDistance, reducedScale, type MetricSpace } from './metric-space.ts';
import { clusterParents } from './selection.ts';

export interface HDBSCANPredictOptions {
  /** Polled between blocks of rows; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface HDBSCANPrediction {
  labels: Int32Array;
  probabilities: Float64Array;
}

/** fitted rows × new rows × d below which new rows are compared with every fitted row. */
const BRUTE_FORCE_WORK_LIMIT = 2e9;

/**
 * Assigns each new row x to the fitted clustering without changing it:
 *
 *  1. core(x) = distance to its (minSamples − 1)-th nearest fitted row, the
 *     core distance x would have as one more fitted row (0 when
 *     minSamples = 1); the hdbscan library's `neighbor_distances[min_samples
 *     - 1]` is the same row, its min_samples not counting the row itself;
 *  2. among its 2·minSamples nearest fitted rows, x attaches to the one with
 *     the smallest mutual reachability max(core(x), core(p), dist(x, p) / α),
 *     at λ = 1 / that distance;
 *  3. starting from the cluster that fitted row left the condensed tree from,
 *     x climbs to the first ancestor that already existed at λ (born at a λ
 *     below it), if the fitted row itself left at a larger λ;
 *  4. the label is that of the selected cluster at or above the cluster
 *     reached (−1 if none), and the probability is min(λ, λmax) / λmax with
 *     λmax the largest λ among that selected cluster's own rows.
 *
 * Neighbours are exact (kd-tree up to 16 dimensions, all pairs when fitted ×
 * new × d ≤ 2·10⁹) or, beyond that, from the same approximate index as the
 * fit's approximate path. The rows meant here are new ones: a fitted row
 * finds itself at distance 0 and may get another label than its fitted one,
 * so keep the fit's labels for the rows it saw.
 */
export function hdbscanApproximatePredict(
  fit: HDBSCANResult,
  fitData: Float32Array,
  fitN: number,
  d: number,
  data: Float32Array,
  n: number,
  options: HDBSCANPredictOptions = {},
): HDBSCANPrediction {
  checkMatrix(fitData, fitN, d);
  checkMatrix(data, n, d);
  if (fit.labels.length !== fitN) {
    throw new RangeError(`the fit has ${fit.labels.length} rows but fitData has ${fitN}`);
  }
  const shouldStop = options.shouldStop;
  const { minSamples, metric, alpha, condensedTree: tree } = fit;
  const k = Math.min(fitN, 2 * minSamples);
  const fitted = prepareSpace(fitData, fitN, d, metric);
  const queries = prepareSpace(data, n, d, metric).points;
  const neighbours = nearestFitted(fitted, queries, n, k, fit.randomState, shouldStop);

  const scale = reducedScale(metric, alpha);
  const rowOfPoint = new Int32Array(fitN).fill(-1);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] < fitN) rowOfPoint[tree.child[r]] = r;
  const parents = clusterParents(tree);
  const births = clusterBirths(tree);
  const deaths = clusterDeaths(tree);
  // Label of the selected cluster at or above each cluster; −1 if none.
  const labelOfCluster = new Int32Array(tree.clusterCount).fill(-1);
  for (let i = 0; i < fit.selectedClusters.length; i++) labelOfCluster[fit.selectedClusters[i] - fitN] = i;
  for (let c = 1; c < tree.clusterCount; c++) {
    if (labelOfCluster[c] < 0) labelOfCluster[c] = labelOfCluster[parents[c] - fitN];
  }
  const coreOfFitted = fit.coreDistances;

  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const base = q * k;
    const coreRank = Math.min(k, Math.max(1, minSamples - 1)) - 1;
    const coreX = minSamples <= 1 ? 0 : distanceFromReduced(metric, neighbours.reduced[base + coreRank]);
    let nearest = -1;
    let best = Infinity;
    for (let t = 0; t < k; t++) {
      const p = neighbours.index[base + t];
      if (p < 0) continue;
      const scaled = distanceFromReduced(metric, neighbours.reduced[base + t] * scale);
      const w = Math.max(coreX, coreOfFitted[p], scaled);
      if (w < best) {
        best = w;
        nearest = p;
      }
    }
    if (nearest < 0) continue;
    const lambda = best > 0 ? 1 / best : Infinity;
    const row = rowOfPoint[nearest];
    let cluster = tree.parent[row];
    if (tree.lambda[row] > lambda) {
      while (cluster > fitN && births[cluster - fitN] >= lambda) cluster = parents[cluster - fitN];
    }
    const label = labelOfCluster[cluster - fitN];
    if (label < 0) continue;
    labels[q] = label;
    const maxLambda = deaths[fit.selectedClusters[label] - fitN];
    probabilities[q] = maxLambda > 0 ? Math.min(lambda, maxLambda) / maxLambda : 1;
  }
  return { labels, probabilities };
}

/** The k nearest fitted rows of every query row (reduced distances, closest first). */
function nearestFitted(
  fitted: MetricSpace,
  queries: Float32Array,
  n: number,
  k: number,
  randomState: number,
  shouldStop: (() => boolean) | undefined,
): NeighbourLists {
  const { d } = fitted;
  if (d <= KD_TREE_MAX_DIMENSION) {
    const tree = new KdTree(fitted.points, fitted.n, d, fitted.l1);
    const index = new Int32Array(n * k);
    const reduced = new Float64Array(n * k);
    for (let q = 0; q < n; q++) {
      if ((q & 4095) === 0) throwIfCanceled(shouldStop);
      tree.knn(queries, q, k, index, reduced, q * k);
      for (let t = q * k; t < q * k + k; t++) index[t] = tree.index[index[t]];
    }
    return { index, reduced };
  }
  if (fitted.n * n * d <= BRUTE_FORCE_WORK_LIMIT) return bruteForceNearest(fitted, queries, n, k, shouldStop);
  const ivf = new IvfIndex(fitted.points, fitted.n, d, fitted.l1, createRng(randomState), { probes: DEFAULT_PROBES });
  return ivf.query(queries, n, k, k + CANDIDATE_MARGIN, () => throwIfCanceled(shouldStop));
}

function bruteForceNearest(
  fitted: MetricSpace,
  queries: Float32Array,
  n: number,
  k: number,
  shouldStop: (() => boolean) | undefined,
): NeighbourLists {
  const { points, d, l1 } = fitted;
  const m = fitted.n;
  const index = new Int32Array(n * k).fill(-1);
  const reduced = new Float64Array(n * k).fill(Infinity);
  const fittedNorms = l1 ? null : rowSquaredNorms(points, m, d);
  const queryNorms = l1 ? null : rowSquaredNorms(queries, n, d);
  const block = new Float64Array(m);
  for (let q = 0; q < n; q++) {
    if ((q & 255) === 0) throwIfCanceled(shouldStop);
    if (fittedNorms === null) {
      for (let p = 0; p < m; p++) block[p] = reducedDistance(queries, q, points, p, d, true);
    } else {
      dotBlock(queries, q, 1, points, 0, m, d, block);
      for (let p = 0; p < m; p++) block[p] = Math.max(0, queryNorms![q] + fittedNorms[p] - 2 * block[p]);
    }
    const base = q * k;
    const last = base + k - 1;
    for (let p = 0; p < m; p++) {
      const dist = block[p];
      if (dist >= reduced[last]) continue;
      let s = last;
      while (s > base && reduced[s - 1] > dist) {
        reduced[s] = reduced[s - 1];
        index[s] = index[s - 1];
        s--;
      }
      reduced[s] = dist;
      index[s] = p;
    }
  }
  return { index, reduced };
}
