/**
 * The spectral embedding scikit-learn clusters (`spectral_embedding` with
 * norm_laplacian=True, drop_first=False): the eigenvectors of the normalised
 * Laplacian L = I − D^-½·A·D^-½ for its smallest eigenvalues, each divided
 * by √degree and sign-flipped so its largest-magnitude entry is positive.
 *
 * We compute the largest eigenpairs of M = D^-½·A·D^-½ (same vectors,
 * eigenvalue 1 − λ) with block Lanczos. Every connected component with
 * edges contributes an exact eigenvector D^½·1_component with eigenvalue 1
 * (λ = 0); those are written down directly and deflated from the iteration,
 * which keeps disconnected graphs — common for kNN graphs of well-separated
 * data — from turning into a degenerate eigenproblem.
 */
import type { Rng } from '../../rng.ts';
import { blockLanczos } from '../../decomposition/block-lanczos.ts';
import type { AffinityGraph } from './affinity.ts';

export interface SpectralEmbedding {
  /** n×count row-major, column j for the j-th smallest Laplacian eigenvalue. */
  embedding: Float64Array;
  /** Ascending Laplacian eigenvalues 1 − θ. */
  eigenvalues: Float64Array;
  connectedComponents: number;
  converged: boolean;
}

export function spectralEmbedding(
  graph: AffinityGraph,
  count: number,
  tol: number,
  rng: Rng,
  shouldStop?: () => boolean,
): SpectralEmbedding {
  const { n, degrees } = graph;
  // scipy treats isolated nodes as having degree 1 when normalising.
  const sqrtDegree = degrees.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  const { count: nComponents, ids } = graph.components();

  // Unit vectors D^½·1_c of the components that have edges (isolated nodes have
  // eigenvalue 0 of M, not 1, and are left to the iteration).
  const volume = new Float64Array(nComponents);
  for (let i = 0; i < n; i++) volume[ids[i]] += degrees[i];
  const edgeComponents: number[] = [];
  for (let c = 0; c < nComponents; c++) if (volume[c] > 0) edgeComponents.push(c);
  const known = edgeComponents.length;
  const indicator = (slot: number, i: number): number => {
    const c = edgeComponents[slot];
    return ids[i] === c ? Math.sqrt(degrees[i] / volume[c]) : 0;
  };

  const vectors = new Float64Array(n * count); // row-major n×count, unit columns of M's eigenvectors
  const theta = new Float64Array(count);
  let converged = true;
  if (known >= count) {
    // The eigenvalue-1 space has dimension `known`; any orthonormal basis of it is
    // an answer. With more components than wanted vectors, take a random one
    // (as ARPACK effectively does) so that every component still gets its own coordinates.
    const mix = known === count ? identity(count) : randomOrthonormalRows(count, known, rng);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < count; j++) {
        let s = 0;
        for (let slot = 0; slot < known; slot++) {
          const m = mix[j * known + slot];
          if (m !== 0) s += m * indicator(slot, i);
        }
        vectors[i * count + j] = s;
      }
    }
    theta.fill(1);
  } else {
    const deflate = new Float64Array(n * known);
    for (let i = 0; i < n; i++) for (let slot = 0; slot < known; slot++) deflate[i * known + slot] = indicator(slot, i);
    const rest = count - known;
    let buffer = new Float64Array(0);
    const result = blockLanczos(
      {
        n,
        apply(x, b, y) {
          if (buffer.length < n * b) buffer = new Float64Array(n * b);
          const xs = buffer.subarray(0, n * b);
          for (let i = 0; i < n; i++) for (let c = 0; c < b; c++) xs[i * b + c] = x[i * b + c] / sqrtDegree[i];
          graph.multiply(xs, b, y);
          for (let i = 0; i < n; i++) for (let c = 0; c < b; c++) y[i * b + c] /= sqrtDegree[i];
        },
      },
      { count: rest, tol, rng, deflate, deflateCount: known, shouldStop },
    );
    converged = result.converged;
    for (let i = 0; i < n; i++) {
      for (let slot = 0; slot < known; slot++) vectors[i * count + slot] = deflate[i * known + slot];
      for (let j = 0; j < rest; j++) vectors[i * count + known + j] = result.vectors[i * rest + j];
    }
    for (let slot = 0; slot < known; slot++) theta[slot] = 1;
    for (let j = 0; j < rest; j++) theta[known + j] = result.values[j];
  }

  const embedding = new Float64Array(n * count);
  for (let i = 0; i < n; i++) for (let j = 0; j < count; j++) embedding[i * count + j] = vectors[i * count + j] / sqrtDegree[i];
  for (let j = 0; j < count; j++) {
    // scikit-learn's _deterministic_vector_sign_flip: the first entry of largest magnitude becomes positive.
    let at = 0;
    for (let i = 1; i < n; i++) if (Math.abs(embedding[i * count + j]) > Math.abs(embedding[at * count + j])) at = i;
    if (embedding[at * count + j] < 0) for (let i = 0; i < n; i++) embedding[i * count + j] = -embedding[i * count + j];
  }
  return { embedding, eigenvalues: theta.map((t) => 1 - t), connectedComponents: nComponents, converged };
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i * m + i] = 1;
  return out;
}

/** rows×cols matrix (rows ≤ cols) with orthonormal rows, from Gram–Schmidt on uniform noise. */
function randomOrthonormalRows(rows: number, cols: number, rng: Rng): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (;;) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = rng.nextFloat() * 2 - 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < r; p++) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += out[p * cols + c] * out[r * cols + c];
          for (let c = 0; c < cols; c++) out[r * cols + c] -= dot * out[p * cols + c];
        }
      }
      let norm = 0;
      for (let c = 0; c < cols; c++) norm += out[r * cols + c] ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let c = 0; c < cols; c++) out[r * cols + c] /= norm;
        break;
      }
    }
  }
  return out;
}
