/**
 * Pairwise distances for hierarchical clustering, in the metrics scikit-learn
 * accepts for `AgglomerativeClustering` (l2 and l1 are aliases resolved by the
 * caller).
 */
import { throwIfCanceled } from '../../errors.ts';
import { dotBlock, dotGathered, rowSquaredNorms } from '../../linalg/dot-block.ts';
import { ownsBlock, type SumsPart } from '../../linalg/kernel-types.ts';
import { engineThreads, inSharedMemory, rowPool } from '../../parallel/row-pool.ts';

export type PairwiseMetric = 'euclidean' | 'manhattan' | 'cosine';

/**
 * Up to this dimension euclidean distances are summed from coordinate
 * differences, exactly as pdist sums them (bit-identical, so exact ties in
 * the data stay ties and are broken as scipy breaks them); the fill is cheap
 * next to the merge loop there. Above it the blocked ‖x‖² + ‖y‖² − 2x·y
 * kernel does a third less arithmetic in registers.
 */
const EXACT_EUCLIDEAN_MAX_DIM = 16;

/** log2 of the tile side. */
export const TILE_SHIFT = 7;
const TILE = 1 << TILE_SHIFT;
export const TILE_MASK = TILE - 1;

/**
 * The upper triangle of the distance matrix (pairs i < j) in float64, stored
 * as TILE×TILE row-major tiles, tile (I, J) for I ≤ J only:
 * D(i, j) = values[tileBase[(i >> TILE_SHIFT)·tiles + (j >> TILE_SHIFT)] +
 * (i & TILE_MASK)·TILE + (j & TILE_MASK)].
 *
 * The merge loop reads both rows and columns of this matrix. In scipy's
 * condensed layout every entry of a column lies on its own 4 KB page, so each
 * costs a page walk as well as a cache miss; scipy gets away with it because
 * numpy asks the kernel for huge pages, which JavaScript cannot. In tiles a
 * column's entries share pages TILE at a time: at n = 20 000 this made the
 * merge loop 1.5–1.7× faster than the condensed layout, with 128 measured
 * faster than 64 and 256. The cost is the unused half of the diagonal tiles,
 * about n·TILE·4 bytes.
 */
export interface TiledDistances {
  values: Float64Array;
  tileBase: Int32Array;
  /** Tiles per side. */
  tiles: number;
}

export function tiledIndex(m: TiledDistances, i: number, j: number): number {
  return m.tileBase[(i >> TILE_SHIFT) * m.tiles + (j >> TILE_SHIFT)] + ((i & TILE_MASK) << TILE_SHIFT) + (j & TILE_MASK);
}

/**
 * Every pairwise distance, for the matrix-based linkages.
 *
 * Euclidean distances in more than EXACT_EUCLIDEAN_MAX_DIM dimensions come
 * from ‖x‖² + ‖y‖² − 2x·y (blocked dot products, float64 accumulation,
 * clamped at 0) rather than from coordinate differences: exact for
 * integer-valued data, but a pair whose distance is tiny next to the points'
 * norms carries a relative error of roughly 1e-16·‖x‖²/d(x, y)² where pdist's
 * error is ~1e-16, so near-ties may be broken differently from scipy.
 * Cosine distances follow pdist: 1 − x·y/(‖x‖‖y‖), the cosine clipped to
 * [−1, 1].
 */
export function pairwiseDistances(
  data: Float32Array,
  n: number,
  d: number,
  metric: PairwiseMetric,
  shouldStop: (() => boolean) | undefined,
  threads?: number,
): TiledDistances {
  const { tileBase, tiles, size } = tileLayout(n);
  const kind: TileKind =
    metric === 'manhattan'
      ? 'manhattan'
      : metric === 'cosine'
        ? 'cosine-dot'
        : d <= EXACT_EUCLIDEAN_MAX_DIM
          ? 'euclidean-differences'
          : 'euclidean-dot';
  const rowTerms =
    kind === 'euclidean-dot' ? rowSquaredNorms(data, n, d) : kind === 'cosine-dot' ? rowNorms(data, n, d) : new Float64Array(0);
  const wanted = threads ?? (n >= MIN_PARALLEL_ROWS ? engineThreads() : 1);
  const pool = wanted > 1 ? rowPool() : null;
  const helpers = pool ? pool.helpers(wanted - 1) : 0;
  if (!pool || helpers < 1) {
    const values = new Float64Array(size);
    fillTileRows({ kind, data, n, d, rowTerms, values }, undefined, shouldStop);
    return { values, tileBase, tiles };
  }
  // Tile rows are dealt out over the threads; every tile is computed by the same code whichever
  // thread takes it, so the matrix is bit-identical to a one-thread fill.
  const values = new Float64Array(new SharedArrayBuffer(size * 8));
  const shared = inSharedMemory(data, n * d);
  const count = helpers + 1;
  const ids: number[] = [];
  for (let h = 0; h < helpers; h++) {
    const task: TileRowsTask = { kind, data: shared, n, d, rowTerms, values, part: { index: h + 1, count } };
    ids.push(pool.post(h, 'agglomerative.tileRows', task));
  }
  fillTileRows({ kind, data, n, d, rowTerms, values }, { index: 0, count }, shouldStop);
  for (let h = 0; h < helpers; h++) {
    try {
      pool.await(h, ids[h]!);
    } catch {
      fillTileRows({ kind, data, n, d, rowTerms, values }, { index: h + 1, count }, shouldStop);
    }
  }
  return { values, tileBase, tiles };
}

/** Below this many rows the matrix fills in well under a second on one thread. */
const MIN_PARALLEL_ROWS = 4096;

/** The upper-triangle tiles, each TILE × TILE, laid out row of tiles after row of tiles. */
function tileLayout(n: number): { tileBase: Int32Array; tiles: number; size: number } {
  const tiles = Math.ceil(n / TILE);
  const tileBase = new Int32Array(tiles * tiles).fill(-1);
  let next = 0;
  for (let I = 0; I < tiles; I++) {
    for (let J = I; J < tiles; J++) {
      tileBase[I * tiles + J] = next;
      next += TILE * TILE;
    }
  }
  return { tileBase, tiles, size: next };
}

interface TileRowsTask {
  kind: TileKind;
  data: Float32Array;
  n: number;
  d: number;
  rowTerms: Float64Array;
  values: Float64Array;
  part?: SumsPart;
}

export const PAIRWISE_TASKS = {
  'agglomerative.tileRows': (task: TileRowsTask): void => fillTileRows(task, task.part, undefined),
};

/** Fills the rows of tiles that `part` owns (all without one). */
function fillTileRows(
  job: Omit<TileRowsTask, 'part'>,
  part: SumsPart | undefined,
  shouldStop: (() => boolean) | undefined,
): void {
  const { kind, data, n, d, rowTerms, values } = job;
  const { tileBase, tiles } = tileLayout(n);
  const edge = new Float64Array(TILE * TILE);
  for (let I = 0; I < tiles; I++) {
    if (!ownsBlock(I, part)) continue;
    throwIfCanceled(shouldStop);
    const r0 = I * TILE;
    const rows = Math.min(TILE, n - r0);
    for (let J = I; J < tiles; J++) {
      const c0 = J * TILE;
      const cols = Math.min(TILE, n - c0);
      const base = tileBase[I * tiles + J];
      if (cols === TILE) {
        distanceTile(kind, data, r0, rows, c0, cols, d, rowTerms, values.subarray(base, base + TILE * TILE));
      } else {
        // The last tile column is narrower than the tile's row stride.
        distanceTile(kind, data, r0, rows, c0, cols, d, rowTerms, edge);
        for (let r = 0; r < rows; r++) values.set(edge.subarray(r * cols, (r + 1) * cols), base + r * TILE);
      }
    }
  }
}

/**
 * How a tile of distances is computed: from coordinate differences (exact
 * like pdist), or from dot products with per-row terms (squared norms for
 * euclidean, norms for cosine).
 */
type TileKind = 'euclidean-differences' | 'euclidean-dot' | 'cosine-dot' | 'manhattan';

/**
 * out[r * cols + c] = distance(row r0 + r, row c0 + c) for a block of rows
 * against a block of rows: the one kernel the matrix fill spends its time in.
 */
function distanceTile(
  kind: TileKind,
  data: Float32Array,
  r0: number,
  rows: number,
  c0: number,
  cols: number,
  d: number,
  rowTerms: Float64Array,
  out: Float64Array,
): void {
  if (kind === 'euclidean-dot' || kind === 'cosine-dot') {
    dotBlock(data, r0, rows, data, c0, cols, d, out);
    for (let r = 0; r < rows; r++) {
      const ti = rowTerms[r0 + r];
      const o = r * cols;
      if (kind === 'euclidean-dot') {
        for (let c = 0; c < cols; c++) {
          const sq = ti + rowTerms[c0 + c] - 2 * out[o + c];
          out[o + c] = sq > 0 ? Math.sqrt(sq) : 0;
        }
      } else {
        for (let c = 0; c < cols; c++) out[o + c] = 1 - clippedCosine(out[o + c], ti * rowTerms[c0 + c]);
      }
    }
    return;
  }
  const metric = kind === 'manhattan' ? 'manhattan' : 'euclidean';
  const columns = new Int32Array(cols);
  for (let c = 0; c < cols; c++) columns[c] = c0 + c;
  for (let r = 0; r < rows; r++) {
    distancesFromRow(data, d, metric, rowTerms, r0 + r, columns, cols, out.subarray(r * cols, (r + 1) * cols));
  }
}

function clippedCosine(dot: number, normProduct: number): number {
  const c = dot / normProduct;
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/**
 * Distances from one row to a gathered set of rows, computed the way the
 * reference computes them when it never stores a matrix (scikit-learn's
 * single-linkage MST): coordinate differences summed in column order for
 * euclidean and manhattan, pdist's formula for cosine. `norms` holds the
 * rows' euclidean norms and is only read for cosine.
 */
export function distancesFromRow(
  data: Float32Array,
  d: number,
  metric: PairwiseMetric,
  norms: Float64Array,
  row: number,
  targets: Int32Array,
  count: number,
  out: Float64Array,
): void {
  if (metric === 'cosine') {
    dotGathered(data, row, data, targets, count, d, out);
    const nx = norms[row];
    for (let t = 0; t < count; t++) out[t] = 1 - clippedCosine(out[t], nx * norms[targets[t]]);
    return;
  }
  const squared = metric === 'euclidean';
  const x0 = row * d;
  const quad = count & ~3;
  let t = 0;
  // Four targets at a time: four independent sums hide the add latency while
  // each sum still runs in column order, bit-identical to the reference's.
  for (; t < quad; t += 4) {
    const y0 = targets[t] * d;
    const y1 = targets[t + 1] * d;
    const y2 = targets[t + 2] * d;
    const y3 = targets[t + 3] * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (squared) {
      for (let k = 0; k < d; k++) {
        const u = data[x0 + k];
        const a0 = u - data[y0 + k];
        const a1 = u - data[y1 + k];
        const a2 = u - data[y2 + k];
        const a3 = u - data[y3 + k];
        s0 += a0 * a0; s1 += a1 * a1; s2 += a2 * a2; s3 += a3 * a3;
      }
      out[t] = Math.sqrt(s0); out[t + 1] = Math.sqrt(s1); out[t + 2] = Math.sqrt(s2); out[t + 3] = Math.sqrt(s3);
    } else {
      for (let k = 0; k < d; k++) {
        const u = data[x0 + k];
        s0 += Math.abs(u - data[y0 + k]);
        s1 += Math.abs(u - data[y1 + k]);
        s2 += Math.abs(u - data[y2 + k]);
        s3 += Math.abs(u - data[y3 + k]);
      }
      out[t] = s0; out[t + 1] = s1; out[t + 2] = s2; out[t + 3] = s3;
    }
  }
  for (; t < count; t++) {
    const y0 = targets[t] * d;
    let s = 0;
    if (squared) {
      for (let k = 0; k < d; k++) {
        const a = data[x0 + k] - data[y0 + k];
        s += a * a;
      }
      s = Math.sqrt(s);
    } else {
      for (let k = 0; k < d; k++) s += Math.abs(data[x0 + k] - data[y0 + k]);
    }
    out[t] = s;
  }
}

/** Euclidean norm of every row (for cosine distances). */
export function rowNorms(data: Float32Array, n: number, d: number): Float64Array {
  return rowSquaredNorms(data, n, d).map(Math.sqrt);
}

/** Index of the first all-zero row, or -1: cosine distance is undefined for it. */
export function firstZeroRow(data: Float32Array, n: number, d: number): number {
  for (let i = 0; i < n; i++) {
    let zero = true;
    for (let k = 0; k < d && zero; k++) zero = data[i * d + k] === 0;
    if (zero) return i;
  }
  return -1;
}
