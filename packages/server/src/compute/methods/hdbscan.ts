import { hdbscan, hdbscanApproximatePredict, type HDBSCANOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

/** scikit-learn's metric aliases, mapped onto the three metrics the HDBSCAN engine implements. */
const METRIC_ALIASES: Record<string, HDBSCANOptions['metric']> = {
  euclidean: 'euclidean', l2: 'euclidean', minkowski: 'euclidean', cosine: 'cosine', manhattan: 'manhattan', l1: 'manhattan', cityblock: 'manhattan',
};

export function fitHdbscan(data: Float32Array, n: number, d: number, p: Record<string, unknown>, ctx: FitContext): FittedClustering {
  const metric = METRIC_ALIASES[p.metric as string];
  if (!metric) throw new RangeError(`metric '${p.metric}' is not available for hdbscan; use euclidean, cosine or manhattan`);
  const fit = hdbscan(data, n, d, {
    minClusterSize: p.min_cluster_size as number,
    minSamples: p.min_samples as number | null,
    clusterSelectionEpsilon: p.cluster_selection_epsilon as number,
    maxClusterSize: p.max_cluster_size as number | null,
    metric,
    alpha: p.alpha as number,
    clusterSelectionMethod: p.cluster_selection_method as 'eom' | 'leaf',
    allowSingleCluster: p.allow_single_cluster as boolean,
    randomState: ctx.seed,
  });
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => hdbscanApproximatePredict(fit, data, n, dim, rows, m).labels,
    assignmentRule: 'approximate_predict: attached to the condensed tree through the nearest fitted neighbour by mutual reachability',
    details: { spanning_tree: fit.algorithm, n_clusters: fit.nClusters },
  };
}
