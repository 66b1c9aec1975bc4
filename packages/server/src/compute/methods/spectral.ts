import { assignSpectralClusters, spectralClustering, type SpectralOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitSpectral(data: Float32Array, n: number, d: number, p: Record<string, unknown>, ctx: FitContext): FittedClustering {
  const fit = spectralClustering(data, n, d, {
    nClusters: p.n_clusters as number,
    affinity: p.affinity as SpectralOptions['affinity'],
    gamma: p.gamma as number,
    nNeighbors: p.n_neighbors as number,
    nComponents: p.n_components as number | null,
    eigenSolver: p.eigen_solver as SpectralOptions['eigenSolver'],
    eigenTol: p.eigen_tol as number,
    assignLabels: p.assign_labels as SpectralOptions['assignLabels'],
    nInit: p.n_init as number,
    randomState: (p.random_state as number | null) ?? ctx.seed,
  });
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => assignSpectralClusters(data, n, fit.labels, rows, m, dim),
    assignmentRule: 'label of the nearest fitted document (1-NN, euclidean)',
    details: { n_components: fit.nComponents, connected_components: fit.connectedComponents, eigensolver_converged: fit.eigensolverConverged },
  };
}
