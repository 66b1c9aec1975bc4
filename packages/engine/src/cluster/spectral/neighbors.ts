/**
 * Brute-force nearest-neighbour searches for spectral clustering: the kNN
 * graph of the fitted rows and the 1-NN assignment of unseen rows. Distances
 * come in blocks as ‖x‖² + ‖y‖² − 2·x·y from the register-blocked `dotBlock`
 * kernel, so a faster kernel can replace `squaredDistanceBlock` alone.
 */
import { throwIfCanceled } from '../../errors.ts';
import { dotBlock, rowSquaredNorms } from '../../linalg/dot-block.ts';

const QUERY_BLOCK = 64;
const REFERENCE_BLOCK = 256;

/**
 * out[r * bRows + c] = ‖a_(aRow0+r) − b_(bRow0+c)‖², clipped at 0 (the
 * expansion can go slightly negative for near-identical rows).
 */
export function squaredDistanceBlock(
  a: Float32Array,
  aNorms: Float64Array,
  aRow0: number,
  aRows: number,
  b: Float32Array,
  bNorms: Float64Array,
  bRow0: number,
  bRows: number,
  d: number,
  out: Float64Array,
): void {
  dotBlock(a, aRow0, aRows, b, bRow0, bRows, d, out);
  for (let r = 0; r < aRows; r++) {
    const an = aNorms[aRow0 + r];
    const o = r * bRows;
    for (let c = 0; c < bRows; c++) {
      const v = an + bNorms[bRow0 + c] - 2 * out[o + c];
      out[o + c] = v > 0 ? v : 0;
    }
  }
}

export interface NeighborLists {
  /** n×k row-major: the k nearest rows of each row (itself included), nearest first, ties by index. */
  indices: Int32Array;
  /** Matching squared distances. */
  distances: Float64Array;
}

/**
 * The k nearest rows (including the row itself) of every row of `data`.
 * Each pair of row blocks is compared once and offers candidates to both
 * sides; blocks are visited so that every row sees its candidates in
 * increasing index order, which makes "earlier index wins a tie" hold.
 */
export function nearestNeighbors(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  shouldStop?: () => boolean,
): NeighborLists {
  const norms = rowSquaredNorms(data, n, d);
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float64Array(n * k).fill(Infinity);
  const block = new Float64Array(KNN_BLOCK * KNN_BLOCK);
  for (let q0 = 0; q0 < n; q0 += KNN_BLOCK) {
    throwIfCanceled(shouldStop);
    const qRows = Math.min(KNN_BLOCK, n - q0);
    for (let r0 = q0; r0 < n; r0 += KNN_BLOCK) {
      const rRows = Math.min(KNN_BLOCK, n - r0);
      squaredDistanceBlock(data, norms, q0, qRows, data, norms, r0, rRows, d, block);
      for (let q = 0; q < qRows; q++) {
        const i = q0 + q;
        const bo = q * rRows;
        for (let c = 0; c < rRows; c++) {
          const j = r0 + c;
          if (j < i) continue; // the pair was offered when row j was the query
          // A row's distance to itself is 0 exactly, whatever the expansion's rounding says.
          const v = j === i ? 0 : block[bo + c];
          offer(indices, distances, i * k, k, j, v);
          if (j !== i) offer(indices, distances, j * k, k, i, v);
        }
      }
    }
  }
  return { indices, distances };
}

const KNN_BLOCK = 128;

/** Insert candidate j at distance v into the sorted list at o..o+k unless it is not strictly better than the last. */
function offer(indices: Int32Array, distances: Float64Array, o: number, k: number, j: number, v: number): void {
  if (!(v < distances[o + k - 1])) return;
  let t = k - 1;
  while (t > 0 && distances[o + t - 1] > v) {
    distances[o + t] = distances[o + t - 1];
    indices[o + t] = indices[o + t - 1];
    t--;
  }
  distances[o + t] = v;
  indices[o + t] = j;
}

/** Index of the nearest row of `reference` for every row of `query` (lowest index on ties). */
export function nearestReferenceRow(
  reference: Float32Array,
  referenceN: number,
  query: Float32Array,
  queryN: number,
  d: number,
  shouldStop?: () => boolean,
): Int32Array {
  const refNorms = rowSquaredNorms(reference, referenceN, d);
  const queryNorms = rowSquaredNorms(query, queryN, d);
  const nearest = new Int32Array(queryN);
  const best = new Float64Array(QUERY_BLOCK);
  const block = new Float64Array(QUERY_BLOCK * REFERENCE_BLOCK);
  for (let q0 = 0; q0 < queryN; q0 += QUERY_BLOCK) {
    throwIfCanceled(shouldStop);
    const qRows = Math.min(QUERY_BLOCK, queryN - q0);
    best.fill(Infinity);
    for (let r0 = 0; r0 < referenceN; r0 += REFERENCE_BLOCK) {
      const rRows = Math.min(REFERENCE_BLOCK, referenceN - r0);
      squaredDistanceBlock(query, queryNorms, q0, qRows, reference, refNorms, r0, rRows, d, block);
      for (let q = 0; q < qRows; q++) {
        const bo = q * rRows;
        for (let c = 0; c < rRows; c++) {
          if (block[bo + c] < best[q]) {
            best[q] = block[bo + c];
            nearest[q0 + q] = r0 + c;
          }
        }
      }
    }
  }
  return nearest;
}
