/**
 * Turning a spectral embedding into labels without k-means, as scikit-learn
 * 1.2 does for assign_labels='discretize' (Yu & Shi 2003) and 'cluster_qr'
 * (Damle, Minden & Ying 2019).
 */
import type { Rng } from '../../rng.ts';
import { smallSvd } from '../../decomposition/svd.ts';

const MAX_DISCRETIZE_ITERATIONS = 20;

/**
 * Yu & Shi's multiclass discretisation with scikit-learn's normalisation and
 * start: scale each eigenvector to norm √n with a negative first entry,
 * normalise rows, seed the rotation with a random row and then rows as
 * orthogonal as possible to those chosen, and alternate "labels = argmax of
 * vectors·R" with "R = V·Uᵀ from the SVD of the label-vector cross product"
 * until the ncut objective stops changing.
 */
export function discretize(embedding: Float64Array, n: number, k: number, rng: Rng): Int32Array {
  const v = Float64Array.from(embedding);
  const scale = Math.sqrt(n);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    const sign = v[j] > 0 ? -1 : 1;
    const f = norm > 0 ? (scale / norm) * (v[j] !== 0 ? sign : 1) : 0;
    for (let i = 0; i < n; i++) v[i * k + j] *= f;
  }
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < k; j++) norm += v[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < k; j++) v[i * k + j] /= norm;
  }

  // Start rotation: column 0 is a random row; column j the row least aligned with the previous ones.
  const rotation = new Float64Array(k * k);
  const first = rng.nextInt(n);
  for (let a = 0; a < k; a++) rotation[a * k] = v[first * k + a];
  const alignment = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    let best = 0;
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let a = 0; a < k; a++) dot += v[i * k + a] * rotation[a * k + j - 1];
      alignment[i] += Math.abs(dot);
      if (alignment[i] < alignment[best]) best = i;
    }
    for (let a = 0; a < k; a++) rotation[a * k + j] = v[best * k + a];
  }

  const labels = new Int32Array(n);
  const cross = new Float64Array(k * k);
  let lastObjective = 0;
  for (let iteration = 1; ; iteration++) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += v[i * k + a] * rotation[a * k + c];
        if (s > bestValue) {
          bestValue = s;
          best = c;
        }
      }
      labels[i] = best;
    }
    // cross = (one-hot labels)ᵀ·vectors: row c sums the rows labelled c.
    cross.fill(0);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) cross[labels[i] * k + a] += v[i * k + a];
    const { u, s, v: right } = smallSvd(cross, k, k);
    let sum = 0;
    for (const x of s) sum += x;
    const objective = 2 * (n - sum);
    if (Math.abs(objective - lastObjective) < Number.EPSILON || iteration > MAX_DISCRETIZE_ITERATIONS) break;
    lastObjective = objective;
    // R = V·Uᵀ (numpy: Vh.T @ U.T).
    for (let a = 0; a < k; a++) {
      for (let c = 0; c < k; c++) {
        let t = 0;
        for (let m = 0; m < k; m++) t += right[a * k + m] * u[c * k + m];
        rotation[a * k + c] = t;
      }
    }
  }
  return labels;
}

/**
 * CPQR-based assignment: the k rows picked first by QR with column pivoting
 * of the embeddingᵀ define, through the polar factor of their k×k block, a
 * rotation under which each row's largest |coordinate| is its cluster.
 */
export function clusterQr(embedding: Float64Array, n: number, k: number): Int32Array {
  const pivots = pivotedQrColumns(embedding, n, k);
  // B = vectors[pivots].T, column s = row pivots[s].
  const b = new Float64Array(k * k);
  for (let s = 0; s < k; s++) for (let a = 0; a < k; a++) b[a * k + s] = embedding[pivots[s] * k + a];
  const { u, v } = smallSvd(b, k, k);
  const q = new Float64Array(k * k); // U·Vᵀ
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < k; c++) {
      let t = 0;
      for (let m = 0; m < k; m++) t += u[a * k + m] * v[c * k + m];
      q[a * k + c] = t;
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += embedding[i * k + a] * q[a * k + c];
      s = Math.abs(s);
      if (s > bestValue) {
        bestValue = s;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/**
 * First k pivots of Householder-free QR with column pivoting on the k×n
 * matrix embeddingᵀ (columns = rows of the embedding): repeatedly take the
 * column with the largest residual norm (first on ties, as LAPACK's idamax)
 * and project it out of all others. Residual norms are recomputed exactly
 * rather than downdated, which costs n·k per step and avoids cancellation.
 */
function pivotedQrColumns(embedding: Float64Array, n: number, k: number): Int32Array {
  const residual = Float64Array.from(embedding); // row i = column i of the k×n matrix
  const taken = new Uint8Array(n);
  const pivots = new Int32Array(k);
  const direction = new Float64Array(k);
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestNorm = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let s = 0;
      for (let a = 0; a < k; a++) s += residual[i * k + a] ** 2;
      if (s > bestNorm) {
        bestNorm = s;
        best = i;
      }
    }
    pivots[step] = best;
    taken[best] = 1;
    const norm = Math.sqrt(bestNorm);
    if (norm === 0) continue;
    for (let a = 0; a < k; a++) direction[a] = residual[best * k + a] / norm;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let dot = 0;
      for (let a = 0; a < k; a++) dot += direction[a] * residual[i * k + a];
      for (let a = 0; a < k; a++) residual[i * k + a] -= dot * direction[a];
    }
  }
  return pivots;
}
