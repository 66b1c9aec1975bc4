/**
 * Blocked brute-force distances for high-dimensional rows, where trees stop
 * pruning. Tiles of euclidean and cosine distances go through the
 * dot-product kernel (‖x‖² + ‖y‖² − 2x·y, and 1 − x·y / (‖x‖‖y‖)), as
 * scikit-learn's brute search does; the other metrics, and euclidean
 * distances from one row to a gathered set (rdistGathered), sum coordinate
 * terms directly.
 *
 * Tiles hold reduced distances (see metric.ts): squared euclidean, 2 × cosine
 * distance, Σ|Δ|^p. The brute path computes distances only in this file,
 * so faster kernels can replace these functions without touching the
 * algorithms.
 */
import { dotBlock, dotGathered, rowSquaredNorms } from '../linalg/dot-block.ts';
import { KIND_COSINE, KIND_L1, KIND_L2, KIND_LINF } from './metric.ts';
import type { ResolvedMetric } from './metric.ts';

// Module-local copies: imported bindings can compile to accessor calls in hot loops.
const L2 = KIND_L2;
const L1 = KIND_L1;
const LINF = KIND_LINF;
const COSINE = KIND_COSINE;

/** Query rows per tile and fitted rows per tile: 64×256 float64 = 128 KiB, cache-resident. */
export const QUERY_TILE = 64;
export const FIT_TILE = 256;

/** Per-row values the tile kernels need: squared norms (euclidean) or norms (cosine). */
export function rowNormsFor(metric: ResolvedMetric, data: Float32Array, n: number, d: number, what: string): Float64Array {
  if (metric.kind === L2) return rowSquaredNorms(data, n, d);
  if (metric.kind !== COSINE) return new Float64Array(0);
  const norms = rowSquaredNorms(data, n, d);
  for (let i = 0; i < n; i++) {
    if (norms[i] === 0) throw new RangeError(`metric 'cosine' is undefined for an all-zero row (${what} row ${i})`);
    norms[i] = Math.sqrt(norms[i]);
  }
  return norms;
}

/**
 * out[r·bRows + c] = rdist(a_row(a0 + r), b_row(b0 + c)) for r < aRows, c < bRows.
 * `aNorms` / `bNorms` come from rowNormsFor on the same matrices.
 */
export function rdistTile(
  metric: ResolvedMetric,
  a: Float32Array,
  aNorms: Float64Array,
  a0: number,
  aRows: number,
  b: Float32Array,
  bNorms: Float64Array,
  b0: number,
  bRows: number,
  d: number,
  out: Float64Array,
): void {
  const kind = metric.kind;
  if (kind === L2 || kind === COSINE) {
    dotBlock(a, a0, aRows, b, b0, bRows, d, out);
    for (let r = 0; r < aRows; r++) {
      const na = aNorms[a0 + r];
      const o = r * bRows;
      for (let c = 0; c < bRows; c++) out[o + c] = dotToRdist(kind, out[o + c], na, bNorms[b0 + c]);
    }
    return;
  }
  for (let r = 0; r < aRows; r++) {
    const x = (a0 + r) * d;
    const o = r * bRows;
    for (let c = 0; c < bRows; c++) out[o + c] = directRdist(kind, metric.p, a, x, b, (b0 + c) * d, d);
  }
}

/**
 * out[t] = rdist(a_row(aRow), b_row(rows[t])) for t < count. One row
 * against many reuses nothing between rows, so squared euclidean distances
 * are summed from differences here (as scipy's cdist does) at no extra cost
 * and without the cancellation of the norm expansion.
 */
export function rdistGathered(
  metric: ResolvedMetric,
  a: Float32Array,
  aNorms: Float64Array,
  aRow: number,
  b: Float32Array,
  bNorms: Float64Array,
  rows: Int32Array,
  count: number,
  d: number,
  out: Float64Array,
): void {
  const kind = metric.kind;
  if (kind === COSINE) {
    dotGathered(a, aRow, b, rows, count, d, out);
    const na = aNorms[aRow];
    for (let t = 0; t < count; t++) out[t] = dotToRdist(kind, out[t], na, bNorms[rows[t]]);
    return;
  }
  const x = aRow * d;
  for (let t = 0; t < count; t++) out[t] = directRdist(kind, metric.p, a, x, b, rows[t] * d, d);
}

function dotToRdist(kind: number, dot: number, na: number, nb: number): number {
  if (kind === L2) {
    const s = na + nb - 2 * dot;
    return s > 0 ? s : 0;
  }
  // Twice the cosine distance, clipped to [0, 4] as scikit-learn clips 1 − cos to [0, 2].
  const s = 2 - (2 * dot) / (na * nb);
  return s < 0 ? 0 : s > 4 ? 4 : s;
}

function directRdist(kind: number, p: number, a: Float32Array, x: number, b: Float32Array, y: number, d: number): number {
  let s = 0;
  if (kind === L2) {
    for (let j = 0; j < d; j++) {
      const t = a[x + j] - b[y + j];
      s += t * t;
    }
  } else if (kind === L1) {
    for (let j = 0; j < d; j++) s += Math.abs(a[x + j] - b[y + j]);
  } else if (kind === LINF) {
    for (let j = 0; j < d; j++) {
      const t = Math.abs(a[x + j] - b[y + j]);
      if (t > s) s = t;
    }
  } else {
    for (let j = 0; j < d; j++) s += Math.pow(Math.abs(a[x + j] - b[y + j]), p);
  }
  return s;
}

/**
 * k nearest fitted rows of every query row, ascending by (rdist, fitted
 * row). Writes m×k original row indices and reduced distances. Euclidean
 * neighbours are chosen on the norm expansion, then their distances are
 * recomputed from coordinate differences, so the values returned are exact
 * (as a tree search would return them), not the expansion's approximation.
 */
export function bruteKnn(
  metric: ResolvedMetric,
  queries: Float32Array,
  queryNorms: Float64Array,
  m: number,
  fit: Float32Array,
  fitNorms: Float64Array,
  n: number,
  d: number,
  k: number,
  outIdx: Int32Array,
  outRdist: Float64Array,
  onTile?: () => void,
): void {
  const tile = new Float64Array(QUERY_TILE * FIT_TILE);
  outRdist.fill(Infinity);
  outIdx.fill(-1);
  for (let q0 = 0; q0 < m; q0 += QUERY_TILE) {
    const rows = Math.min(QUERY_TILE, m - q0);
    for (let f0 = 0; f0 < n; f0 += FIT_TILE) {
      onTile?.();
      const cols = Math.min(FIT_TILE, n - f0);
      rdistTile(metric, queries, queryNorms, q0, rows, fit, fitNorms, f0, cols, d, tile);
      for (let r = 0; r < rows; r++) {
        const base = (q0 + r) * k;
        const o = r * cols;
        for (let c = 0; c < cols; c++) {
          const v = tile[o + c];
          // Columns arrive in increasing row order, so a tie never displaces an earlier row.
          if (v < outRdist[base + k - 1]) insertSorted(outIdx, outRdist, base, k, f0 + c, v);
        }
      }
    }
    if (metric.kind === L2) {
      for (let r = 0; r < rows; r++) {
        const base = (q0 + r) * k;
        for (let j = 0; j < k && outIdx[base + j] >= 0; j++) {
          const row = outIdx[base + j];
          const v = directRdist(L2, 2, queries, (q0 + r) * d, fit, row * d, d);
          // Re-insert in place: the exact values may reorder near-ties.
          let i = base + j;
          while (i > base && (outRdist[i - 1] > v || (outRdist[i - 1] === v && outIdx[i - 1] > row))) {
            outRdist[i] = outRdist[i - 1];
            outIdx[i] = outIdx[i - 1];
            i--;
          }
          outRdist[i] = v;
          outIdx[i] = row;
        }
      }
    }
  }
}

function insertSorted(idx: Int32Array, rdist: Float64Array, base: number, k: number, row: number, v: number): void {
  let i = base + k - 1;
  while (i > base && rdist[i - 1] > v) {
    rdist[i] = rdist[i - 1];
    idx[i] = idx[i - 1];
    i--;
  }
  rdist[i] = v;
  idx[i] = row;
}
