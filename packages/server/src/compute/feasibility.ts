/**
 * Refuses, before any work starts, fits that cannot finish in reasonable time or memory on this
 * kind of machine, with a message naming the limit and the way around it (sample_size or another
 * method). The limits are generous (minutes, a few GB): they exist to stop hour-long or
 * out-of-memory runs, not to second-guess borderline ones.
 */
import { AGGLOMERATIVE_MATRIX_MAX_SAMPLES, AGGLOMERATIVE_SINGLE_MAX_SAMPLES, KNN_MAX_WORK, RBF_MAX_SAMPLES } from '@centroid/engine';
import type { VectorMethod } from '../domain/cluster-config.ts';

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Pairwise work (n²·d multiply-adds) a brute-force neighbour method may do: a few minutes here. */
const MAX_PAIRWISE_WORK = 2e12;
/** Above this dimension tree indexes stop pruning and neighbour searches are brute force. */
const TREE_MAX_DIMENSIONS = 20;
/** Multiply-adds one EM iteration may cost. */
const MAX_MIXTURE_ITERATION_WORK = 5e10;

function suggestion(maxPoints: number, n: number, alternatives: string): string {
  const sample = maxPoints < n ? `set vector_config.sample_size to at most ${fmt(maxPoints)} (the other documents are then assigned to the fitted clusters)` : '';
  return [sample, alternatives].filter(Boolean).join(', or ');
}

/** null when the fit is feasible, otherwise the reason and the fix. `n` is the number of rows fitted. */
export function infeasibility(method: VectorMethod, params: Record<string, unknown>, n: number, d: number): string | null {
  switch (method) {
    case 'agglomerative': {
      // Single linkage streams distances (time-bound); the others keep the pairwise matrix (memory-bound).
      const single = params.linkage === 'single';
      const maxPoints = single ? AGGLOMERATIVE_SINGLE_MAX_SAMPLES : AGGLOMERATIVE_MATRIX_MAX_SAMPLES;
      if (n > maxPoints) {
        const cost = single ? `${fmt((n * n) / 2)} distance evaluations` : `a ${fmt((n * n * 6) / 1e9)} GB pairwise distance matrix`;
        return `agglomerative clustering with linkage '${params.linkage}' on ${fmt(n)} documents needs ${cost}; ${suggestion(maxPoints, n, "use 'kmeans' or 'hdbscan'")}`;
      }
      return null;
    }
    case 'spectral': {
      if (params.affinity === 'rbf' && n > RBF_MAX_SAMPLES) {
        return `spectral clustering with affinity 'rbf' builds a dense ${fmt(n)}×${fmt(n)} affinity matrix; ${suggestion(RBF_MAX_SAMPLES, n, "use affinity 'nearest_neighbors'")}`;
      }
      const maxPoints = Math.floor(Math.sqrt(KNN_MAX_WORK / d));
      if (params.affinity === 'nearest_neighbors' && n > maxPoints) {
        return `spectral clustering's neighbour graph compares every pair of documents (${fmt(n)}² × ${d} operations); ${suggestion(maxPoints, n, "use 'kmeans' or 'hdbscan'")}`;
      }
      return null;
    }
    case 'dbscan':
    case 'optics':
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
    case 'hdbscan': // above 16 dimensions it builds an approximate neighbour graph instead of comparing every pair
      return null;
  }
}
