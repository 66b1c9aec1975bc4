import { kmeans } from '@centroid/engine';
import { nearestCentroidLabels } from './nearest.ts';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitKmeans(data: Float32Array, n: number, d: number, p: Record<string, unknown>, ctx: FitContext): FittedClustering {
  const fit = kmeans(data, n, d, {
    nClusters: p.n_clusters as number,
    nInit: p.n_init as number,
    maxIter: p.max_iter as number,
    tol: p.tol as number,
    randomState: (p.random_state as number | null) ?? ctx.seed,
    init: p.init as 'k-means++' | 'random',
    algorithm: p.algorithm as 'lloyd' | 'elkan' | 'auto',
  });
  const k = p.n_clusters as number;
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => nearestCentroidLabels(rows, m, dim, fit.centroids, k),
    assignmentRule: 'nearest fitted centroid',
    details: { inertia: fit.inertia, n_iter: fit.nIter, converged: fit.converged },
  };
}
