/**
 * Gaussian mixture parameters and the M-step, with scikit-learn 1.2's
 * formulas (`_estimate_gaussian_parameters`, `_compute_precision_cholesky`,
 * `_compute_log_det_cholesky`), computed in float64 from float32 data.
 *
 * Shapes (row-major), as scikit-learn's attributes:
 *   means k×d; covariances / precisions_cholesky: full k×d×d, tied d×d,
 *   diag k×d, spherical k.
 */
import { choleskyLower, invertLowerTriangular, multiplyByOwnTranspose, transposeSquare } from '../../decomposition/cholesky.ts';
import type { Responsibilities } from './responsibilities.ts';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

export interface MixtureParameters {
  covarianceType: CovarianceType;
  nComponents: number;
  d: number;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  precisionsCholesky: Float64Array;
  /**
   * Full/tied: true when each factor U is upper triangular (P = U·Uᵀ, what
   * the M-step produces), false when it is the lower Cholesky factor of a
   * user-supplied precision. Either way the log-density uses ‖(x−μ)ᵀ·U‖².
   */
  upperCholesky: boolean;
}

/** Number of float64 values in a covariance (or precision) array of this type. */
export function covarianceLength(type: CovarianceType, k: number, d: number): number {
  switch (type) {
    case 'full':
      return k * d * d;
    case 'tied':
      return d * d;
    case 'diag':
      return k * d;
    case 'spherical':
      return k;
  }
}

export function illDefinedCovarianceError(): RangeError {
  return new RangeError(
    'reg_covar is too small for this data: some components have an ill-defined empirical covariance ' +
      '(for instance caused by singleton or collapsed samples); decrease n_components or increase reg_covar',
  );
}

/** XᵀX (d×d, float64), which the tied covariance needs at every M-step. */
export function gramMatrix(data: Float32Array, n: number, d: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const xa = data[o + a];
      if (xa === 0) continue;
      const ga = a * d;
      for (let b = a; b < d; b++) g[ga + b] += xa * data[o + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) g[a * d + b] = g[b * d + a];
  return g;
}

export interface EstimatedParameters {
  /** Σ responsibilities + 10ε per component (scikit-learn's guard against empty components). */
  nk: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
}

/**
 * The M-step estimates from responsibilities over the rows of `source`.
 * `gram` (XᵀX of the whole data set) is needed for 'tied' only: scikit-learn
 * forms the tied covariance as (XᵀX − Σ nk·μμᵀ) / Σ nk even when some rows
 * carry no responsibility (k-means++ and random_from_data starts).
 */
export function estimateGaussianParameters(
  source: Float32Array,
  d: number,
  resp: Responsibilities,
  rows: number,
  k: number,
  type: CovarianceType,
  regCovar: number,
  gram: Float64Array | null,
): EstimatedParameters {
  const nk = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const squares = type === 'diag' || type === 'spherical' ? new Float64Array(k * d) : null;
  const { rowStart, component, value } = resp;
  for (let i = 0; i < rows; i++) {
    const o = i * d;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const c = component[e];
      const r = value[e];
      nk[c] += r;
      const so = c * d;
      if (squares === null) {
        for (let j = 0; j < d; j++) sums[so + j] += r * source[o + j];
      } else {
        for (let j = 0; j < d; j++) {
          const x = source[o + j];
          const rx = r * x;
          sums[so + j] += rx;
          squares[so + j] += rx * x;
        }
      }
    }
  }
  const tiny = 10 * Number.EPSILON;
  for (let c = 0; c < k; c++) nk[c] += tiny;
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / nk[c];

  let covariances: Float64Array;
  switch (type) {
    case 'full':
      covariances = fullCovariances(source, d, resp, rows, k, nk, means, regCovar);
      break;
    case 'tied':
      covariances = tiedCovariance(gram!, d, k, nk, means, regCovar);
      break;
    case 'diag':
    case 'spherical': {
      const diag = new Float64Array(k * d);
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) {
          const at = c * d + j;
          const mu = means[at];
          const avgX2 = squares![at] / nk[c];
          const avgXMeans = (mu * sums[at]) / nk[c];
          diag[at] = avgX2 - 2 * avgXMeans + mu * mu + regCovar;
        }
      }
      if (type === 'diag') {
        covariances = diag;
      } else {
        covariances = new Float64Array(k);
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += diag[c * d + j];
          covariances[c] = s / d;
        }
      }
      break;
    }
  }
  return { nk, means, covariances };
}

/**
 * Σ_c = Σ_i r_ic·(x_i − μ_c)(x_i − μ_c)ᵀ / n_c + reg·I. Entries are regrouped by
 * component so that four rows at a time update the triangle (a rank-4 step:
 * each accumulator loaded once per four products).
 */
function fullCovariances(
  source: Float32Array,
  d: number,
  resp: Responsibilities,
  rows: number,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  regCovar: number,
): Float64Array {
  const dd = d * d;
  const cov = new Float64Array(k * dd);
  const { rowStart, component, value } = resp;
  const nnz = rowStart[rows];
  // Counting sort of the entries by component.
  const start = new Int32Array(k + 1);
  for (let e = 0; e < nnz; e++) start[component[e] + 1]++;
  for (let c = 0; c < k; c++) start[c + 1] += start[c];
  const cursor = start.slice(0, k);
  const rowOf = new Int32Array(nnz);
  const weightOf = new Float64Array(nnz);
  for (let i = 0; i < rows; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const at = cursor[component[e]]++;
      rowOf[at] = i;
      weightOf[at] = value[e];
    }
  }
  const diff = new Float64Array(4 * d);
  for (let c = 0; c < k; c++) {
    const co = c * dd;
    const mo = c * d;
    let e = start[c];
    const end = start[c + 1];
    for (; e + 4 <= end; e += 4) {
      for (let t = 0; t < 4; t++) {
        const xo = rowOf[e + t] * d;
        const w = Math.sqrt(weightOf[e + t]);
        for (let j = 0; j < d; j++) diff[t * d + j] = w * (source[xo + j] - means[mo + j]);
      }
      for (let a = 0; a < d; a++) {
        const u0 = diff[a];
        const u1 = diff[d + a];
        const u2 = diff[2 * d + a];
        const u3 = diff[3 * d + a];
        const row = co + a * d;
        for (let b = a; b < d; b++) cov[row + b] += u0 * diff[b] + u1 * diff[d + b] + u2 * diff[2 * d + b] + u3 * diff[3 * d + b];
      }
    }
    for (; e < end; e++) {
      const xo = rowOf[e] * d;
      const r = weightOf[e];
      for (let j = 0; j < d; j++) diff[j] = source[xo + j] - means[mo + j];
      for (let a = 0; a < d; a++) {
        const ra = r * diff[a];
        const row = co + a * d;
        for (let b = a; b < d; b++) cov[row + b] += ra * diff[b];
      }
    }
  }
  for (let c = 0; c < k; c++) {
    const co = c * dd;
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const v = cov[co + a * d + b] / nk[c];
        cov[co + a * d + b] = v;
        cov[co + b * d + a] = v;
      }
      cov[co + a * d + a] += regCovar;
    }
  }
  return cov;
}

function tiedCovariance(
  gram: Float64Array,
  d: number,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  regCovar: number,
): Float64Array {
  const cov = Float64Array.from(gram);
  let total = 0;
  for (let c = 0; c < k; c++) {
    total += nk[c];
    const mo = c * d;
    for (let a = 0; a < d; a++) {
      const w = nk[c] * means[mo + a];
      for (let b = 0; b < d; b++) cov[a * d + b] -= w * means[mo + b];
    }
  }
  for (let i = 0; i < d * d; i++) cov[i] /= total;
  for (let a = 0; a < d; a++) cov[a * d + a] += regCovar;
  return cov;
}

/**
 * Cholesky factors of the precisions: for full/tied the upper-triangular
 * U = (L⁻¹)ᵀ with L·Lᵀ = Σ, so that U·Uᵀ = Σ⁻¹; for diag/spherical 1/√σ².
 * Throws when a covariance is not positive definite.
 */
export function precisionCholeskyFromCovariances(
  covariances: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
): Float64Array {
  if (type === 'diag' || type === 'spherical') {
    const out = new Float64Array(covariances.length);
    for (let i = 0; i < covariances.length; i++) {
      if (!(covariances[i] > 0)) throw illDefinedCovarianceError();
      out[i] = 1 / Math.sqrt(covariances[i]);
    }
    return out;
  }
  const dd = d * d;
  const count = type === 'full' ? k : 1;
  const out = new Float64Array(count * dd);
  const l = new Float64Array(dd);
  const inv = new Float64Array(dd);
  for (let c = 0; c < count; c++) {
    if (choleskyLower(covariances.subarray(c * dd, (c + 1) * dd), d, l) === null) throw illDefinedCovarianceError();
    invertLowerTriangular(l, d, inv);
    transposeSquare(inv, d, out.subarray(c * dd, (c + 1) * dd));
  }
  return out;
}

/** Σ log(diagonal of each Cholesky factor) = −½·log det Σ, per component (length k). */
export function logDetCholesky(precChol: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  switch (type) {
    case 'full':
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += Math.log(precChol[c * d * d + j * d + j]);
        out[c] = s;
      }
      break;
    case 'tied': {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precChol[j * d + j]);
      out.fill(s);
      break;
    }
    case 'diag':
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += Math.log(precChol[c * d + j]);
        out[c] = s;
      }
      break;
    case 'spherical':
      for (let c = 0; c < k; c++) out[c] = d * Math.log(precChol[c]);
      break;
  }
  return out;
}

/** Precision matrices (scikit-learn's `precisions_`): U·Uᵀ for full/tied, the squared factors otherwise. */
export function precisionsFromCholesky(precChol: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return precChol.map((v) => v * v);
  const dd = d * d;
  const count = type === 'full' ? k : 1;
  const out = new Float64Array(count * dd);
  for (let c = 0; c < count; c++) {
    multiplyByOwnTranspose(precChol.subarray(c * dd, (c + 1) * dd), d, out.subarray(c * dd, (c + 1) * dd));
  }
  return out;
}

/**
 * Covariances implied by user-given precisions (Σ = P⁻¹), reported when
 * max_iter = 0 leaves the initial parameters as the result. `precChol` holds
 * the lower Cholesky factors L of P, so Σ = L⁻ᵀ·L⁻¹.
 */
export function covariancesFromPrecisionCholesky(
  precChol: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
): Float64Array {
  if (type === 'diag' || type === 'spherical') return precChol.map((v) => 1 / (v * v));
  const dd = d * d;
  const count = type === 'full' ? k : 1;
  const out = new Float64Array(count * dd);
  const inv = new Float64Array(dd);
  const invT = new Float64Array(dd);
  for (let c = 0; c < count; c++) {
    invertLowerTriangular(precChol.subarray(c * dd, (c + 1) * dd), d, inv);
    transposeSquare(inv, d, invT);
    multiplyByOwnTranspose(invT, d, out.subarray(c * dd, (c + 1) * dd));
  }
  return out;
}
