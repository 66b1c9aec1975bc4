import { agglomerative, assignAgglomerative, type AgglomerativeOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitAgglomerative(data: Float32Array, n: number, d: number, p: Record<string, unknown>, _ctx: FitContext): FittedClustering {
  const metric = p.affinity as AgglomerativeOptions['metric'];
  const fit = agglomerative(data, n, d, {
    nClusters: p.n_clusters as number | null,
    distanceThreshold: p.distance_threshold as number | null,
    linkage: p.linkage as AgglomerativeOptions['linkage'],
    affinity: metric,
    computeDistances: p.compute_distances as boolean,
    computeFullTree: p.compute_full_tree === 'auto' ? 'auto' : p.compute_full_tree === true || p.compute_full_tree === 'true',
  });
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => assignAgglomerative(data, n, dim, fit.labels, rows, m, { metric: metric ?? 'euclidean' }),
    assignmentRule: 'label of the nearest fitted document (1-NN under the fit’s metric)',
    details: { n_leaves: fit.nLeaves, n_clusters: fit.nClusters },
  };
}
