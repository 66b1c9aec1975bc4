/**
 * E-step strategies. Both pick, for every point, the center minimising
 * ||c||² − 2x·c (the ||x||² term is common to all centers) with ties going to
 * the lowest index, and both obtain x·c from kernels that produce
 * bit-identical values, so Elkan only differs from Lloyd in *skipping* pairs
 * its bounds prove cannot win.
 */
import { dotBlock, dotGathered, dotRows, rowSquaredNorms, squaredDistance } from '../linalg/dot-block.ts';

export interface Assigner {
  /** Recompute labels (in place) for the given centers. */
  assign(centers: Float32Array, labels: Int32Array): void;
  /** Centers moved by `shift[c]` since the last assign; labels are the ones assign produced. */
  centersMoved(shift: Float64Array, labels: Int32Array): void;
}

const ROW_BLOCK = 64;

/** Plain Lloyd: every point against every center, in register-blocked tiles. */
export class LloydAssigner implements Assigner {
  private readonly dots: Float64Array;
  private readonly centerNorms: Float64Array;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
  ) {
    this.dots = new Float64Array(ROW_BLOCK * k);
    this.centerNorms = new Float64Array(k);
  }

  assign(centers: Float32Array, labels: Int32Array): void {
    const { data, n, d, k, dots, centerNorms } = this;
    rowSquaredNorms(centers, k, d, centerNorms);
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const rows = Math.min(ROW_BLOCK, n - r0);
      dotBlock(data, r0, rows, centers, 0, k, d, dots);
      for (let r = 0; r < rows; r++) {
        const o = r * k;
        let best = 0;
        let bestValue = centerNorms[0] - 2 * dots[o];
        for (let c = 1; c < k; c++) {
          const v = centerNorms[c] - 2 * dots[o + c];
          if (v < bestValue) {
            bestValue = v;
            best = c;
          }
        }
        labels[r0 + r] = best;
      }
    }
  }

  centersMoved(): void {}
}

/** Lower bounds are kept as float32 to halve memory; this is their cap in entries (256 MiB). */
export const ELKAN_MAX_BOUNDS = 1 << 26;

/**
 * Elkan's algorithm: an upper bound on the distance to the own center and a
 * lower bound per (point, center), loosened by how far centers move. Pairs
 * whose bounds prove they cannot beat the current center are never computed.
 */
export class ElkanAssigner implements Assigner {
  private initialized = false;
  private readonly upper: Float64Array;
  private readonly lower: Float32Array; // n×k, always rounded toward zero so it stays a lower bound
  private readonly halfDist: Float64Array; // k×k, half the distance between centers
  private readonly nearestHalf: Float64Array; // k, half distance to the nearest other center
  private readonly centerNorms: Float64Array;
  private readonly candidates: Int32Array;
  private readonly dots: Float64Array;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    private readonly xNorms: Float64Array,
  ) {
    this.upper = new Float64Array(n);
    this.lower = new Float32Array(n * k);
    this.halfDist = new Float64Array(k * k);
    this.nearestHalf = new Float64Array(k);
    this.centerNorms = new Float64Array(k);
    this.candidates = new Int32Array(k);
    this.dots = new Float64Array(Math.max(ROW_BLOCK * k, k));
  }

  assign(centers: Float32Array, labels: Int32Array): void {
    rowSquaredNorms(centers, this.k, this.d, this.centerNorms);
    if (!this.initialized) {
      this.assignAll(centers, labels);
      this.initialized = true;
      return;
    }
    this.computeCenterDistances(centers);
    const { data, n, d, k, xNorms, upper, lower, halfDist, nearestHalf, centerNorms, candidates, dots } = this;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      let u = upper[i];
      if (u <= nearestHalf[a]) continue;
      const lo = i * k;
      const ho = a * k;
      let count = 0;
      for (let c = 0; c < k; c++) {
        if (c !== a && u > lower[lo + c] && u > halfDist[ho + c]) candidates[count++] = c;
      }
      if (count === 0) continue;

      // Tighten the upper bound first: it is often enough to rule everyone out.
      const xn = xNorms[i];
      let bestValue = centerNorms[a] - 2 * dotRows(data, i, centers, a, d);
      u = distanceFrom(xn, bestValue);
      lower[lo + a] = floorToFloat32(u);
      let kept = 0;
      for (let t = 0; t < count; t++) {
        const c = candidates[t];
        if (u > lower[lo + c] && u > halfDist[ho + c]) candidates[kept++] = c;
      }
      if (kept > 0) {
        dotGathered(data, i, centers, candidates, kept, d, dots);
        let best = a;
        for (let t = 0; t < kept; t++) {
          const c = candidates[t];
          const v = centerNorms[c] - 2 * dots[t];
          lower[lo + c] = floorToFloat32(distanceFrom(xn, v));
          if (v < bestValue || (v === bestValue && c < best)) {
            bestValue = v;
            best = c;
          }
        }
        labels[i] = best;
        u = distanceFrom(xn, bestValue);
      }
      upper[i] = u;
    }
  }

  centersMoved(shift: Float64Array, labels: Int32Array): void {
    const { n, k, upper, lower } = this;
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]];
      const lo = i * k;
      for (let c = 0; c < k; c++) {
        const v = lower[lo + c] - shift[c];
        lower[lo + c] = v > 0 ? floorToFloat32(v) : 0;
      }
    }
  }

  /** First pass: full blocked distances, seeding every bound. */
  private assignAll(centers: Float32Array, labels: Int32Array): void {
    const { data, n, d, k, xNorms, upper, lower, centerNorms, dots } = this;
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const rows = Math.min(ROW_BLOCK, n - r0);
      dotBlock(data, r0, rows, centers, 0, k, d, dots);
      for (let r = 0; r < rows; r++) {
        const i = r0 + r;
        const o = r * k;
        const lo = i * k;
        const xn = xNorms[i];
        let best = 0;
        let bestValue = Infinity;
        for (let c = 0; c < k; c++) {
          const v = centerNorms[c] - 2 * dots[o + c];
          lower[lo + c] = floorToFloat32(distanceFrom(xn, v));
          if (v < bestValue) {
            bestValue = v;
            best = c;
          }
        }
        labels[i] = best;
        upper[i] = distanceFrom(xn, bestValue);
      }
    }
  }

  private computeCenterDistances(centers: Float32Array): void {
    const { d, k, halfDist, nearestHalf } = this;
    for (let a = 0; a < k; a++) {
      halfDist[a * k + a] = 0;
      for (let b = a + 1; b < k; b++) {
        const h = 0.5 * Math.sqrt(squaredDistance(centers, a, centers, b, d));
        halfDist[a * k + b] = h;
        halfDist[b * k + a] = h;
      }
    }
    for (let a = 0; a < k; a++) {
      let m = Infinity;
      for (let b = 0; b < k; b++) if (b !== a && halfDist[a * k + b] < m) m = halfDist[a * k + b];
      nearestHalf[a] = m;
    }
  }
}

function distanceFrom(xNorm: number, partial: number): number {
  const s = xNorm + partial;
  return s > 0 ? Math.sqrt(s) : 0;
}

/** Largest float32 not above v (v ≥ 0), so a stored lower bound never overshoots. */
function floorToFloat32(v: number): number {
  const f = Math.fround(v);
  // Scaling by (1 − 2⁻²³) moves v down by at least half a float32 ulp, so the
  // nearest float32 after scaling is strictly below v.
  return f <= v ? f : Math.fround(v * 0.99999988079071044921875);
}
