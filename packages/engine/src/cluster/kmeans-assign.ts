/**
 * E-step strategies. Both pick, for every point, the center minimising
 * ‖c‖² − 2x·c (the ‖x‖² term is common to all centers) with ties going to the
 * lowest index, and both take x·c from the same kernels, which produce the
 * same value for a pair whichever tile computes it. Elkan only *skips* pairs
 * whose bounds prove they cannot win, with margins that cover the kernels'
 * rounding (see ElkanAssigner), so Lloyd and Elkan return identical labels.
 */
import type { ElkanBounds, ElkanMargins, RowBuffer, RowSet, Workspace } from '../linalg/kernel-types.ts';

export interface Assigner {
  /** Recompute labels (in place) for the given centers. */
  assign(centers: Float32Array, labels: Int32Array): void;
  /** The centers moved to `centers` since the last assign, whose labels are `labels`. */
  centersMoved(centers: Float32Array, labels: Int32Array): void;
}

/** Plain Lloyd: every point against every center, in kernel tiles. */
export class LloydAssigner implements Assigner {
  constructor(
    private readonly rows: RowSet,
    private readonly centers: RowBuffer,
    private readonly k: number,
  ) {}

  assign(centers: Float32Array, labels: Int32Array): void {
    this.centers.set(centers, this.k);
    this.rows.nearest(0, this.rows.count, this.centers, labels, null);
  }

  centersMoved(): void {}
}

/** Lower bounds are kept as float32 to halve memory; this is their cap in entries (256 MiB). */
export const ELKAN_MAX_BOUNDS = 1 << 26;

/** While a pass changes more than this fraction of labels, the next one recomputes every pair. */
const RESTART_FRACTION = 0.1;

/**
 * Elkan's algorithm: an upper bound on the distance to the own center and a
 * lower bound per (point, center), loosened by how far centers move. Pairs
 * whose bounds prove they cannot beat the current center are never computed.
 * The per-point work runs in the kernel backend (ElkanBounds); this class
 * supplies what depends on the centers only.
 *
 * Bounds are on exact distances in the kernels' geometry (translated rows),
 * and a pair is only skipped when the exact squared distances differ by more
 * than twice E(x), the most a computed squared distance can be off:
 * 2κ‖x‖M + ε(‖x‖² + M²), κ the kernels' dot-product error bound, M the
 * largest center norm. So a skipped center's computed value is strictly worse
 * than the kept one, exactly as Lloyd would have found.
 */
export class ElkanAssigner implements Assigner {
  private initialized = false;
  /** Labels the previous pass changed. */
  private lastChanged = 0;
  private readonly bounds: ElkanBounds;
  private readonly halfDist: Float64Array; // k×k, lower bound on half the distance between centers
  private readonly nearestHalf: Float64Array; // k, the smallest of those per center
  private readonly previousGeometry: Float32Array;
  private readonly shift: Float64Array;
  private readonly centerDots: Float64Array;
  private readonly rowError: number;
  private readonly normError: number;

  constructor(
    ws: Workspace,
    rows: RowSet,
    private readonly centers: RowBuffer,
    private readonly d: number,
    private readonly k: number,
    dotErrorBound: number,
  ) {
    this.bounds = ws.elkanBounds(rows, centers);
    this.halfDist = new Float64Array(k * k);
    this.nearestHalf = new Float64Array(k);
    this.previousGeometry = new Float32Array(k * d);
    this.shift = new Float64Array(k);
    this.centerDots = new Float64Array(k * k);
    this.rowError = 2 * dotErrorBound;
    // Norms, the sum ‖x‖² + ‖c‖² − 2x·c and the bound arithmetic itself each
    // round by a few ulps of ‖x‖² + M²; d + 16 of them is a generous cover.
    this.normError = (d + 16) * 2 ** -52;
  }

  assign(centers: Float32Array, labels: Int32Array): void {
    if (!this.initialized) {
      this.centers.set(centers, this.k);
      this.bounds.start(labels, this.margins());
      this.initialized = true;
      this.lastChanged = labels.length;
      return;
    }
    if (this.lastChanged > labels.length * RESTART_FRACTION) {
      // Early on, most points need most centers anyway: one tiled pass over
      // every pair is much cheaper than gathering them point by point, and
      // it leaves exact bounds.
      const before = labels.slice();
      this.bounds.start(labels, this.margins());
      let changed = 0;
      for (let i = 0; i < labels.length; i++) if (labels[i] !== before[i]) changed++;
      this.lastChanged = changed;
      return;
    }
    this.computeCenterDistances();
    this.lastChanged = this.bounds.step(labels, this.shift, this.halfDist, this.nearestHalf, this.margins());
  }

  centersMoved(centers: Float32Array): void {
    const { k, d, shift, previousGeometry } = this;
    previousGeometry.set(this.centers.geometry.subarray(0, k * d));
    this.centers.set(centers, k);
    const geometry = this.centers.geometry;
    // Rounded up: the computed length errs by at most d ulps.
    const inflate = 1 + (d + 4) * 2 ** -52;
    for (let c = 0; c < k; c++) {
      const o = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = geometry[o + j] - previousGeometry[o + j];
        s += t * t;
      }
      shift[c] = Math.sqrt(s) * inflate;
    }
  }

  private margins(): ElkanMargins {
    const norms = this.centers.norms;
    let maxNorm = 0;
    for (let c = 0; c < this.k; c++) maxNorm = Math.max(maxNorm, Math.sqrt(norms[c]));
    return { rowError: this.rowError, normError: this.normError, maxNorm };
  }

  /** Lower bounds on half the distances between the loaded centers, from the kernels' products. */
  private computeCenterDistances(): void {
    const { k, halfDist, nearestHalf, centerDots } = this;
    const norms = this.centers.norms;
    this.centers.dots(0, k, this.centers, centerDots);
    for (let a = 0; a < k; a++) {
      halfDist[a * k + a] = 0;
      const la = Math.sqrt(norms[a]);
      for (let b = a + 1; b < k; b++) {
        const slack = this.rowError * la * Math.sqrt(norms[b]) + this.normError * (norms[a] + norms[b]);
        const sq = norms[a] + norms[b] - 2 * centerDots[a * k + b] - slack;
        const h = sq > 0 ? 0.5 * Math.sqrt(sq) : 0;
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
