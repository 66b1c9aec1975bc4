/**
 * Orthonormal projection onto the leading principal directions of a row
 * sample (randomized range finder with two power iterations, Halko,
 * Martinsson & Tropp 2011). Used only to rank neighbour candidates cheaply:
 * an orthonormal projection never lengthens a difference vector, and on
 * clustered data the leading directions carry most of the between-cluster
 * distances.
 */
import type { Rng } from '../../rng.ts';
import { samplePermutationPrefix } from '../../rng.ts';
import { dotBlock } from '../../linalg/dot-block.ts';

export interface Projection {
  /** Output dimension p (≥ 1). */
  p: number;
  /** p × d, orthonormal rows. */
  basis: Float32Array;
  /** Centre subtracted before projecting (length d). */
  mean: Float64Array;
}

const SAMPLE_ROWS = 4096;
const OVERSAMPLING = 10;
const POWER_ITERATIONS = 2;

export function principalProjection(data: Float32Array, n: number, d: number, p: number, rng: Rng): Projection {
  const rows = samplePermutationPrefix(rng, n, Math.min(n, SAMPLE_ROWS));
  const s = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= s;
  // Float32 copies (and a transposed one) let every product below run on dotBlock.
  const centred = new Float32Array(s * d);
  const centredT = new Float32Array(d * s);
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[rows[i] * d + j] - mean[j];
      centred[i * d + j] = v;
      centredT[j * s + i] = v;
    }
  }

  const l = Math.min(d, s, p + OVERSAMPLING);
  // Range finder: Y = A Ω, then (A Aᵀ) Y twice, re-orthonormalising each time.
  const omega = new Float32Array(l * d);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rng);
  let left: Float64Array = product(centred, s, omega, l, d); // s × l
  orthonormaliseColumns(left, s, l);
  let small: Float64Array = new Float64Array(0);
  for (let it = 0; it <= POWER_ITERATIONS; it++) {
    small = product(centredT, d, transposeToFloat32(left, s, l), l, s); // d × l = Aᵀ Y
    if (it === POWER_ITERATIONS) break;
    orthonormaliseColumns(small, d, l);
    left = product(centred, s, transposeToFloat32(small, d, l), l, d);
    orthonormaliseColumns(left, s, l);
  }
  // small = Aᵀ Q = Bᵀ with B = Qᵀ A; B's leading right singular vectors are the projection.
  const gram = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += small[j * l + a] * small[j * l + b];
      gram[a * l + b] = sum;
      gram[b * l + a] = sum;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const top = values[order[0]];
  const kept = order.filter((i) => values[i] > top * 1e-12).slice(0, p);
  const out = Math.max(1, kept.length);
  const basis = new Float64Array(out * d);
  kept.forEach((e, row) => {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += small[j * l + a] * vectors[a * l + e];
      basis[row * d + j] = sum;
    }
  });
  if (kept.length === 0) basis[0] = 1; // all sampled rows identical: any unit direction will do
  orthonormaliseRows(basis, out, d);
  return { p: out, basis: Float32Array.from(basis), mean };
}

/** Projects every row: out[i] = basis · (row_i − mean), n × p. */
export function projectRows(data: Float32Array, n: number, d: number, projection: Projection): Float32Array {
  const { p, basis, mean } = projection;
  const shift = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += basis[c * d + j] * mean[j];
    shift[c] = sum;
  }
  const out = new Float32Array(n * p);
  const block = 64;
  const products = new Float64Array(block * p);
  for (let r0 = 0; r0 < n; r0 += block) {
    const rows = Math.min(block, n - r0);
    dotBlock(data, r0, rows, basis, 0, p, d, products);
    for (let i = 0; i < rows; i++) for (let c = 0; c < p; c++) out[(r0 + i) * p + c] = products[i * p + c] - shift[c];
  }
  return out;
}

function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** a (rows × inner, row-major) times bT (cols × inner, row-major, i.e. b transposed) → rows × cols in float64. */
function product(a: Float32Array, rows: number, bT: Float32Array, cols: number, inner: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const block = 256;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const count = Math.min(block, rows - r0);
    dotBlock(a, r0, count, bT, 0, cols, inner, out.subarray(r0 * cols));
  }
  return out;
}

function transposeToFloat32(m: Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** Modified Gram–Schmidt on the columns of a rows × cols matrix; a dependent column becomes zero. */
function orthonormaliseColumns(m: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    for (let prev = 0; prev < c; prev++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * cols + c] * m[r * cols + prev];
      for (let r = 0; r < rows; r++) m[r * cols + c] -= dot * m[r * cols + prev];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * cols + c] * m[r * cols + c];
    norm = Math.sqrt(norm);
    const inv = norm > 1e-300 ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) m[r * cols + c] *= inv;
  }
}

function orthonormaliseRows(m: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let prev = 0; prev < r; prev++) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += m[r * cols + j] * m[prev * cols + j];
      for (let j = 0; j < cols; j++) m[r * cols + j] -= dot * m[prev * cols + j];
    }
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += m[r * cols + j] * m[r * cols + j];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < cols; j++) m[r * cols + j] *= inv;
  }
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix; eigenvectors are columns. */
function symmetricEigen(input: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < size; i++) {
      diag += a[i * size + i] * a[i * size + i];
      for (let j = i + 1; j < size; j++) off += a[i * size + j] * a[i * size + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (apq === 0) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p];
          const akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k];
          const aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p];
          const vkq = v[k * size + q];
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = a[i * size + i];
  return { values, vectors: v };
}
