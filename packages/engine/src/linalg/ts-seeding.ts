/**
 * The TypeScript backend's k-means++ state: the same rules as the
 * WebAssembly kernels (assembly/kernels.ts, seedingStart / seedingDistances /
 * seedingAccept), with dense row blocks going through the tiled kernel.
 */
import type { RowBuffer, RowSet, Seeding } from './kernel-types.ts';

const ROW_BLOCK = 256;

export class TsSeeding implements Seeding {
  private readonly closestSq: Float64Array;
  private readonly nearest: Int32Array;
  private readonly dist: Float64Array;
  private readonly dots: Float64Array;
  private readonly needed: Uint8Array;
  private readonly list: Int32Array;

  constructor(
    private readonly rows: RowSet,
    private readonly candidates: RowBuffer,
    private readonly k: number,
  ) {
    const n = rows.count;
    const trials = candidates.capacity;
    this.closestSq = new Float64Array(n);
    this.nearest = new Int32Array(n);
    this.dist = new Float64Array(n * trials);
    this.dots = new Float64Array(ROW_BLOCK * trials);
    this.needed = new Uint8Array(ROW_BLOCK * trials);
    this.list = new Int32Array(trials);
  }

  start(): number {
    const { rows, candidates, closestSq, nearest, dots } = this;
    const n = rows.count;
    const xNorms = rows.norms;
    const firstNorm = candidates.norms[0];
    let pot = 0;
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, n - r0);
      rows.dots(r0, count, candidates, dots);
      for (let r = 0; r < count; r++) {
        const v = xNorms[r0 + r] + firstNorm - 2 * dots[r];
        closestSq[r0 + r] = v > 0 ? v : 0;
        pot += closestSq[r0 + r];
      }
    }
    nearest.fill(0);
    return pot;
  }

  closest(): Float64Array {
    return this.closestSq;
  }

  evaluate(candToCenter: Float64Array, pots: Float64Array): void {
    const { rows, candidates, closestSq, nearest, dist, dots, needed, list, k } = this;
    const n = rows.count;
    const trials = candidates.count;
    const xNorms = rows.norms;
    const candNorms = candidates.norms;
    pots.fill(0, 0, trials);
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, n - r0);
      let nNeeded = 0;
      for (let r = 0; r < count; r++) {
        const i = r0 + r;
        const limit = 4 * closestSq[i];
        const e = nearest[i];
        for (let t = 0; t < trials; t++) {
          const need = candToCenter[t * k + e] < limit ? 1 : 0;
          needed[r * trials + t] = need;
          nNeeded += need;
        }
      }
      // Mostly needed: the tiled kernel is cheaper than picking pairs.
      const tiled = nNeeded * 2 > count * trials;
      if (tiled) rows.dots(r0, count, candidates, dots);
      for (let r = 0; r < count; r++) {
        const i = r0 + r;
        const xn = xNorms[i];
        const o = i * trials;
        let m = 0;
        for (let t = 0; t < trials; t++) {
          dist[o + t] = Infinity;
          if (needed[r * trials + t] === 1) list[m++] = t;
        }
        if (m > 0 && !tiled) rows.dotsGathered(i, candidates, list, m, dots);
        for (let u = 0; u < m; u++) {
          const t = list[u];
          const s = xn + candNorms[t] - 2 * (tiled ? dots[r * trials + t] : dots[u]);
          dist[o + t] = s > 0 ? s : 0;
        }
        const ci = closestSq[i];
        for (let t = 0; t < trials; t++) {
          const v = dist[o + t];
          pots[t] += v < ci ? v : ci;
        }
      }
    }
  }

  accept(best: number, center: number): void {
    const { closestSq, nearest, dist } = this;
    const trials = this.candidates.count;
    for (let i = 0; i < closestSq.length; i++) {
      const v = dist[i * trials + best];
      if (v < closestSq[i]) {
        closestSq[i] = v;
        nearest[i] = center;
      }
    }
  }
}
