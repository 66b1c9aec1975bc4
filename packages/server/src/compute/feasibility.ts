/**
 * Refuses, before any work starts, fits that cannot finish in reasonable time or memory on this
 * kind of machine, with a message naming the limit and the way around it (sample_size or another
 * method). The limits are generous (minutes, a few GB): they exist to stop hour-long or
 * out-of-memory runs, not to second-guess borderline ones.
 */
import type { VectorMethod } from '../domain/cluster-config.ts';

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Pairwise work (n²·d multiply-adds) a brute-force neighbour method may do: a few minutes here. */
const MAX_PAIRWISE_WORK = 2e12;
/** Above this dimension tree indexes stop pruning and neighbour searches are brute force. */
const TREE_MAX_DIMENSIONS = 20;
/** Documents whose condensed float64 distance matrix (n²/2 × 8 bytes ≈ 6.4 GB) still fits in memory. */
const AGGLOMERATIVE_MAX_POINTS = 40_000;
/** A dense rbf affinity is n² float64: 20k documents is 3.2 GB. */
const SPECTRAL_RBF_MAX_POINTS = 20_000;
/** Multiply-adds one EM iteration may cost. */
const MAX_MIXTURE_ITERATION_WORK = 5e10;

function suggestion(maxPoints: number, n: number, alternatives: string): string {
  const sample = maxPoints < n ? `set vector_config.sample_size to at most ${fmt(maxPoints)} (the other documents are then assigned to the fitted clusters)` : '';
  return [sample, alternatives].filter(Boolean).join(', or ');
}

/** null when the fit is feasible, otherwise the reason and the fix. `n` is the number of rows fitted. */
export function infeasibility(method: VectorMethod, params: Record<string, unknown>, n: number, d: number): string | null {
  switch (method) {
    case 'agglomerative':
      if (n > AGGLOMERATIVE_MAX_POINTS) {
        return `agglomerative clustering keeps every pairwise distance: ${fmt(n)} documents need ${fmt((n * n * 4) / 1e9)} GB; ${suggestion(AGGLOMERATIVE_MAX_POINTS, n, "use 'kmeans' or 'hdbscan'")}`;
      }
      return null;
    case 'spectral':
      if (params.affinity === 'rbf' && n > SPECTRAL_RBF_MAX_POINTS) {
        return `spectral clustering with affinity 'rbf' builds a dense ${fmt(n)}×${fmt(n)} affinity matrix (${fmt((n * n * 8) / 1e9)} GB); ${suggestion(SPECTRAL_RBF_MAX_POINTS, n, "use affinity 'nearest_neighbors'")}`;
      }
      return null;
    case 'dbscan':
    case 'optics':
    case 'hdbscan':
    case 'mean_shift': {
      if (d <= TREE_MAX_DIMENSIONS) return null;
      const maxPoints = Math.floor(Math.sqrt(MAX_PAIRWISE_WORK / d));
      if (n > maxPoints) {
        return `${method} on ${d}-dimensional vectors compares every pair of documents (${fmt(n)}² × ${d} operations, hours of work); ${suggestion(maxPoints, n, "use 'kmeans'")}`;
      }
      return null;
    }
    case 'gaussian_mixture': {
      const k = params.n_components as number;
      const type = params.covariance_type as string;
      const work = type === 'full' || type === 'tied' ? n * k * d * d : n * k * d;
      if (work > MAX_MIXTURE_ITERATION_WORK) {
        const maxPoints = Math.max(1, Math.floor(MAX_MIXTURE_ITERATION_WORK / (work / n)));
        return `a Gaussian mixture with covariance_type '${type}' on ${d}-dimensional vectors costs ${fmt(work)} operations per EM iteration; ${suggestion(maxPoints, n, "use covariance_type 'diag'")}`;
      }
      return null;
    }
    case 'kmeans':
      return null;
  }
}
