import { assignOptics, optics, type OpticsOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitOptics(data: Float32Array, n: number, d: number, p: Record<string, unknown>, _ctx: FitContext): FittedClustering {
  const options: OpticsOptions = {
    minSamples: p.min_samples as number,
    maxEps: (p.max_eps as number | null) ?? Infinity,
    metric: p.metric as OpticsOptions['metric'],
    p: p.p as number,
    clusterMethod: p.cluster_method as 'xi' | 'dbscan',
    eps: p.eps as number | null,
    xi: p.xi as number,
    predecessorCorrection: p.predecessor_correction as boolean,
    minClusterSize: p.min_cluster_size as number | null,
    algorithm: p.algorithm as OpticsOptions['algorithm'],
  };
  const fit = optics(data, n, d, options);
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => assignOptics(data, n, dim, fit, rows, m, options),
    assignmentRule: 'label of the fitted core point that reaches the document at the lowest reachability, else noise',
    details: { n_clusters: fit.nClusters },
  };
}
