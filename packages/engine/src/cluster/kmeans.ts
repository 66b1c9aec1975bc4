/**
 * k-means following scikit-learn 1.2's `KMeans` semantics (dense input,
 * unit sample weights): greedy k-means++ or random seeding, Lloyd or Elkan
 * iterations, tolerance scaled by the data's mean feature variance, strict
 * convergence when labels stop changing, best of `nInit` runs by inertia, and
 * a final E-step so labels always match the returned centroids.
 *
 * Like scikit-learn, distances are taken relative to the data mean (the
 * kernels translate rows as they pack them), which keeps float32 products
 * precise on offset data. Deliberate differences: random streams come from
 * our own PRNG (results are equivalent in distribution, not bit-equal to
 * numpy's), center sums are float64 and updated incrementally, and 'auto'
 * picks Elkan where its bounds fit in memory (scikit-learn 1.2 means Lloyd):
 * both return identical results here, Elkan just skips provably useless work.
 */
import { createRng, randomSeed } from '../rng.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { kernels } from '../linalg/kernels.ts';
import type { RowBuffer, RowSet, Workspace } from '../linalg/kernel-types.ts';
import { randomInit, seedKMeansPlusPlus } from './kmeans-init.ts';
import { ELKAN_MAX_BOUNDS, ElkanAssigner, LloydAssigner } from './kmeans-assign.ts';
import type { Assigner } from './kmeans-assign.ts';
import { CenterUpdater, columnStatistics, computeInertia, isSameClustering } from './kmeans-steps.ts';
import { ShardedAssigner, splitThreads } from './kmeans-shards.ts';

export interface KMeansOptions {
  nClusters: number;
  /** Independent seedings; the run with the lowest inertia wins. Default 10. */
  nInit?: number;
  /** Default 300. */
  maxIter?: number;
  /** Relative to the mean per-feature variance, as in scikit-learn. Default 1e-4. */
  tol?: number;
  /** Seed for all runs; null/undefined draws a fresh one. */
  randomState?: number | null;
  init?: 'k-means++' | 'random';
  /** Identical results; 'auto' (the default) is Elkan where its n×K bounds fit, else Lloyd. */
  algorithm?: 'lloyd' | 'elkan' | 'auto';
  /** Polled between iterations (and seeding steps); returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
  /**
   * Threads for the E-step (labels are the same for any count). Default: CENTROID_ENGINE_THREADS,
   * else every core, once the data is large enough to gain from it (see kmeans-shards.ts).
   */
  threads?: number;
}

export interface KMeansResult {
  labels: Int32Array;
  /** k×d row-major. */
  centroids: Float32Array;
  inertia: number;
  /** Iterations of the winning run. */
  nIter: number;
  /** Whether the winning run stopped before maxIter (labels stable or shift within tol). */
  converged: boolean;
  /** Threads the E-step ran on. */
  threads: number;
}

interface RunContext {
  ws: Workspace;
  data: Float32Array;
  n: number;
  d: number;
  k: number;
  maxIter: number;
  tol: number;
  rows: RowSet;
  centers: RowBuffer;
  dotErrorBound: number;
  useElkan: boolean;
  updater: CenterUpdater;
  shouldStop: (() => boolean) | undefined;
  /** Set when the E-step runs on several threads. */
  sharded: ShardedAssigner | null;
}

export function kmeans(data: Float32Array, n: number, d: number, options: KMeansOptions): KMeansResult {
  const k = options.nClusters;
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const init = options.init ?? 'k-means++';
  const algorithm = options.algorithm ?? 'auto';
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`n_clusters must be an integer ≥ 1, got ${k}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`n_init must be an integer ≥ 1, got ${nInit}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`max_iter must be an integer ≥ 1, got ${maxIter}`);
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol must be a finite number ≥ 0, got ${tol}`);
  if (init !== 'k-means++' && init !== 'random') {
    throw new RangeError(`init must be 'k-means++' or 'random', got '${String(init)}'`);
  }
  if (algorithm !== 'lloyd' && algorithm !== 'elkan' && algorithm !== 'auto') {
    throw new RangeError(`algorithm must be 'lloyd', 'elkan' or 'auto', got '${String(algorithm)}'`);
  }
  const randomState = options.randomState ?? null;
  if (randomState !== null && !Number.isFinite(randomState)) {
    throw new RangeError(`random_state must be a finite number or null, got ${randomState}`);
  }
  checkMatrix(data, n, d);
  if (n < k) throw new RangeError(`need at least K points to form K clusters: n_clusters=${k} but n=${n}`);

  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const rng = createRng(randomState ?? randomSeed());
  const backend = kernels();
  const ws = backend.open(d);
  let sharded: ShardedAssigner | null = null;
  try {
    const { mean, meanVariance } = columnStatistics(ws, data, n);
    // Distances are taken relative to the data mean, as scikit-learn does, so
    // a common offset does not eat into the dot products' precision.
    const origin = Float32Array.from(mean);
    const rows = ws.matrix(data, n, origin, 'if-small');
    const ctx: RunContext = {
      ws,
      data,
      n,
      d,
      k,
      maxIter,
      tol: tol * meanVariance,
      rows,
      centers: ws.buffer(k, origin),
      dotErrorBound: backend.dotErrorBound(d),
      // Elkan's n×k bounds would not fit beyond the cap; Lloyd gives the same answer.
      useElkan: algorithm !== 'lloyd' && k > 1 && n * k <= ELKAN_MAX_BOUNDS,
      updater: new CenterUpdater(ws, data, n, d, k),
      shouldStop,
      sharded: null,
    };
    const threads = splitThreads(n, d, k, options.threads);
    if (threads > 1) ctx.sharded = sharded = ShardedAssigner.open(data, n, d, k, origin, ctx.useElkan, threads);

    let best: KMeansResult | null = null;
    for (let run = 0; run < nInit; run++) {
      throwIfCanceled(shouldStop);
      const centersInit =
        init === 'random' ? randomInit(data, n, d, k, rng) : seedKMeansPlusPlus(ws, rows, data, d, origin, k, rng, shouldStop);
      const result = runOnce(ctx, centersInit);
      // Like scikit-learn, ignore a "better" inertia that is only rounding noise
      // on the very same partition.
      if (best === null || (result.inertia < best.inertia && !isSameClustering(result.labels, best.labels, k))) {
        best = result;
      }
    }
    return { ...best!, threads: ctx.sharded?.threads ?? 1 };
  } finally {
    sharded?.close();
    ws.close();
  }
}

function runOnce(ctx: RunContext, centersInit: Float32Array): KMeansResult {
  const { ws, data, n, d, k, maxIter, tol, updater, shouldStop } = ctx;
  let assigner: Assigner;
  let labels: Int32Array;
  if (ctx.sharded) {
    ctx.sharded.newRun();
    assigner = ctx.sharded;
    labels = ctx.sharded.labels;
  } else {
    assigner = ctx.useElkan
      ? new ElkanAssigner(ws, ctx.rows, ctx.centers, d, k, ctx.dotErrorBound)
      : new LloydAssigner(ctx.rows, ctx.centers, k);
    labels = new Int32Array(n);
  }
  updater.reset();
  let centers = centersInit;
  let centersNext: Float32Array = new Float32Array(k * d);
  let strict = false;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    throwIfCanceled(shouldStop);
    assigner.assign(centers, labels);
    const changed = updater.update(labels, centers, centersNext);
    assigner.centersMoved(centersNext, labels);
    const swap = centers;
    centers = centersNext;
    centersNext = swap;

    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    let shiftTotal = 0;
    for (let c = 0; c < k; c++) shiftTotal += updater.shift[c] * updater.shift[c];
    if (shiftTotal <= tol) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(iter + 1, maxIter);
  if (!strict) {
    // The last M-step moved the centers after labels were computed; redo the
    // E-step so labels and centroids describe the same partition.
    throwIfCanceled(shouldStop);
    assigner.assign(centers, labels);
  }
  // Shared labels are rewritten by the next run; the result keeps its own copy.
  const own = ctx.sharded ? labels.slice() : labels;
  return { labels: own, centroids: centers, inertia: computeInertia(ws, data, n, centers, own), nIter, converged, threads: 1 };
}

/**
 * Labels for rows that were not part of the fit: the nearest centroid, ties to
 * the lowest index (scikit-learn's `KMeans.predict` and
 * `MiniBatchKMeans.predict`). Rows are streamed through the kernels, so n may
 * be far larger than what was fitted.
 */
export function kmeansPredict(data: Float32Array, n: number, d: number, centroids: Float32Array, k: number): Int32Array {
  checkMatrix(data, n, d);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`n_clusters must be an integer ≥ 1, got ${k}`);
  checkMatrix(centroids, k, d);
  const ws = kernels().open(d);
  try {
    const origin = new Float32Array(d);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) origin[j] += centroids[c * d + j] / k;
    const centers = ws.buffer(k, origin);
    centers.set(centroids, k);
    const labels = new Int32Array(n);
    ws.matrix(data, n, origin, 'stream').nearest(0, n, centers, labels, null);
    return labels;
  } finally {
    ws.close();
  }
}
