/**
 * Eigen-decomposition of small dense symmetric matrices by cyclic Jacobi
 * rotations. Jacobi is slower than tridiagonal QR by a constant factor but
 * is short, unconditionally convergent and computes small eigenvalues to high
 * relative accuracy, which is what the projected problems of the iterative
 * eigensolvers (a few dozen to a few hundred rows) need.
 */

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** m×m row-major; column j (entries [i*m + j]) is the unit eigenvector of values[j], as numpy's eigh. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/** Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric m×m matrix `a` (row-major; only read). */
export function symmetricEigen(a: Float64Array, m: number): SymmetricEigen {
  const w = Float64Array.from(a.subarray(0, m * m));
  // Average the two triangles so tiny asymmetries of the caller's rounding
  // cannot make the rotations disagree with each other.
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const v = 0.5 * (w[i * m + j] + w[j * m + i]);
      w[i * m + j] = v;
      w[j * m + i] = v;
    }
  }
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;

  let scale = 0;
  for (let i = 0; i < m * m; i++) scale += w[i] * w[i];
  const floor = Number.MIN_VALUE / Number.EPSILON;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += w[p * m + q] * w[p * m + q];
    if (off <= Number.EPSILON * Number.EPSILON * 1e-4 * scale || off < floor) break;
    let rotated = false;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = w[p * m + q];
        if (apq === 0) continue;
        const app = w[p * m + p];
        const aqq = w[q * m + q];
        // Negligible next to both diagonal entries: zeroing it perturbs the
        // eigenvalues by less than their rounding error.
        if (Math.abs(apq) <= 1e-18 * Math.abs(app) && Math.abs(apq) <= 1e-18 * Math.abs(aqq)) {
          w[p * m + q] = 0;
          w[q * m + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        w[p * m + p] = app - t * apq;
        w[q * m + q] = aqq + t * apq;
        w[p * m + q] = 0;
        w[q * m + p] = 0;
        for (let r = 0; r < m; r++) {
          if (r === p || r === q) continue;
          const arp = w[r * m + p];
          const arq = w[r * m + q];
          const nrp = arp - s * (arq + tau * arp);
          const nrq = arq + s * (arp - tau * arq);
          w[r * m + p] = nrp;
          w[p * m + r] = nrp;
          w[r * m + q] = nrq;
          w[q * m + r] = nrq;
        }
        for (let r = 0; r < m; r++) {
          const vrp = v[r * m + p];
          const vrq = v[r * m + q];
          v[r * m + p] = vrp - s * (vrq + tau * vrp);
          v[r * m + q] = vrq + s * (vrp - tau * vrq);
        }
      }
    }
    if (!rotated) break;
  }

  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => w[x * m + x] - w[y * m + y]);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const src = order[j];
    values[j] = w[src * m + src];
    for (let r = 0; r < m; r++) vectors[r * m + j] = v[r * m + src];
  }
  return { values, vectors };
}
