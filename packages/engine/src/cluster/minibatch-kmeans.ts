/**
 * Mini-batch k-means following scikit-learn 1.2's `MiniBatchKMeans` (dense
 * input, unit sample weights):
 *  - each of `nInit` inits seeds k-means++ (or 'random') on its own sample of
 *    `initSize` rows drawn with replacement (all rows when initSize ≥ n), and
 *    the init with the lowest inertia on a common validation sample of the
 *    same size wins;
 *  - each step draws `batchSize` rows with replacement, assigns them to the
 *    nearest center and moves every center to the running mean of all points
 *    it has been given (count-weighted update);
 *  - whenever 10·K samples have been processed since the last time, or a
 *    center has never received a point, centers whose count is below
 *    `reassignmentRatio` × the largest count are moved to random rows of the
 *    current batch;
 *  - it stops after `maxIter` passes' worth of steps, when the centers move
 *    less than the scaled `tol` in one step (tol > 0), or when the
 *    exponentially weighted average of the batch inertia has not improved for
 *    `maxNoImprovement` steps;
 *  - labels and inertia come from a final assignment of every row.
 *
 * Rows outside the fit are labelled with `kmeansPredict` (kmeans.ts): like
 * scikit-learn's `MiniBatchKMeans.predict`, the nearest centroid.
 *
 * Random streams are our own (see rng.ts), so results match scikit-learn's in
 * distribution, not bit for bit.
 */
import { createRng, randomSeed, samplePermutationPrefix } from '../rng.ts';
import type { Rng } from '../rng.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { kernels } from '../linalg/kernels.ts';
import type { RowBuffer } from '../linalg/kernel-types.ts';
import { randomInit, seedKMeansPlusPlus } from './kmeans-init.ts';
import { columnStatistics, computeInertia } from './kmeans-steps.ts';
import type { KMeansResult } from './kmeans.ts';
import { gatherRows } from '../linalg/gather-rows.ts';
import { ShardedAssigner, splitThreads } from './kmeans-shards.ts';

export interface MiniBatchKMeansOptions {
  nClusters: number;
  /** Threads for labelling every row at the end (same labels for any count); default as in kmeans. */
  threads?: number;
  /** Rows per step. Default 1024. */
  batchSize?: number;
  /** Passes over the data the steps may add up to. Default 100. */
  maxIter?: number;
  /** Inits compared on the validation sample. Default 3 (scikit-learn 1.2's value for n_init='warn'). */
  nInit?: number;
  /** Rows per init and validation sample; default 3·batchSize (at least 3·K), at most n. */
  initSize?: number | null;
  /** Steps without improvement of the smoothed inertia before stopping; null disables. Default 10. */
  maxNoImprovement?: number | null;
  /** Default 0.01; 0 disables reassignment. */
  reassignmentRatio?: number;
  /** Relative to the mean per-feature variance, as in scikit-learn; 0 disables. Default 0. */
  tol?: number;
  /** Seed for all random choices; null/undefined draws a fresh one. */
  randomState?: number | null;
  init?: 'k-means++' | 'random';
  /** Polled between steps (and seeding steps); returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface MiniBatchKMeansResult extends KMeansResult {
  /** Mini-batch steps taken; nIter is the number of passes over the data they amount to. */
  nSteps: number;
}

export function miniBatchKMeans(
  data: Float32Array,
  n: number,
  d: number,
  options: MiniBatchKMeansOptions,
): MiniBatchKMeansResult {
  const k = options.nClusters;
  const batchSizeOption = options.batchSize ?? 1024;
  const maxIter = options.maxIter ?? 100;
  const nInit = options.nInit ?? 3;
  const initSizeOption = options.initSize ?? null;
  const maxNoImprovement = options.maxNoImprovement === undefined ? 10 : options.maxNoImprovement;
  const reassignmentRatio = options.reassignmentRatio ?? 0.01;
  const tol = options.tol ?? 0;
  const init = options.init ?? 'k-means++';
  const randomState = options.randomState ?? null;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`n_clusters must be an integer ≥ 1, got ${k}`);
  if (!Number.isInteger(batchSizeOption) || batchSizeOption < 1) {
    throw new RangeError(`batch_size must be an integer ≥ 1, got ${batchSizeOption}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`max_iter must be an integer ≥ 1, got ${maxIter}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`n_init must be an integer ≥ 1, got ${nInit}`);
  if (initSizeOption !== null && (!Number.isInteger(initSizeOption) || initSizeOption < 1)) {
    throw new RangeError(`init_size must be an integer ≥ 1 or null, got ${initSizeOption}`);
  }
  if (maxNoImprovement !== null && (!Number.isInteger(maxNoImprovement) || maxNoImprovement < 0)) {
    throw new RangeError(`max_no_improvement must be an integer ≥ 0 or null, got ${maxNoImprovement}`);
  }
  if (!(reassignmentRatio >= 0) || !Number.isFinite(reassignmentRatio)) {
    throw new RangeError(`reassignment_ratio must be a finite number ≥ 0, got ${reassignmentRatio}`);
  }
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol must be a finite number ≥ 0, got ${tol}`);
  if (init !== 'k-means++' && init !== 'random') {
    throw new RangeError(`init must be 'k-means++' or 'random', got '${String(init)}'`);
  }
  if (randomState !== null && !Number.isFinite(randomState)) {
    throw new RangeError(`random_state must be a finite number or null, got ${randomState}`);
  }
  checkMatrix(data, n, d);
  if (n < k) throw new RangeError(`n_clusters=${k} needs at least as many rows, got n=${n}`);

  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const batchSize = Math.min(batchSizeOption, n);
  // scikit-learn: 3·batch_size by default, raised to 3·K when that is smaller than K.
  let initSize = initSizeOption ?? 3 * batchSize;
  if (initSize < k) initSize = 3 * k;
  initSize = Math.min(initSize, n);

  const rng = createRng(randomState ?? randomSeed());
  const ws = kernels().open(d);
  try {
    const { mean, meanVariance } = columnStatistics(ws, data, n);
    const origin = Float32Array.from(mean);
    const scaledTol = tol * meanVariance;

    const validation = gatherRows(data, d, drawIndices(rng, n, initSize));
    const validationRows = ws.matrix(validation, initSize, origin, 'always');
    const centerBuffer = ws.buffer(k, origin);
    const validationLabels = new Int32Array(initSize);
    let centers: Float32Array | null = null;
    let bestInertia = Infinity;
    for (let run = 0; run < nInit; run++) {
      throwIfCanceled(shouldStop);
      // Like scikit-learn, an init sample as large as the data is the data itself.
      const sample = initSize < n ? gatherRows(data, d, drawIndices(rng, n, initSize)) : data;
      const candidate =
        init === 'random'
          ? randomInit(sample, initSize, d, k, rng)
          : seedKMeansPlusPlus(ws, ws.matrix(sample, initSize, origin, 'always'), sample, d, origin, k, rng, shouldStop);
      centerBuffer.set(candidate, k);
      validationRows.nearest(0, initSize, centerBuffer, validationLabels, null);
      const inertia = computeInertia(ws, validation, initSize, candidate, validationLabels);
      if (inertia < bestInertia) {
        bestInertia = inertia;
        centers = candidate;
      }
    }

    const state: StepState = {
      d,
      k,
      batchBuffer: ws.buffer(batchSize, origin),
      centerBuffer,
      counts: new Float64Array(k),
      sums: new Float64Array(k * d),
      batchLabels: new Int32Array(batchSize),
      batchValues: new Float64Array(batchSize),
      reassignmentRatio,
      rng,
    };
    const monitor = new ConvergenceMonitor(n, batchSize, scaledTol, maxNoImprovement);
    const nSteps = Math.floor((maxIter * n) / batchSize);
    const batch = new Float32Array(batchSize * d);
    let current = centers!;
    let next: Float32Array = new Float32Array(k * d);
    let sinceReassign = 0;
    let converged = false;
    let step = 0;
    for (; step < nSteps; step++) {
      throwIfCanceled(shouldStop);
      gatherRows(data, d, drawIndices(rng, n, batchSize), batch);
      // scikit-learn decides before the step whether this one may reassign.
      sinceReassign += batchSize;
      let reassign = false;
      if (state.counts.some((c) => c === 0) || sinceReassign >= 10 * k) {
        sinceReassign = 0;
        reassign = true;
      }
      const batchInertia = miniBatchStep(state, batch, batchSize, current, next, reassign);
      let squaredShift = 0;
      if (scaledTol > 0) {
        for (let i = 0; i < k * d; i++) squaredShift += (next[i] - current[i]) ** 2;
      }
      const swap = current;
      current = next;
      next = swap;
      if (monitor.shouldStop(step, squaredShift, batchInertia)) {
        converged = true;
        break;
      }
    }
    const stepsTaken = Math.min(step + 1, nSteps);

    throwIfCanceled(shouldStop);
    // Labelling every row is the one pass over all the data: split over threads when the rows are
    // in shared memory (for a single pass, copying them to the helpers would cost what it saves).
    const labels = new Int32Array(n);
    const threads = data.buffer instanceof SharedArrayBuffer || options.threads !== undefined ? splitThreads(n, d, k, options.threads) : 1;
    const sharded = threads > 1 ? ShardedAssigner.open(data, n, d, k, origin, false, threads, 'stream') : null;
    const threadsUsed = sharded?.threads ?? 1;
    if (sharded) {
      try {
        sharded.assign(current);
        labels.set(sharded.labels);
      } finally {
        sharded.close();
      }
    } else {
      centerBuffer.set(current, k);
      ws.matrix(data, n, origin, 'stream').nearest(0, n, centerBuffer, labels, null);
    }
    return {
      labels,
      centroids: current,
      inertia: computeInertia(ws, data, n, current, labels),
      nIter: Math.ceil((stepsTaken * batchSize) / n),
      nSteps: stepsTaken,
      converged,
      threads: threadsUsed,
    };
  } finally {
    ws.close();
  }
}

interface StepState {
  d: number;
  k: number;
  batchBuffer: RowBuffer;
  centerBuffer: RowBuffer;
  /** Points each center has absorbed so far (scikit-learn's weight sums). */
  counts: Float64Array;
  sums: Float64Array;
  batchLabels: Int32Array;
  batchValues: Float64Array;
  reassignmentRatio: number;
  rng: Rng;
}

/**
 * One step (scikit-learn's `_mini_batch_step`): assigns the batch to
 * `centers`, writes the updated centers to `next` and returns the batch's
 * inertia before the update.
 */
function miniBatchStep(
  s: StepState,
  batch: Float32Array,
  size: number,
  centers: Float32Array,
  next: Float32Array,
  reassign: boolean,
): number {
  const { d, k, counts, sums, batchLabels, batchValues } = s;
  s.batchBuffer.set(batch, size);
  s.centerBuffer.set(centers, k);
  s.batchBuffer.nearest(0, size, s.centerBuffer, batchLabels, batchValues);
  // ‖x‖² + (‖c‖² − 2x·c): float32-product precision is plenty for the stopping rule.
  const norms = s.batchBuffer.norms;
  let inertia = 0;
  for (let r = 0; r < size; r++) inertia += Math.max(0, norms[r] + batchValues[r]);

  // New center = (old center · old count + sum of its batch points) / new count.
  sums.fill(0);
  const members = new Float64Array(k);
  for (let r = 0; r < size; r++) {
    const c = batchLabels[r];
    members[c] += 1;
    const o = c * d;
    const xo = r * d;
    for (let j = 0; j < d; j++) sums[o + j] += batch[xo + j];
  }
  for (let c = 0; c < k; c++) {
    const o = c * d;
    if (members[c] === 0) {
      for (let j = 0; j < d; j++) next[o + j] = centers[o + j];
      continue;
    }
    const old = counts[c];
    counts[c] = old + members[c];
    const inv = 1 / counts[c];
    for (let j = 0; j < d; j++) next[o + j] = (centers[o + j] * old + sums[o + j]) * inv;
  }

  if (reassign && s.reassignmentRatio > 0) reassignSmallClusters(s, batch, size, next);
  return inertia;
}

/** Moves centers with too few points to random rows of the batch (scikit-learn's reassignment). */
function reassignSmallClusters(s: StepState, batch: Float32Array, size: number, next: Float32Array): void {
  const { d, k, counts } = s;
  let largest = 0;
  for (let c = 0; c < k; c++) largest = Math.max(largest, counts[c]);
  const threshold = s.reassignmentRatio * largest;
  const flagged: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] < threshold) flagged.push(c);
  if (flagged.length === 0) return;
  const cap = Math.floor(0.5 * size);
  let chosen = flagged;
  if (flagged.length > 0.5 * size) {
    // At most half a batch of new centers: keep the lowest counts (ties by index).
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => counts[a] - counts[b] || a - b);
    const allowed = new Set(order.slice(0, cap));
    chosen = flagged.filter((c) => allowed.has(c));
  }
  if (chosen.length === 0) return;
  const picks = samplePermutationPrefix(s.rng, size, chosen.length);
  for (let t = 0; t < chosen.length; t++) {
    next.set(batch.subarray(picks[t] * d, picks[t] * d + d), chosen[t] * d);
  }
  // Reset to the smallest count kept, so a new center is not reassigned again at once.
  const isChosen = new Uint8Array(k);
  for (const c of chosen) isChosen[c] = 1;
  let smallestKept = Infinity;
  for (let c = 0; c < k; c++) if (isChosen[c] === 0) smallestKept = Math.min(smallestKept, counts[c]);
  for (const c of chosen) counts[c] = smallestKept;
}

/** scikit-learn's `_mini_batch_convergence`: center movement and the smoothed batch inertia. */
class ConvergenceMonitor {
  private ewaInertia: number | null = null;
  private ewaInertiaMin: number | null = null;
  private noImprovement = 0;

  constructor(
    private readonly n: number,
    private readonly batchSize: number,
    private readonly tol: number,
    private readonly maxNoImprovement: number | null,
  ) {}

  shouldStop(step: number, squaredShift: number, batchInertia: number): boolean {
    const meanInertia = batchInertia / this.batchSize;
    // The first step's inertia reflects the initialisation only.
    if (step === 0) return false;
    if (this.ewaInertia === null) {
      this.ewaInertia = meanInertia;
    } else {
      const alpha = Math.min((this.batchSize * 2) / (this.n + 1), 1);
      this.ewaInertia = this.ewaInertia * (1 - alpha) + meanInertia * alpha;
    }
    if (this.tol > 0 && squaredShift <= this.tol) return true;
    if (this.ewaInertiaMin === null || this.ewaInertia < this.ewaInertiaMin) {
      this.noImprovement = 0;
      this.ewaInertiaMin = this.ewaInertia;
    } else {
      this.noImprovement++;
    }
    return this.maxNoImprovement !== null && this.noImprovement >= this.maxNoImprovement;
  }
}

/** `count` row indices drawn uniformly with replacement (numpy's randint). */
function drawIndices(rng: Rng, n: number, count: number): Int32Array {
  const ids = new Int32Array(count);
  for (let t = 0; t < count; t++) ids[t] = rng.nextInt(n);
  return ids;
}

