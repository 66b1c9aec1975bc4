/**
 * Dense Cholesky factorisation and triangular inverses for the small
 * symmetric positive-definite matrices the mixture models work with
 * (covariances and precisions, d×d row-major Float64Array).
 *
 * Sums run in plain left-to-right order; d is at most a few hundred here, so
 * the O(d³) work is negligible next to the O(n·d²) passes over the data.
 */

/**
 * Lower-triangular L with L·Lᵀ = A, reading only the lower triangle of `a`
 * (like LAPACK's potrf with uplo='L'). The strict upper triangle of the result
 * is zero. Returns null when A is not numerically positive definite (a pivot
 * is ≤ 0 or not finite), which is exactly when LAPACK reports failure.
 */
export function choleskyLower(a: Float64Array, d: number, out?: Float64Array): Float64Array | null {
  const l = out ?? new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const rowJ = j * d;
    let pivot = a[rowJ + j];
    for (let p = 0; p < j; p++) pivot -= l[rowJ + p] * l[rowJ + p];
    if (!(pivot > 0) || !Number.isFinite(pivot)) return null;
    const ljj = Math.sqrt(pivot);
    l[rowJ + j] = ljj;
    for (let c = j + 1; c < d; c++) l[rowJ + c] = 0;
    for (let i = j + 1; i < d; i++) {
      const rowI = i * d;
      let s = a[rowI + j];
      for (let p = 0; p < j; p++) s -= l[rowI + p] * l[rowJ + p];
      l[rowI + j] = s / ljj;
    }
  }
  return l;
}

/** Inverse of a nonsingular lower-triangular matrix (forward substitution on the identity); lower-triangular too. */
export function invertLowerTriangular(l: Float64Array, d: number, out?: Float64Array): Float64Array {
  const inv = out ?? new Float64Array(d * d);
  inv.fill(0);
  for (let c = 0; c < d; c++) {
    // Column c of L⁻¹ solves L·x = e_c; x is zero above row c.
    inv[c * d + c] = 1 / l[c * d + c];
    for (let i = c + 1; i < d; i++) {
      const rowI = i * d;
      let s = 0;
      for (let p = c; p < i; p++) s += l[rowI + p] * inv[p * d + c];
      inv[rowI + c] = -s / l[rowI + i];
    }
  }
  return inv;
}

/** out = Aᵀ for a d×d row-major matrix (out must not alias a). */
export function transposeSquare(a: Float64Array, d: number, out?: Float64Array): Float64Array {
  const t = out ?? new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = a[i * d + j];
  return t;
}

/** out = M·Mᵀ for a d×d row-major matrix (out must not alias m). */
export function multiplyByOwnTranspose(m: Float64Array, d: number, out?: Float64Array): Float64Array {
  const p = out ?? new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += m[i * d + c] * m[j * d + c];
      p[i * d + j] = s;
      p[j * d + i] = s;
    }
  }
  return p;
}

/**
 * Solves T·X = R for X (d×d, row-major) with T triangular (upper when
 * `upper`), by substitution on each column of R. out must not alias t.
 */
export function solveTriangular(t: Float64Array, d: number, upper: boolean, r: Float64Array, out?: Float64Array): Float64Array {
  const x = out ?? new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    if (upper) {
      for (let i = d - 1; i >= 0; i--) {
        let s = r[i * d + c];
        for (let p = i + 1; p < d; p++) s -= t[i * d + p] * x[p * d + c];
        x[i * d + c] = s / t[i * d + i];
      }
    } else {
      for (let i = 0; i < d; i++) {
        let s = r[i * d + c];
        for (let p = 0; p < i; p++) s -= t[i * d + p] * x[p * d + c];
        x[i * d + c] = s / t[i * d + i];
      }
    }
  }
  return x;
}
