/**
 * Affinity graphs for spectral clustering, as scikit-learn builds them:
 *  - 'rbf': A_ij = exp(−γ·‖x_i − x_j‖²), dense, stored in float32 (half of
 *    scikit-learn's float64 matrix); degrees are summed from the stored
 *    values so the graph the eigensolver sees is exactly consistent.
 *  - 'nearest_neighbors': the kNN connectivity C (each row's n_neighbors
 *    nearest rows, itself included) symmetrised as ½·(C + Cᵀ), sparse (CSR).
 * Self-loops are left out: scipy's normalised Laplacian ignores the diagonal
 * of the affinity when it forms degrees, and scikit-learn then sets the
 * Laplacian's diagonal to 1.
 */
import { throwIfCanceled } from '../../errors.ts';
import { rowSquaredNorms } from '../../linalg/dot-block.ts';
import { nearestNeighbors, squaredDistanceBlock } from './neighbors.ts';
import { findRoot, unionToLowerRoot } from '../../graph/disjoint-set.ts';

export interface AffinityGraph {
  n: number;
  /** Σ_j≠i A_ij. */
  degrees: Float64Array;
  /** y = A·x for b vectors stored row-major n×b (y is overwritten). */
  multiply(x: Float64Array, b: number, y: Float64Array): void;
  /** Connected-component id of every node (ids in order of first node). */
  components(): { count: number; ids: Int32Array };
}

const BLOCK = 128;

export function rbfAffinity(data: Float32Array, n: number, d: number, gamma: number, shouldStop?: () => boolean): AffinityGraph {
  const matrix = new Float32Array(n * n);
  const degrees = new Float64Array(n);
  const norms = rowSquaredNorms(data, n, d);
  const block = new Float64Array(BLOCK * BLOCK);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    throwIfCanceled(shouldStop);
    const rows = Math.min(BLOCK, n - r0);
    for (let c0 = r0; c0 < n; c0 += BLOCK) {
      const cols = Math.min(BLOCK, n - c0);
      squaredDistanceBlock(data, norms, r0, rows, data, norms, c0, cols, d, block);
      for (let r = 0; r < rows; r++) {
        const i = r0 + r;
        for (let j = Math.max(c0, i + 1); j < c0 + cols; j++) {
          const v = Math.fround(Math.exp(-gamma * block[r * cols + (j - c0)]));
          matrix[i * n + j] = v;
          matrix[j * n + i] = v;
          degrees[i] += v;
          degrees[j] += v;
        }
      }
    }
  }
  return {
    n,
    degrees,
    multiply: (x, b, y) => multiplyDense(matrix, n, x, b, y),
    components: () => denseComponents(matrix, n),
  };
}

/**
 * y = A·x with A stored whole (both triangles): every output row is a pure
 * streaming dot product, which V8 runs about twice as fast as the scattered
 * updates a packed triangle needs. Vectors go four at a time so each matrix
 * entry loaded feeds four multiply-adds.
 */
function multiplyDense(matrix: Float32Array, n: number, x: Float64Array, b: number, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ro = i * n;
    const yo = i * b;
    let c0 = 0;
    for (; c0 + 4 <= b; c0 += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0, xo = c0; j < n; j++, xo += b) {
        const a = matrix[ro + j];
        s0 += a * x[xo];
        s1 += a * x[xo + 1];
        s2 += a * x[xo + 2];
        s3 += a * x[xo + 3];
      }
      y[yo + c0] = s0;
      y[yo + c0 + 1] = s1;
      y[yo + c0 + 2] = s2;
      y[yo + c0 + 3] = s3;
    }
    for (; c0 + 2 <= b; c0 += 2) {
      let s0 = 0, s1 = 0;
      for (let j = 0, xo = c0; j < n; j++, xo += b) {
        const a = matrix[ro + j];
        s0 += a * x[xo];
        s1 += a * x[xo + 1];
      }
      y[yo + c0] = s0;
      y[yo + c0 + 1] = s1;
    }
    for (; c0 < b; c0++) {
      let s0 = 0;
      for (let j = 0, xo = c0; j < n; j++, xo += b) s0 += matrix[ro + j] * x[xo];
      y[yo + c0] = s0;
    }
  }
}

function denseComponents(matrix: Float32Array, n: number): { count: number; ids: Int32Array } {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (matrix[i * n + j] > 0) unionToLowerRoot(parent, i, j);
  }
  return labelRoots(parent, n);
}

export function knnAffinity(
  data: Float32Array,
  n: number,
  d: number,
  nNeighbors: number,
  shouldStop?: () => boolean,
): AffinityGraph {
  const { indices } = nearestNeighbors(data, n, d, nNeighbors, shouldStop);
  // Each directed edge i→j (j ≠ i) contributes ½ to A_ij and ½ to A_ji.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < nNeighbors; t++) {
      const j = indices[i * nNeighbors + t];
      if (j === i) continue;
      counts[i + 1]++;
      counts[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const fill = counts.slice(0, n);
  const cols = new Int32Array(counts[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < nNeighbors; t++) {
      const j = indices[i * nNeighbors + t];
      if (j === i) continue;
      cols[fill[i]++] = j;
      cols[fill[j]++] = i;
    }
  }
  // Merge duplicates (mutual neighbours) per row: weight ½ per occurrence.
  const rowStart = new Int32Array(n + 1);
  const colIndex = new Int32Array(counts[n]);
  const values = new Float64Array(counts[n]);
  const degrees = new Float64Array(n);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const row = cols.subarray(counts[i], counts[i + 1]).sort();
    for (let t = 0; t < row.length; t++) {
      if (t > 0 && row[t] === row[t - 1]) {
        values[nnz - 1] += 0.5;
      } else {
        colIndex[nnz] = row[t];
        values[nnz] = 0.5;
        nnz++;
      }
      degrees[i] += 0.5;
    }
    rowStart[i + 1] = nnz;
  }
  return {
    n,
    degrees,
    multiply: (x, b, y) => multiplyCsr(rowStart, colIndex, values, n, x, b, y),
    components: () => {
      const parent = new Int32Array(n);
      for (let i = 0; i < n; i++) parent[i] = i;
      for (let i = 0; i < n; i++) for (let e = rowStart[i]; e < rowStart[i + 1]; e++) unionToLowerRoot(parent, i, colIndex[e]);
      return labelRoots(parent, n);
    },
  };
}

function multiplyCsr(
  rowStart: Int32Array,
  colIndex: Int32Array,
  values: Float64Array,
  n: number,
  x: Float64Array,
  b: number,
  y: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const yo = i * b;
    const from = rowStart[i];
    const to = rowStart[i + 1];
    let c0 = 0;
    for (; c0 + 4 <= b; c0 += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let e = from; e < to; e++) {
        const a = values[e];
        const xo = colIndex[e] * b + c0;
        s0 += a * x[xo];
        s1 += a * x[xo + 1];
        s2 += a * x[xo + 2];
        s3 += a * x[xo + 3];
      }
      y[yo + c0] = s0;
      y[yo + c0 + 1] = s1;
      y[yo + c0 + 2] = s2;
      y[yo + c0 + 3] = s3;
    }
    for (; c0 < b; c0++) {
      let s0 = 0;
      for (let e = from; e < to; e++) s0 += values[e] * x[colIndex[e] * b + c0];
      y[yo + c0] = s0;
    }
  }
}

function labelRoots(parent: Int32Array, n: number): { count: number; ids: Int32Array } {
  const ids = new Int32Array(n).fill(-1);
  const rootId = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = findRoot(parent, i);
    if (rootId[r] < 0) rootId[r] = count++;
    ids[i] = rootId[r];
  }
  return { count, ids };
}
