/**
 * Center seeding: scikit-learn's greedy k-means++ and the 'random' init.
 */
import type { Rng } from '../rng.ts';
import { samplePermutationPrefix } from '../rng.ts';
import { squaredDistance } from '../linalg/dot-block.ts';
import type { RowSet, Workspace } from '../linalg/kernel-types.ts';
import { kernels } from '../linalg/kernels.ts';
import { throwIfCanceled } from '../errors.ts';

/**
 * k-means++ seeding of `data` on its own, for callers outside k-means (the
 * Gaussian mixture's init). `xNorms` is accepted for their sake but not
 * needed: the kernels take norms in their own (mean-translated) geometry.
 */
export function kmeansPlusPlus(
  data: Float32Array,
  n: number,
  d: number,
  xNorms: Float64Array,
  k: number,
  rng: Rng,
  shouldStop?: () => boolean,
): Float32Array {
  const ws = kernels().open(d);
  try {
    const origin = Float32Array.from(ws.columnMeans(data, n));
    return seedKMeansPlusPlus(ws, ws.matrix(data, n, origin, 'if-small'), data, d, origin, k, rng, shouldStop);
  } finally {
    ws.close();
  }
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new center is the
 * best of `2 + floor(ln k)` candidates sampled ∝ D², judged by the potential
 * (sum of squared distances to the nearest center) it would leave.
 *
 * Candidate distances are skipped where the triangle inequality proves they
 * cannot matter: if ||cand − nearest center of x|| ≥ 2·D(x), the candidate is
 * no closer to x than its current center. On clustered data that prunes most
 * of the O(n·d) work of later steps; the choices are the same as without it.
 *
 * `rows` holds the same n rows as `data`, prepared by the workspace `ws`
 * with translation `origin`; distances are taken in that geometry.
 */
export function seedKMeansPlusPlus(
  ws: Workspace,
  rows: RowSet,
  data: Float32Array,
  d: number,
  origin: Float32Array | null,
  k: number,
  rng: Rng,
  shouldStop?: () => boolean,
): Float32Array {
  const n = rows.count;
  const centers = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const cumulative = new Float64Array(n);
  const candRows = new Float32Array(trials * d);
  const candidates = ws.buffer(trials, origin);
  const seeding = ws.seeding(rows, candidates, k);
  const chosen = new Float32Array(k * d); // chosen centers in the kernels' geometry
  const candIds = new Int32Array(trials);
  const candToCenter = new Float64Array(trials * k); // squared
  const pots = new Float64Array(trials);

  const first = rng.nextInt(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  candidates.set(centers, 1);
  chosen.set(candidates.geometry.subarray(0, d), 0);
  let pot = seeding.start();

  for (let c = 1; c < k; c++) {
    throwIfCanceled(shouldStop);
    const closest = seeding.closest();
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i];
      cumulative[i] = running;
    }
    for (let t = 0; t < trials; t++) {
      const target = rng.nextFloat() * pot;
      // numpy.searchsorted(side='left') then clip: rounding can push the
      // target past the last cumulative value.
      const id = Math.min(lowerBound(cumulative, n, target), n - 1);
      candIds[t] = id;
      candRows.set(data.subarray(id * d, id * d + d), t * d);
    }
    candidates.set(candRows, trials);
    const geometry = candidates.geometry;
    for (let t = 0; t < trials; t++) {
      for (let e = 0; e < c; e++) candToCenter[t * k + e] = squaredDistance(geometry, t, chosen, e, d);
    }
    seeding.evaluate(candToCenter, pots);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    pot = pots[best];
    seeding.accept(best, c);
    const id = candIds[best];
    centers.set(data.subarray(id * d, id * d + d), c * d);
    chosen.set(geometry.subarray(best * d, best * d + d), c * d);
  }
  return centers;
}

/** scikit-learn's 'random' init: k distinct rows chosen uniformly. */
export function randomInit(data: Float32Array, n: number, d: number, k: number, rng: Rng): Float32Array {
  const ids = samplePermutationPrefix(rng, n, k);
  const centers = new Float32Array(k * d);
  for (let c = 0; c < k; c++) centers.set(data.subarray(ids[c] * d, ids[c] * d + d), c * d);
  return centers;
}

/** First index i with values[i] >= target (numpy searchsorted, side='left'). */
function lowerBound(values: Float64Array, length: number, target: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
