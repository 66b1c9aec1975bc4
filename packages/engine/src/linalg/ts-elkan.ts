/**
 * The TypeScript backend's Elkan bounds: the same rules as the WebAssembly
 * kernels (assembly/kernels.ts, elkanStart / elkanStep), written plainly.
 */
import type { ElkanBounds, ElkanMargins, RowBuffer, RowSet } from './kernel-types.ts';

const ROW_BLOCK = 128;

export class TsElkanBounds implements ElkanBounds {
  private readonly upper: Float64Array;
  private readonly lower: Float32Array;
  private readonly candidates: Int32Array;
  private readonly ownCenter = new Int32Array(1);
  private readonly dots: Float64Array;

  constructor(
    private readonly rows: RowSet,
    private readonly centers: RowBuffer,
  ) {
    const n = rows.count;
    const k = centers.capacity;
    this.upper = new Float64Array(n);
    this.lower = new Float32Array(n * k);
    this.candidates = new Int32Array(k);
    this.dots = new Float64Array(ROW_BLOCK * k);
  }

  start(labels: Int32Array, margins: ElkanMargins): void {
    const { rows, centers, upper, lower, dots } = this;
    const n = rows.count;
    const k = centers.count;
    const centerNorms = centers.norms;
    const norms = rows.norms;
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, n - r0);
      rows.dots(r0, count, centers, dots);
      for (let r = 0; r < count; r++) {
        const i = r0 + r;
        const o = r * k;
        const lo = i * k;
        const xn = norms[i];
        const slack = rowSlack(xn, margins);
        let best = 0;
        let bestValue = Infinity;
        for (let c = 0; c < k; c++) {
          const v = centerNorms[c] - 2 * dots[o + c];
          lower[lo + c] = lowerFrom(xn, v, slack);
          if (v < bestValue) {
            bestValue = v;
            best = c;
          }
        }
        labels[i] = best;
        upper[i] = upperFrom(xn, bestValue, slack);
      }
    }
  }

  step(
    labels: Int32Array,
    shift: Float64Array,
    halfDist: Float64Array,
    nearestHalf: Float64Array,
    margins: ElkanMargins,
  ): number {
    const { rows, centers, upper, lower, candidates, dots } = this;
    const n = rows.count;
    const k = centers.count;
    const centerNorms = centers.norms;
    const norms = rows.norms;
    const own = this.ownCenter;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      // Bounds move by 2⁻⁵⁰ more than the shift, so rounding can never
      // accumulate into an upper bound below (or lower bound above) the exact one.
      let u = (upper[i] + shift[a]) * (1 + 2 ** -50);
      const lo = i * k;
      for (let c = 0; c < k; c++) {
        const v = (lower[lo + c] - shift[c]) * (1 - 2 ** -50);
        lower[lo + c] = v > 0 ? floorToFloat32(v) : 0;
      }
      const xn = norms[i];
      const slack = rowSlack(xn, margins);
      const s = nearestHalf[a];
      if (s > u && s * (s - u) > 0.5 * slack) {
        upper[i] = u;
        continue;
      }
      const ho = a * k;
      let count = 0;
      for (let c = 0; c < k; c++) {
        if (c !== a && !provablyWorse(lower[lo + c], halfDist[ho + c], u, slack)) candidates[count++] = c;
      }
      if (count === 0) {
        upper[i] = u;
        continue;
      }
      // Tighten the upper bound first: it is often enough to rule everyone out.
      own[0] = a;
      rows.dotsGathered(i, centers, own, 1, dots);
      let bestValue = centerNorms[a] - 2 * dots[0];
      u = upperFrom(xn, bestValue, slack);
      lower[lo + a] = lowerFrom(xn, bestValue, slack);
      let kept = 0;
      for (let t = 0; t < count; t++) {
        const c = candidates[t];
        if (!provablyWorse(lower[lo + c], halfDist[ho + c], u, slack)) candidates[kept++] = c;
      }
      if (kept > 0) {
        rows.dotsGathered(i, centers, candidates, kept, dots);
        let best = a;
        for (let t = 0; t < kept; t++) {
          const c = candidates[t];
          const v = centerNorms[c] - 2 * dots[t];
          lower[lo + c] = lowerFrom(xn, v, slack);
          if (v < bestValue || (v === bestValue && c < best)) {
            bestValue = v;
            best = c;
          }
        }
        if (best !== a) {
          labels[i] = best;
          changed++;
        }
        u = upperFrom(xn, bestValue, slack);
      }
      upper[i] = u;
    }
    return changed;
  }
}

function rowSlack(xNorm: number, m: ElkanMargins): number {
  return m.rowError * Math.sqrt(xNorm) * m.maxNorm + m.normError * (xNorm + m.maxNorm * m.maxNorm);
}

/**
 * Whether a center with distance lower bound `lower` and half center–center
 * distance `half` is strictly worse than the own center (upper bound u) even
 * after every computed squared distance errs by `slack`:
 * lower² − u² > 2·slack, or, by the triangle inequality,
 * dist² ≥ (2·half − u)² so dist² − u² ≥ 4·half·(half − u) > 2·slack.
 */
function provablyWorse(lower: number, half: number, u: number, slack: number): boolean {
  return (lower > u && (lower - u) * (lower + u) > 2 * slack) || (half > u && half * (half - u) > 0.5 * slack);
}

/** Upper bound on the exact distance from a computed ‖c‖² − 2x·c. */
function upperFrom(xNorm: number, partial: number, slack: number): number {
  const s = xNorm + partial + slack;
  return s > 0 ? Math.sqrt(s) : 0;
}

/** Lower bound on the exact distance from a computed ‖c‖² − 2x·c, as float32 rounded down. */
function lowerFrom(xNorm: number, partial: number, slack: number): number {
  const s = xNorm + partial - slack;
  return s > 0 ? floorToFloat32(Math.sqrt(s)) : 0;
}

/** Largest float32 not above v (v ≥ 0), so a stored lower bound never overshoots. */
function floorToFloat32(v: number): number {
  const f = Math.fround(v);
  // Scaling by (1 − 2⁻²³) moves v down by at least half a float32 ulp, so the
  // nearest float32 after scaling is strictly below v.
  return f <= v ? f : Math.fround(v * 0.99999988079071044921875);
}
