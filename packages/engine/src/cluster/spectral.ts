/**
 * Spectral clustering following scikit-learn 1.2's `SpectralClustering`
 * (dense input): an rbf or symmetrised kNN affinity, the normalised-Laplacian
 * embedding of `spectral_embedding(drop_first=False)` (eigenvectors divided
 * by √degree, deterministic sign flip), then k-means, Yu–Shi discretisation
 * or CPQR on the embedding's rows.
 *
 * Deliberate differences:
 *  - the eigenvectors come from our block Lanczos (see spectral/embedding.ts)
 *    instead of ARPACK's shift-invert; 'arpack' and 'lobpcg' both name it,
 *    'amg' (pyamg) has no counterpart and is rejected;
 *  - random streams (Lanczos start, k-means seeding, discretize's first row)
 *    come from our PRNG, so results are equivalent, not bit-equal;
 *  - the rbf affinity is stored in float32 (4·N² bytes, half of scikit-learn's);
 *    above RBF_MAX_SAMPLES rows it is refused with advice instead of
 *    exhausting memory and time.
 */
import { createRng, randomSeed } from '../rng.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { kmeans } from './kmeans.ts';
import { knnAffinity, rbfAffinity } from './spectral/affinity.ts';
import type { AffinityGraph } from './spectral/affinity.ts';
import { spectralEmbedding } from './spectral/embedding.ts';
import { clusterQr, discretize } from './spectral/label-assignment.ts';
import { nearestReferenceRow } from './spectral/neighbors.ts';

export type SpectralAffinity = 'rbf' | 'nearest_neighbors';
export type SpectralAssignLabels = 'kmeans' | 'discretize' | 'cluster_qr';

export interface SpectralOptions {
  /** Default 8. */
  nClusters?: number;
  /** 'rbf' (default) or 'nearest_neighbors'. */
  affinity?: SpectralAffinity;
  /** rbf kernel coefficient: A_ij = exp(−γ‖x_i − x_j‖²). Default 1. */
  gamma?: number;
  /** Neighbours per row (the row itself included) for 'nearest_neighbors'. Default 10. */
  nNeighbors?: number;
  /** Eigenvectors in the embedding; default nClusters. */
  nComponents?: number | null;
  /** 'arpack' and 'lobpcg' both select the block Lanczos solver; null means the same. */
  eigenSolver?: 'arpack' | 'lobpcg' | null;
  /** Relative residual at which eigenpairs count as converged; 'auto' (and 0) mean 1e-10. */
  eigenTol?: number | 'auto';
  /** Default 'kmeans'. */
  assignLabels?: SpectralAssignLabels;
  /** k-means restarts in the embedding (assignLabels 'kmeans'). Default 10. */
  nInit?: number;
  /** Seed; null/undefined draws a fresh one. */
  randomState?: number | null;
  /** Polled during the long passes; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

export interface SpectralResult {
  labels: Int32Array;
  /** n×nComponents row-major: what the labels were computed from (scikit-learn's spectral_embedding output). */
  embedding: Float64Array;
  nComponents: number;
  /** The nComponents smallest eigenvalues of the normalised Laplacian, ascending. */
  eigenvalues: Float64Array;
  /** Of the affinity graph; more than 1 makes the embedding partly arbitrary (scikit-learn warns). */
  connectedComponents: number;
  /** Whether the eigensolver met eigenTol (false: labels come from the best vectors it had). */
  eigensolverConverged: boolean;
}

/**
 * Largest N accepted with affinity 'rbf'. The dense float32 affinity takes
 * 4·N² bytes, building it N²·d/2 multiply-adds and every block mat-vec 4·N².
 * Measured at 10,000 rows × 64 features: 480 MB peak RSS and 7 s of CPU on
 * one core, where scikit-learn needed 3.2 GB and 28 s of CPU (ARPACK
 * shift-invert on the dense Laplacian). Twice the rows would be 4× both.
 * Beyond this size nearest_neighbors (sparse) or sample_size is the way.
 */
export const RBF_MAX_SAMPLES = 10_000;
/**
 * Largest n²·d accepted with 'nearest_neighbors': the kNN graph is found by
 * brute force, n²·d/2 multiply-adds plus n² candidate checks. Measured on one
 * core: 20,000 rows × 16 features 4 s, 10,000 × 256 8 s, so this bound means
 * roughly 15–30 s (e.g. 8,000 rows of 768-dimensional embeddings).
 */
export const KNN_MAX_WORK = 5e10;

const ASSIGN_LABELS: readonly SpectralAssignLabels[] = ['kmeans', 'discretize', 'cluster_qr'];

interface Settings {
  nClusters: number;
  affinity: SpectralAffinity;
  gamma: number;
  nNeighbors: number;
  nComponents: number;
  tol: number;
  assignLabels: SpectralAssignLabels;
  nInit: number;
}

function readSettings(options: SpectralOptions, n: number, d: number): Settings {
  const nClusters = options.nClusters ?? 8;
  const affinity = options.affinity ?? 'rbf';
  const gamma = options.gamma ?? 1;
  const nNeighbors = options.nNeighbors ?? 10;
  const nComponents = options.nComponents ?? nClusters;
  const eigenSolver = options.eigenSolver ?? null;
  const eigenTol = options.eigenTol ?? 'auto';
  const assignLabels = options.assignLabels ?? 'kmeans';
  const nInit = options.nInit ?? 10;
  if (!Number.isInteger(nClusters) || nClusters < 1) throw new RangeError(`n_clusters must be an integer ≥ 1, got ${nClusters}`);
  if (affinity !== 'rbf' && affinity !== 'nearest_neighbors') {
    throw new RangeError(
      `affinity must be 'rbf' or 'nearest_neighbors', got '${String(affinity)}' ('precomputed' and other kernels are not supported)`,
    );
  }
  if (!(gamma >= 0) || !Number.isFinite(gamma)) throw new RangeError(`gamma must be a finite number ≥ 0, got ${gamma}`);
  if (!Number.isInteger(nNeighbors) || nNeighbors < 1) {
    throw new RangeError(`n_neighbors must be an integer ≥ 1, got ${nNeighbors}`);
  }
  if (!Number.isInteger(nComponents) || nComponents < 1) {
    throw new RangeError(`n_components must be an integer ≥ 1 (or null for n_clusters), got ${nComponents}`);
  }
  if ((eigenSolver as string) === 'amg') {
    throw new RangeError("eigen_solver 'amg' needs pyamg and has no counterpart here; use 'arpack' or 'lobpcg'");
  }
  if (eigenSolver !== null && eigenSolver !== 'arpack' && eigenSolver !== 'lobpcg') {
    throw new RangeError(`eigen_solver must be 'arpack', 'lobpcg' or null, got '${String(eigenSolver)}'`);
  }
  if (eigenTol !== 'auto' && (!(eigenTol >= 0) || !Number.isFinite(eigenTol))) {
    throw new RangeError(`eigen_tol must be a finite number ≥ 0 or 'auto', got ${String(eigenTol)}`);
  }
  if (!ASSIGN_LABELS.includes(assignLabels)) {
    throw new RangeError(`assign_labels must be one of 'kmeans', 'discretize', 'cluster_qr', got '${String(assignLabels)}'`);
  }
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`n_init must be an integer ≥ 1, got ${nInit}`);
  const randomState = options.randomState ?? null;
  if (randomState !== null && !Number.isFinite(randomState)) {
    throw new RangeError(`random_state must be a finite number or null, got ${randomState}`);
  }
  if (n < 2) throw new RangeError(`spectral clustering needs at least 2 samples, got ${n}`);
  if (nClusters > n) throw new RangeError(`n_clusters must not exceed the number of samples: n_clusters=${nClusters}, n_samples=${n}`);
  if (nComponents >= n) {
    throw new RangeError(`n_components must be smaller than the number of samples: n_components=${nComponents}, n_samples=${n}`);
  }
  if (affinity === 'nearest_neighbors' && nNeighbors > n) {
    throw new RangeError(`n_neighbors must not exceed the number of samples: n_neighbors=${nNeighbors}, n_samples=${n}`);
  }
  if (affinity === 'rbf' && n > RBF_MAX_SAMPLES) {
    throw new RangeError(
      `affinity 'rbf' builds a dense ${n}×${n} matrix, which is limited to ${RBF_MAX_SAMPLES} samples here; ` +
        `use affinity 'nearest_neighbors' or set sample_size ≤ ${RBF_MAX_SAMPLES}`,
    );
  }
  if (affinity === 'nearest_neighbors' && n * n * d > KNN_MAX_WORK) {
    const limit = Math.floor(Math.sqrt(KNN_MAX_WORK / d));
    throw new RangeError(
      `affinity 'nearest_neighbors' compares every pair of the ${n} samples (${d} features), which would take too long; ` +
        `set sample_size ≤ ${limit} for this dimension`,
    );
  }
  const tol = eigenTol === 'auto' || eigenTol === 0 ? 1e-10 : Math.max(eigenTol, 1e-14);
  return { nClusters, affinity, gamma, nNeighbors, nComponents, tol, assignLabels, nInit };
}

/** Spectral clustering of the n×d row-major `data`. */
export function spectralClustering(data: Float32Array, n: number, d: number, options: SpectralOptions): SpectralResult {
  checkMatrix(data, n, d);
  const settings = readSettings(options, n, d);
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const seed = options.randomState ?? randomSeed();
  const rng = createRng(seed);

  const graph: AffinityGraph =
    settings.affinity === 'rbf'
      ? rbfAffinity(data, n, d, settings.gamma, shouldStop)
      : knnAffinity(data, n, d, settings.nNeighbors, shouldStop);
  throwIfCanceled(shouldStop);
  const { nComponents, nClusters } = settings;
  const embedded = spectralEmbedding(graph, nComponents, settings.tol, rng, shouldStop);
  throwIfCanceled(shouldStop);

  let labels: Int32Array;
  if (settings.assignLabels === 'kmeans') {
    const points = Float32Array.from(embedded.embedding);
    labels = kmeans(points, n, nComponents, { nClusters, nInit: settings.nInit, randomState: seed, shouldStop }).labels;
  } else if (settings.assignLabels === 'discretize') {
    labels = discretize(embedded.embedding, n, nComponents, rng);
  } else {
    labels = clusterQr(embedded.embedding, n, nComponents);
  }
  return {
    labels,
    embedding: embedded.embedding,
    nComponents,
    eigenvalues: embedded.eigenvalues,
    connectedComponents: embedded.connectedComponents,
    eigensolverConverged: embedded.converged,
  };
}

/**
 * Labels for rows that were not part of the fit. Spectral clustering has no
 * out-of-sample rule (scikit-learn has no `predict`), so each row takes the
 * label of its nearest fitted row (1-NN, Euclidean, lowest index on ties):
 * the graph-based clusters are unions of neighbourhoods of fitted points,
 * which 1-NN follows even for non-convex shapes where a nearest-centre rule
 * would not. Costs fitN·n·d multiply-adds (brute force).
 */
export function assignSpectralClusters(
  fitData: Float32Array,
  fitN: number,
  fitLabels: Int32Array,
  data: Float32Array,
  n: number,
  d: number,
  shouldStop?: () => boolean,
): Int32Array {
  checkMatrix(fitData, fitN, d);
  checkMatrix(data, n, d);
  if (fitLabels.length !== fitN) throw new RangeError(`fitLabels has length ${fitLabels.length} but fitN = ${fitN}`);
  const nearest = nearestReferenceRow(fitData, fitN, data, n, d, shouldStop);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = fitLabels[nearest[i]];
  return labels;
}
