/**
 * Singular value decomposition of small dense matrices by one-sided Jacobi
 * (Hestenes): columns are rotated pairwise until mutually orthogonal, which
 * converges for every input and keeps full relative accuracy. Used for the
 * k×k problems of spectral label assignment.
 */

export interface SmallSvd {
  /** rows×rows row-major, orthonormal columns (completed where singular values vanish). */
  u: Float64Array;
  /** Descending, `cols` values. */
  s: Float64Array;
  /** cols×cols row-major, orthonormal columns: A = U[:, :cols]·diag(s)·Vᵀ. */
  v: Float64Array;
}

const MAX_SWEEPS = 80;

/** SVD of a rows×cols row-major matrix with rows ≥ cols. */
export function smallSvd(a: Float64Array, rows: number, cols: number): SmallSvd {
  if (rows < cols) throw new RangeError(`smallSvd needs rows ≥ cols, got ${rows}×${cols}`);
  // Work on columns stored contiguously: w[c*rows + r] = A[r][c].
  const w = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[c * rows + r] = a[r * cols + c];
  const vt = new Float64Array(cols * cols); // vt[c*cols + r] = V[r][c]
  for (let c = 0; c < cols; c++) vt[c * cols + c] = 1;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        const op = p * rows;
        const oq = q * rows;
        for (let r = 0; r < rows; r++) {
          const x = w[op + r];
          const y = w[oq + r];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < rows; r++) {
          const x = w[op + r];
          const y = w[oq + r];
          w[op + r] = c * x - s * y;
          w[oq + r] = s * x + c * y;
        }
        const vp = p * cols;
        const vq = q * cols;
        for (let r = 0; r < cols; r++) {
          const x = vt[vp + r];
          const y = vt[vq + r];
          vt[vp + r] = c * x - s * y;
          vt[vq + r] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }

  const norms = new Float64Array(cols);
  let largest = 0;
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += w[c * rows + r] * w[c * rows + r];
    norms[c] = Math.sqrt(s);
    if (norms[c] > largest) largest = norms[c];
  }
  const order = Array.from({ length: cols }, (_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const u = new Float64Array(rows * rows);
  const s = new Float64Array(cols);
  const v = new Float64Array(cols * cols);
  const filled: number[] = [];
  for (let j = 0; j < cols; j++) {
    const src = order[j];
    s[j] = norms[src];
    for (let r = 0; r < cols; r++) v[r * cols + j] = vt[src * cols + r];
    if (norms[src] > largest * rows * Number.EPSILON && norms[src] > 0) {
      for (let r = 0; r < rows; r++) u[r * rows + j] = w[src * rows + r] / norms[src];
      filled.push(j);
    }
  }
  completeOrthonormalColumns(u, rows, filled);
  return { u, s, v };
}

/**
 * Fill the columns of the rows×rows matrix `u` not listed in `filled` with
 * unit vectors orthogonal to all others, so that U is orthogonal even for
 * rank-deficient input: each new column is the coordinate vector with the
 * largest component outside the current span, projected out twice.
 */
function completeOrthonormalColumns(u: Float64Array, rows: number, filled: number[]): void {
  const done = new Uint8Array(rows);
  for (const j of filled) done[j] = 1;
  const basis = [...filled];
  const candidate = new Float64Array(rows);
  const best = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    if (done[j]) continue;
    let bestNorm = -1;
    for (let e = 0; e < rows; e++) {
      candidate.fill(0);
      candidate[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const b of basis) {
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += u[r * rows + b] * candidate[r];
          for (let r = 0; r < rows; r++) candidate[r] -= dot * u[r * rows + b];
        }
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += candidate[r] * candidate[r];
      if (norm > bestNorm) {
        bestNorm = norm;
        best.set(candidate);
      }
    }
    const scale = 1 / Math.sqrt(bestNorm);
    for (let r = 0; r < rows; r++) u[r * rows + j] = best[r] * scale;
    basis.push(j);
  }
}
