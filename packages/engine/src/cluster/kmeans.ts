/**
 * k-means following scikit-learn 1.2's `KMeans` semantics (dense input,
 * unit sample weights): greedy k-means++ or random seeding, Lloyd or Elkan
 * iterations, tolerance scaled by the data's mean feature variance, strict
 * convergence when labels stop changing, best of `nInit` runs by inertia, and
 * a final E-step so labels always match the returned centroids.
 *
 * Deliberate differences: random streams come from our own PRNG (results are
 * equivalent in distribution, not bit-equal to numpy's), data is not
 * mean-centred first (scikit-learn does that to save float32 precision; our
 * dot products are accumulated in float64), and center sums are float64.
 */
import { createRng, randomSeed } from '../rng.ts';
import { rowSquaredNorms } from '../linalg/dot-block.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { kmeansPlusPlus, randomInit } from './kmeans-init.ts';
import { ELKAN_MAX_BOUNDS, ElkanAssigner, LloydAssigner } from './kmeans-assign.ts';
import type { Assigner } from './kmeans-assign.ts';
import {
  computeInertia,
  createUpdateScratch,
  isSameClustering,
  scaledTolerance,
  updateCenters,
} from './kmeans-steps.ts';
import type { UpdateScratch } from './kmeans-steps.ts';

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
  /** 'auto' means 'lloyd', as in scikit-learn 1.2. */
  algorithm?: 'lloyd' | 'elkan' | 'auto';
  /** Polled between iterations (and seeding steps); returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
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
}

interface RunContext {
  data: Float32Array;
  n: number;
  d: number;
  k: number;
  maxIter: number;
  tol: number;
  xNorms: Float64Array;
  useElkan: boolean;
  scratch: UpdateScratch;
  shouldStop: (() => boolean) | undefined;
}

export function kmeans(data: Float32Array, n: number, d: number, options: KMeansOptions): KMeansResult {
  const k = options.nClusters;
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const init = options.init ?? 'k-means++';
  const algorithm = options.algorithm ?? 'lloyd';
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`nClusters must be a positive integer, got ${k}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`nInit must be a positive integer, got ${nInit}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
  }
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol must be a finite number ≥ 0, got ${tol}`);
  if (init !== 'k-means++' && init !== 'random') throw new RangeError(`unknown init '${String(init)}'`);
  if (algorithm !== 'lloyd' && algorithm !== 'elkan' && algorithm !== 'auto') {
    throw new RangeError(`unknown algorithm '${String(algorithm)}'`);
  }
  const randomState = options.randomState ?? null;
  if (randomState !== null && !Number.isFinite(randomState)) {
    throw new RangeError(`randomState must be a finite number or null, got ${randomState}`);
  }
  checkMatrix(data, n, d);
  if (n < k) throw new RangeError(`need at least K points to form K clusters: nClusters=${k} but n=${n}`);

  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const rng = createRng(randomState ?? randomSeed());
  const xNorms = rowSquaredNorms(data, n, d);
  const ctx: RunContext = {
    data,
    n,
    d,
    k,
    maxIter,
    tol: scaledTolerance(data, n, d, tol),
    xNorms,
    // Elkan's n×k bounds would not fit beyond the cap; Lloyd gives the same answer.
    useElkan: algorithm === 'elkan' && k > 1 && n * k <= ELKAN_MAX_BOUNDS,
    scratch: createUpdateScratch(k, d),
    shouldStop,
  };

  let best: KMeansResult | null = null;
  for (let run = 0; run < nInit; run++) {
    throwIfCanceled(shouldStop);
    const centersInit =
      init === 'random' ? randomInit(data, n, d, k, rng) : kmeansPlusPlus(data, n, d, xNorms, k, rng, shouldStop);
    const result = runOnce(ctx, centersInit);
    // Like scikit-learn, ignore a "better" inertia that is only rounding noise
    // on the very same partition.
    if (best === null || (result.inertia < best.inertia && !isSameClustering(result.labels, best.labels, k))) {
      best = result;
    }
  }
  return best!;
}

function runOnce(ctx: RunContext, centersInit: Float32Array): KMeansResult {
  const { data, n, d, k, maxIter, tol, scratch, shouldStop } = ctx;
  const assigner: Assigner = ctx.useElkan
    ? new ElkanAssigner(data, n, d, k, ctx.xNorms)
    : new LloydAssigner(data, n, d, k);
  let centers = centersInit;
  let centersNext: Float32Array = new Float32Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const labelsPrev = new Int32Array(n).fill(-1);
  let strict = false;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    throwIfCanceled(shouldStop);
    assigner.assign(centers, labels);
    updateCenters(data, n, d, k, labels, centers, centersNext, scratch);
    assigner.centersMoved(scratch.shift, labels);
    const swap = centers;
    centers = centersNext;
    centersNext = swap;

    if (sameLabels(labels, labelsPrev)) {
      strict = true;
      converged = true;
      break;
    }
    let shiftTotal = 0;
    for (let c = 0; c < k; c++) shiftTotal += scratch.shift[c] * scratch.shift[c];
    if (shiftTotal <= tol) {
      converged = true;
      break;
    }
    labelsPrev.set(labels);
  }
  const nIter = Math.min(iter + 1, maxIter);
  if (!strict) {
    // The last M-step moved the centers after labels were computed; redo the
    // E-step so labels and centroids describe the same partition.
    throwIfCanceled(shouldStop);
    assigner.assign(centers, labels);
  }
  return { labels, centroids: centers, inertia: computeInertia(data, n, d, centers, labels), nIter, converged };
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
