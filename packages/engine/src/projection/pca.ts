/**
 * Principal component analysis on a row-major Float32 matrix, for scatter-plot
 * coordinates and as the first step of UMAP.
 *
 * Two ways to find the leading eigenvectors of the covariance matrix:
 * - 'full' forms the d×d covariance (n·d²/2 multiply-adds, in float64 on
 *   centred rows) and takes its top eigenpairs; cheap when d is small.
 * - 'randomized' never forms it: block Lanczos (decomposition/block-lanczos.ts,
 *   started from a seeded random block) applies C = Xcᵀ·Xc/(n−1) to a block
 *   of vectors in one streaming pass over the rows, 2·n·d·b multiply-adds
 *   per pass. It converges in a few dozen passes, so for d in the hundreds
 *   it costs a fraction of forming C.
 * 'auto' picks 'full' up to FULL_MAX_DIMENSIONS features.
 *
 * Signs are fixed like scikit-learn's `svd_flip` on the components: the entry
 * of largest magnitude of each component is positive, so a seed change never
 * mirrors the plot.
 */
import { blockLanczos, type BlockOperator } from '../decomposition/block-lanczos.ts';
import { gatherRows } from '../linalg/gather-rows.ts';
import { createRng, samplePermutationPrefix } from '../rng.ts';
import { checkMatrix } from '../validate.ts';

export type PcaSolver = 'auto' | 'full' | 'randomized';

export interface PcaOptions {
  nComponents: number;
  /** Default 'auto'. */
  svdSolver?: PcaSolver;
  /** Seeds the randomized solver's start block. Default 0. */
  randomState?: number;
  /** Convergence tolerance of the randomized solver (relative eigen-residual). Default 1e-3, plenty for plotting. */
  tol?: number;
  /**
   * Fit the axes on a seeded sample of at most this many rows (every row is
   * still transformed). Default 10,000: the covariance of 10k rows already
   * fixes the leading axes to well within what a plot can show, and the fit
   * then costs the same for 100k or 10M rows. Infinity fits on all rows.
   */
  maxFitRows?: number;
  shouldStop?: () => boolean;
}

export interface PcaModel {
  d: number;
  nComponents: number;
  /** d */
  mean: Float64Array;
  /** nComponents×d row-major, orthonormal rows (principal axes). */
  components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance, n−1 denominator). */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance; sums to ≤ 1. */
  explainedVarianceRatio: Float64Array;
  totalVariance: number;
  solver: 'full' | 'randomized';
  /** Rows the axes were fitted on. */
  fittedRows: number;
}

export interface PcaResult extends PcaModel {
  /** n×nComponents row-major coordinates of the input rows. */
  embedding: Float32Array;
}

/** Up to this many features 'auto' forms the covariance matrix. */
export const FULL_MAX_DIMENSIONS = 128;
export const DEFAULT_MAX_FIT_ROWS = 10_000;

function checkOptions(n: number, d: number, options: PcaOptions): void {
  const k = options.nComponents;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) {
    throw new RangeError(`nComponents must be an integer in [1, min(n, d) = ${Math.min(n, d)}], got ${k}`);
  }
  const solver = options.svdSolver ?? 'auto';
  if (solver !== 'auto' && solver !== 'full' && solver !== 'randomized') {
    throw new RangeError(`svdSolver must be 'auto', 'full' or 'randomized', got '${String(solver)}'`);
  }
}

/** Column means and the total variance (sum of per-feature variances), two-pass for accuracy. */
function moments(data: Float32Array, n: number, d: number): { mean: Float64Array; total: number } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[o + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const x = data[o + j]! - mean[j]!;
      total += x * x;
    }
  }
  return { mean, total: n > 1 ? total / (n - 1) : 0 };
}

/**
 * C·x for a block, with C = Xcᵀ·Xc/(n−1), in one pass over the rows (Xc never
 * materialised): per row, the block's dot products and then its axpys, each a
 * contiguous loop over the row's features, four vectors at a time.
 */
function covarianceOperator(data: Float32Array, n: number, d: number, mean: Float64Array): BlockOperator {
  const scale = 1 / Math.max(1, n - 1);
  return {
    n: d,
    apply(x: Float64Array, b: number, y: Float64Array): void {
      const cols: Float64Array[] = [];
      const acc: Float64Array[] = [];
      for (let c = 0; c < b; c++) {
        const col = new Float64Array(d);
        for (let j = 0; j < d; j++) col[j] = x[j * b + c]!;
        cols.push(col);
        acc.push(new Float64Array(d));
      }
      // Xc·x = X·x − 1·(μᵀx); Xcᵀ·z = Xᵀ·z − μ·(1ᵀz).
      const mux = new Float64Array(b);
      const zSum = new Float64Array(b);
      for (let c = 0; c < b; c++) for (let j = 0; j < d; j++) mux[c] += mean[j]! * cols[c]![j]!;
      for (let c0 = 0; c0 < b; c0 += 4) {
        const w = Math.min(4, b - c0);
        const x0 = cols[c0]!;
        const x1 = cols[c0 + (w > 1 ? 1 : 0)]!;
        const x2 = cols[c0 + (w > 2 ? 2 : 0)]!;
        const x3 = cols[c0 + (w > 3 ? 3 : 0)]!;
        const y0 = acc[c0]!;
        const y1 = w > 1 ? acc[c0 + 1]! : new Float64Array(d);
        const y2 = w > 2 ? acc[c0 + 2]! : new Float64Array(d);
        const y3 = w > 3 ? acc[c0 + 3]! : new Float64Array(d);
        const m0 = mux[c0]!;
        const m1 = w > 1 ? mux[c0 + 1]! : 0;
        const m2 = w > 2 ? mux[c0 + 2]! : 0;
        const m3 = w > 3 ? mux[c0 + 3]! : 0;
        let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (let i = 0; i < n; i++) {
          const o = i * d;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let j = 0; j < d; j++) {
            const v = data[o + j]!;
            s0 += v * x0[j]!;
            s1 += v * x1[j]!;
            s2 += v * x2[j]!;
            s3 += v * x3[j]!;
          }
          s0 -= m0; s1 -= m1; s2 -= m2; s3 -= m3;
          t0 += s0; t1 += s1; t2 += s2; t3 += s3;
          for (let j = 0; j < d; j++) {
            const v = data[o + j]!;
            y0[j] += v * s0;
            y1[j] += v * s1;
            y2[j] += v * s2;
            y3[j] += v * s3;
          }
        }
        zSum[c0] = t0;
        if (w > 1) zSum[c0 + 1] = t1;
        if (w > 2) zSum[c0 + 2] = t2;
        if (w > 3) zSum[c0 + 3] = t3;
      }
      for (let c = 0; c < b; c++) {
        const yc = acc[c]!;
        for (let j = 0; j < d; j++) y[j * b + c] = (yc[j]! - mean[j]! * zSum[c]!) * scale;
      }
    },
  };
}

/** The d×d covariance matrix, accumulated in float64 from centred rows (upper triangle, then mirrored). */
function covarianceMatrix(data: Float32Array, n: number, d: number, mean: Float64Array): Float64Array {
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) row[j] = data[o + j]! - mean[j]!;
    for (let p = 0; p < d; p++) {
      const v = row[p]!;
      if (v === 0) continue;
      const cp = p * d;
      for (let q = p; q < d; q++) c[cp + q] += v * row[q]!;
    }
  }
  const scale = 1 / Math.max(1, n - 1);
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = c[p * d + q]! * scale;
      c[p * d + q] = v;
      c[q * d + p] = v;
    }
  }
  return c;
}

function denseOperator(c: Float64Array, d: number): BlockOperator {
  return {
    n: d,
    apply(x: Float64Array, b: number, y: Float64Array): void {
      y.fill(0);
      for (let p = 0; p < d; p++) {
        const cp = p * d;
        const yo = p * b;
        for (let q = 0; q < d; q++) {
          const v = c[cp + q]!;
          const xo = q * b;
          for (let k = 0; k < b; k++) y[yo + k] += v * x[xo + k]!;
        }
      }
    },
  };
}

/** Fits the principal axes; `pcaTransform` places rows (the fitted ones or new ones, e.g. centroids). */
export function pcaFit(data: Float32Array, n: number, d: number, options: PcaOptions): PcaModel {
  checkMatrix(data, n, d);
  checkOptions(n, d, options);
  const maxFitRows = options.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  if (!(maxFitRows >= 2)) throw new RangeError(`maxFitRows must be at least 2, got ${maxFitRows}`);
  if (n > maxFitRows) {
    const rows = samplePermutationPrefix(createRng(options.randomState ?? 0), n, maxFitRows).sort();
    return pcaFit(gatherRows(data, d, rows), rows.length, d, { ...options, maxFitRows: Infinity });
  }
  const k = options.nComponents;
  const requested = options.svdSolver ?? 'auto';
  const solver = requested === 'auto' ? (d <= FULL_MAX_DIMENSIONS ? 'full' : 'randomized') : requested;
  const { mean, total } = moments(data, n, d);
  const op = solver === 'full' ? denseOperator(covarianceMatrix(data, n, d, mean), d) : covarianceOperator(data, n, d, mean);
  // A block of 4 (or k) and a roomy basis: clustered data have clusters of
  // close leading eigenvalues, which single vectors resolve slowly.
  const blockSize = Math.min(d, Math.max(k, 4));
  const eig = blockLanczos(op, {
    count: k,
    blockSize,
    basisSize: Math.min(d, Math.max(k + 8 * blockSize, 40)),
    tol: options.tol ?? (solver === 'full' ? 1e-10 : 1e-3),
    rng: createRng(options.randomState ?? 0),
    shouldStop: options.shouldStop,
  });
  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let biggest = 0;
    for (let j = 0; j < d; j++) {
      const v = eig.vectors[j * k + c]!;
      if (Math.abs(v) > Math.abs(biggest)) biggest = v;
    }
    const sign = biggest < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components[c * d + j] = sign * eig.vectors[j * k + c]!;
    // Rounding can leave a vanishing eigenvalue slightly negative.
    explainedVariance[c] = Math.max(0, eig.values[c]!);
    explainedVarianceRatio[c] = total > 0 ? explainedVariance[c]! / total : 0;
  }
  return { d, nComponents: k, mean, components, explainedVariance, explainedVarianceRatio, totalVariance: total, solver, fittedRows: n };
}

/** (rows − mean)·componentsᵀ for m rows of the fitted width. */
export function pcaTransform(model: PcaModel, data: Float32Array, m: number): Float32Array {
  const { d, nComponents: k, mean, components } = model;
  checkMatrix(data, m, d);
  const out = new Float32Array(m * k);
  // μ·component once, so each row needs only its own dot products.
  const offset = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += mean[j]! * components[c * d + j]!;
    offset[c] = s;
  }
  for (let i = 0; i < m; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s0 = 0;
      let s1 = 0;
      let j = 0;
      for (; j + 1 < d; j += 2) {
        s0 += data[o + j]! * components[co + j]!;
        s1 += data[o + j + 1]! * components[co + j + 1]!;
      }
      if (j < d) s0 += data[o + j]! * components[co + j]!;
      out[i * k + c] = s0 + s1 - offset[c]!;
    }
  }
  return out;
}

/** Fit and transform in one call: the principal-component coordinates of every row. */
export function pca(data: Float32Array, n: number, d: number, options: PcaOptions): PcaResult {
  const model = pcaFit(data, n, d, options);
  const embedding = pcaTransform(model, data, n);
  if (model.fittedRows === n) return { ...model, embedding };
  // Axes from a sample: report the variance they capture on every row.
  const { total } = moments(data, n, d);
  const k = model.nComponents;
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += embedding[i * k + c]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (embedding[i * k + c]! - mean) ** 2;
    explainedVariance[c] = ss / (n - 1);
    explainedVarianceRatio[c] = total > 0 ? explainedVariance[c]! / total : 0;
  }
  return { ...model, explainedVariance, explainedVarianceRatio, totalVariance: total, embedding };
}
