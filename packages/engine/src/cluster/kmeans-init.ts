/**
 * Center seeding: scikit-learn's greedy k-means++ and the 'random' init.
 */
import type { Rng } from '../rng.ts';
import { samplePermutationPrefix } from '../rng.ts';
import { dotBlock } from '../linalg/dot-block.ts';
import { throwIfCanceled } from '../errors.ts';

const ROW_BLOCK = 256;

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new center is the
 * best of `2 + floor(ln k)` candidates sampled ∝ D², judged by the potential
 * (sum of squared distances to the nearest center) it would leave.
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
  const centers = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const closest = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const candDist = new Float64Array(n * trials);
  const candRows = new Float32Array(trials * d);
  const candNorms = new Float64Array(trials);
  const candIds = new Int32Array(trials);
  const dots = new Float64Array(ROW_BLOCK * trials);
  const pots = new Float64Array(trials);

  const first = rng.nextInt(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  candRows.set(data.subarray(first * d, first * d + d), 0);
  candNorms[0] = xNorms[first];
  squaredDistancesTo(data, n, d, xNorms, candRows, candNorms, 1, dots, candDist);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = candDist[i];
    pot += candDist[i];
  }

  for (let c = 1; c < k; c++) {
    throwIfCanceled(shouldStop);
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
      candNorms[t] = xNorms[id];
    }
    squaredDistancesTo(data, n, d, xNorms, candRows, candNorms, trials, dots, candDist);
    pots.fill(0);
    for (let i = 0; i < n; i++) {
      const ci = closest[i];
      const o = i * trials;
      for (let t = 0; t < trials; t++) {
        const v = candDist[o + t];
        pots[t] += v < ci ? v : ci;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    pot = pots[best];
    for (let i = 0; i < n; i++) {
      const v = candDist[i * trials + best];
      if (v < closest[i]) closest[i] = v;
    }
    const id = candIds[best];
    centers.set(data.subarray(id * d, id * d + d), c * d);
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

/** out[i*m + t] = ||x_i − y_t||² via norms, clamped at 0 against rounding. */
function squaredDistancesTo(
  data: Float32Array,
  n: number,
  d: number,
  xNorms: Float64Array,
  ys: Float32Array,
  yNorms: Float64Array,
  m: number,
  dots: Float64Array,
  out: Float64Array,
): void {
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const rows = Math.min(ROW_BLOCK, n - r0);
    dotBlock(data, r0, rows, ys, 0, m, d, dots);
    for (let r = 0; r < rows; r++) {
      const xn = xNorms[r0 + r];
      const o = (r0 + r) * m;
      for (let t = 0; t < m; t++) {
        const v = xn + yNorms[t] - 2 * dots[r * m + t];
        out[o + t] = v > 0 ? v : 0;
      }
    }
  }
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
