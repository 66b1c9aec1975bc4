/**
 * Center seeding: scikit-learn's greedy k-means++ and the 'random' init.
 */
import type { Rng } from '../rng.ts';
import { samplePermutationPrefix } from '../rng.ts';
import { dotBlock, dotGathered, squaredDistance } from '../linalg/dot-block.ts';
import { throwIfCanceled } from '../errors.ts';

const ROW_BLOCK = 256;

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new center is the
 * best of `2 + floor(ln k)` candidates sampled ∝ D², judged by the potential
 * (sum of squared distances to the nearest center) it would leave.
 *
 * Candidate distances are skipped where the triangle inequality proves they
 * cannot matter: if ||cand − nearest center of x|| ≥ 2·D(x), the candidate is
 * no closer to x than its current center. On clustered data that prunes most
 * of the O(n·d) work of later steps; the choices are the same as without it.
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
  const nearest = new Int32Array(n);
  const cumulative = new Float64Array(n);
  const candDist = new Float64Array(n * trials);
  const candRows = new Float32Array(trials * d);
  const candNorms = new Float64Array(trials);
  const candIds = new Int32Array(trials);
  const candToCenter = new Float64Array(trials * k); // squared
  const block: CandidateBlock = {
    data,
    d,
    xNorms,
    closest,
    nearest,
    candRows,
    candNorms,
    candToCenter,
    k,
    trials,
    dots: new Float64Array(ROW_BLOCK * trials),
    needed: new Uint8Array(ROW_BLOCK * trials),
    list: new Int32Array(trials),
  };
  const pots = new Float64Array(trials);

  const first = rng.nextInt(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  candRows.set(data.subarray(first * d, first * d + d), 0);
  candNorms[0] = xNorms[first];
  let pot = 0;
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const rows = Math.min(ROW_BLOCK, n - r0);
    dotBlock(data, r0, rows, candRows, 0, 1, d, block.dots);
    for (let r = 0; r < rows; r++) {
      const v = xNorms[r0 + r] + candNorms[0] - 2 * block.dots[r];
      closest[r0 + r] = v > 0 ? v : 0;
      pot += closest[r0 + r];
    }
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
      for (let e = 0; e < c; e++) candToCenter[t * k + e] = squaredDistance(candRows, t, centers, e, d);
    }
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      candidateDistances(block, r0, Math.min(ROW_BLOCK, n - r0), candDist);
    }
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
      if (v < closest[i]) {
        closest[i] = v;
        nearest[i] = c;
      }
    }
    const id = candIds[best];
    centers.set(data.subarray(id * d, id * d + d), c * d);
  }
  return centers;
}

/** Everything a seeding step shares across row blocks; built once, reused every step. */
interface CandidateBlock {
  data: Float32Array;
  d: number;
  xNorms: Float64Array;
  closest: Float64Array; // squared distance to the nearest chosen center
  nearest: Int32Array; // index of that center
  candRows: Float32Array;
  candNorms: Float64Array;
  candToCenter: Float64Array; // trials×k squared distances, candidate to chosen centers
  k: number;
  trials: number;
  dots: Float64Array;
  needed: Uint8Array;
  list: Int32Array;
}

/**
 * Squared distances from rows r0..r0+rows to every candidate, with Infinity
 * where the triangle inequality shows the candidate cannot get closer than
 * the point's current center. Dense blocks use the fast 2×4 kernel; sparse
 * ones only compute the surviving pairs.
 */
function candidateDistances(block: CandidateBlock, r0: number, rows: number, out: Float64Array): void {
  const { data, d, xNorms, closest, nearest, candRows, candNorms, candToCenter, k, trials, dots, needed, list } = block;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const i = r0 + r;
    const limit = 4 * closest[i];
    const e = nearest[i];
    for (let t = 0; t < trials; t++) {
      const need = candToCenter[t * k + e] < limit ? 1 : 0;
      needed[r * trials + t] = need;
      count += need;
    }
  }
  if (count === 0) {
    out.fill(Infinity, r0 * trials, (r0 + rows) * trials);
    return;
  }
  if (count * 2 > rows * trials) {
    dotBlock(data, r0, rows, candRows, 0, trials, d, dots);
    for (let r = 0; r < rows; r++) {
      const xn = xNorms[r0 + r];
      const o = (r0 + r) * trials;
      for (let t = 0; t < trials; t++) {
        const v = xn + candNorms[t] - 2 * dots[r * trials + t];
        out[o + t] = v > 0 ? v : 0;
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const i = r0 + r;
    const o = i * trials;
    let m = 0;
    for (let t = 0; t < trials; t++) {
      out[o + t] = Infinity;
      if (needed[r * trials + t] === 1) list[m++] = t;
    }
    if (m === 0) continue;
    dotGathered(data, i, candRows, list, m, d, dots);
    const xn = xNorms[i];
    for (let u = 0; u < m; u++) {
      const t = list[u];
      const v = xn + candNorms[t] - 2 * dots[u];
      out[o + t] = v > 0 ? v : 0;
    }
  }
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
