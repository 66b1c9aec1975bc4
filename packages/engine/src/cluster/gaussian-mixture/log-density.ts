/**
 * Component log-densities: log N(x | μ_c, Σ_c) + log w_c
 *   = −½·(d·log 2π + q_c(x)) + log det U_c + log w_c,   q_c(x) = ‖(x − μ_c)ᵀ·U_c‖²
 * with U_c the precision Cholesky factor, as scikit-learn's
 * `_estimate_log_gaussian_prob`. Diagonal, spherical and full models evaluate
 * q from differences (x − μ) rather than scikit-learn's expanded
 * x² − 2xμ + μ², which has the same value but loses digits when the data sit
 * far from the origin; the tied model uses scikit-learn's x·U − μ·U, which
 * transforms each row once for all components.
 */
import { transposeSquare } from '../../decomposition/cholesky.ts';
import { logDetCholesky } from './parameters.ts';
import type { CovarianceType, MixtureParameters } from './parameters.ts';

export interface LogDensity {
  type: CovarianceType;
  k: number;
  d: number;
  means: Float64Array;
  precChol: Float64Array;
  upper: boolean;
  /** Per component: −½·d·log 2π + log det U_c + log w_c (−∞ for a zero weight). */
  constant: Float64Array;
  /**
   * diag and spherical: per-feature precisions U² (k×d; a spherical
   * component repeats its one value), so both share one kernel. full/tied: empty.
   */
  precisions: Float64Array;
  /** tied: μ_c·U (k×d), so that q_c(x) = ‖x·U − μ_c·U‖² costs d per component once x·U is known. Else empty. */
  transformedMeans: Float64Array;
  /** full: each U_cᵀ (k×d×d), so that columns of U are contiguous. Else empty. */
  transposedCholesky: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

export function prepareLogDensity(params: MixtureParameters): LogDensity {
  const { covarianceType: type, nComponents: k, d, weights, means, precisionsCholesky: precChol } = params;
  const logDet = logDetCholesky(precChol, type, k, d);
  const constant = new Float64Array(k);
  for (let c = 0; c < k; c++) constant[c] = -0.5 * d * LOG_2PI + logDet[c] + Math.log(weights[c]);
  let precisions = new Float64Array(0);
  if (type === 'diag') precisions = precChol.map((v) => v * v);
  if (type === 'spherical') {
    precisions = new Float64Array(k * d);
    for (let c = 0; c < k; c++) precisions.fill(precChol[c] * precChol[c], c * d, (c + 1) * d);
  }
  let transformedMeans = new Float64Array(0);
  if (type === 'tied') {
    transformedMeans = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      multiplyRow(means, c * d, precChol, 0, d, params.upperCholesky, transformedMeans, c * d);
    }
  }
  let transposedCholesky = new Float64Array(0);
  if (type === 'full') {
    const dd = d * d;
    transposedCholesky = new Float64Array(k * dd);
    for (let c = 0; c < k; c++) transposeSquare(precChol.subarray(c * dd, (c + 1) * dd), d, transposedCholesky.subarray(c * dd, (c + 1) * dd));
  }
  return { type, k, d, means, precChol, upper: params.upperCholesky, constant, precisions, transformedMeans, transposedCholesky };
}

/**
 * q_c(x) for one row and one component (the pruned E-step's unit of work):
 * d operations for diagonal and spherical models, d²/2 for full ones.
 * `scratch` needs 2·d entries. Not for 'tied', whose rows are transformed once for all components.
 */
export function pairQuadraticForm(dens: LogDensity, data: Float32Array, row: number, c: number, scratch: Float64Array): number {
  const { d, means } = dens;
  const xo = row * d;
  const mo = c * d;
  if (dens.type === 'full') {
    for (let j = 0; j < d; j++) scratch[j] = data[xo + j] - means[mo + j];
    multiplyRow(scratch, 0, dens.precChol, c * d * d, d, dens.upper, scratch, d);
    let s = 0;
    for (let j = d; j < 2 * d; j++) s += scratch[j] * scratch[j];
    return s;
  }
  const p = dens.precisions;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = data[xo + j] - means[mo + j];
    s += p[mo + j] * t * t;
  }
  return s;
}

/**
 * out[oo..oo+d) = v·U for the row vector v = src[so..so+d) and the triangular
 * U at u[uo..] (upper when `upper`). Walks U by rows so memory access is contiguous.
 */
export function multiplyRow(
  src: Float64Array,
  so: number,
  u: Float64Array,
  uo: number,
  d: number,
  upper: boolean,
  out: Float64Array,
  oo: number,
): void {
  for (let j = 0; j < d; j++) out[oo + j] = 0;
  for (let l = 0; l < d; l++) {
    const v = src[so + l];
    if (v === 0) continue;
    const row = uo + l * d;
    const from = upper ? l : 0;
    const to = upper ? d : l + 1;
    for (let j = from; j < to; j++) out[oo + j] += v * u[row + j];
  }
}

/**
 * q_c(x) for rows r0..r0+rows and every component: out[r*k + c]. Diagonal
 * and spherical models use a 2-row × 4-component register tile (the shape
 * that also suits `dotBlock`); tied transforms each row once; full goes
 * component by component.
 */
export function quadraticFormsBlock(
  dens: LogDensity,
  data: Float32Array,
  r0: number,
  rows: number,
  out: Float64Array,
  scratch: BlockScratch,
): void {
  if (dens.type === 'diag' || dens.type === 'spherical') diagonalTile(dens, data, r0, rows, out);
  else if (dens.type === 'tied') tiedBlock(dens, data, r0, rows, out, scratch);
  else fullBlock(dens, data, r0, rows, out, scratch);
}

/** Work arrays for quadraticFormsBlock: two rows×d buffers. */
export interface BlockScratch {
  a: Float64Array;
  b: Float64Array;
}

export function createBlockScratch(rows: number, d: number): BlockScratch {
  return { a: new Float64Array(rows * d), b: new Float64Array(rows * d) };
}

/** Shared U: transform each row once (z = x·U, d²/2), then every component costs d. */
function tiedBlock(dens: LogDensity, data: Float32Array, r0: number, rows: number, out: Float64Array, scratch: BlockScratch): void {
  const { k, d, precChol, upper, transformedMeans } = dens;
  const x = scratch.a;
  const z = scratch.b;
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[r * d + j] = data[(r0 + r) * d + j];
  for (let r = 0; r < rows; r++) multiplyRow(x, r * d, precChol, 0, d, upper, z, r * d);
  for (let r = 0; r < rows; r++) {
    const zo = r * d;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = z[zo + j] - transformedMeans[mo + j];
        s += t * t;
      }
      out[r * k + c] = s;
    }
  }
}

/**
 * One U per component: q = ‖(x − μ_c)ᵀ·U_c‖², with y_j = Σ_l diff_l·U[l][j]
 * taken as a dot product of diff with column j of U (read from Uᵀ, stored
 * contiguously), four rows at a time so every factor entry loaded serves four.
 */
function fullBlock(dens: LogDensity, data: Float32Array, r0: number, rows: number, out: Float64Array, scratch: BlockScratch): void {
  const { k, d, means, upper } = dens;
  const transposed = dens.transposedCholesky;
  const diff = scratch.a;
  const dd = d * d;
  for (let c = 0; c < k; c++) {
    const mo = c * d;
    const uo = c * dd;
    for (let r = 0; r < rows; r++) {
      const xo = (r0 + r) * d;
      for (let j = 0; j < d; j++) diff[r * d + j] = data[xo + j] - means[mo + j];
    }
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const a0 = r * d;
      const a1 = a0 + d;
      const a2 = a1 + d;
      const a3 = a2 + d;
      let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
      for (let j = 0; j < d; j++) {
        const row = uo + j * d;
        const from = upper ? 0 : j;
        const to = upper ? j + 1 : d;
        let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        for (let l = from; l < to; l++) {
          const u = transposed[row + l];
          y0 += u * diff[a0 + l];
          y1 += u * diff[a1 + l];
          y2 += u * diff[a2 + l];
          y3 += u * diff[a3 + l];
        }
        q0 += y0 * y0;
        q1 += y1 * y1;
        q2 += y2 * y2;
        q3 += y3 * y3;
      }
      out[r * k + c] = q0;
      out[(r + 1) * k + c] = q1;
      out[(r + 2) * k + c] = q2;
      out[(r + 3) * k + c] = q3;
    }
    for (; r < rows; r++) {
      const a0 = r * d;
      let q0 = 0;
      for (let j = 0; j < d; j++) {
        const row = uo + j * d;
        const from = upper ? 0 : j;
        const to = upper ? j + 1 : d;
        let y0 = 0;
        for (let l = from; l < to; l++) y0 += transposed[row + l] * diff[a0 + l];
        q0 += y0 * y0;
      }
      out[r * k + c] = q0;
    }
  }
}

function diagonalTile(dens: LogDensity, data: Float32Array, r0: number, rows: number, out: Float64Array): void {
  const { k, d, means } = dens;
  const p = dens.precisions;
  const rEven = rows & ~1;
  const cQuad = k & ~3;
  for (let r = 0; r < rows; r += 2) {
    const pair = r < rEven;
    const x0 = (r0 + r) * d;
    const x1 = pair ? x0 + d : x0;
    const o0 = r * k;
    const o1 = o0 + k;
    let c = 0;
    for (; c < cQuad; c += 4) {
      const m0 = c * d;
      const m1 = m0 + d;
      const m2 = m1 + d;
      const m3 = m2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let j = 0; j < d; j++) {
        const u = data[x0 + j];
        const v = data[x1 + j];
        const a0 = means[m0 + j], a1 = means[m1 + j], a2 = means[m2 + j], a3 = means[m3 + j];
        const p0 = p[m0 + j], p1 = p[m1 + j], p2 = p[m2 + j], p3 = p[m3 + j];
        let t = u - a0; s00 += p0 * t * t;
        t = u - a1; s01 += p1 * t * t;
        t = u - a2; s02 += p2 * t * t;
        t = u - a3; s03 += p3 * t * t;
        t = v - a0; s10 += p0 * t * t;
        t = v - a1; s11 += p1 * t * t;
        t = v - a2; s12 += p2 * t * t;
        t = v - a3; s13 += p3 * t * t;
      }
      out[o0 + c] = s00; out[o0 + c + 1] = s01; out[o0 + c + 2] = s02; out[o0 + c + 3] = s03;
      if (pair) {
        out[o1 + c] = s10; out[o1 + c + 1] = s11; out[o1 + c + 2] = s12; out[o1 + c + 3] = s13;
      }
    }
    for (; c < k; c++) {
      const m0 = c * d;
      let s0 = 0, s1 = 0;
      for (let j = 0; j < d; j++) {
        const a = means[m0 + j];
        const pc = p[m0 + j];
        let t = data[x0 + j] - a;
        s0 += pc * t * t;
        t = data[x1 + j] - a;
        s1 += pc * t * t;
      }
      out[o0 + c] = s0;
      if (pair) out[o1 + c] = s1;
    }
  }
}
