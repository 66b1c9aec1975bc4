import { assignMeanShift, meanShift } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitMeanShift(data: Float32Array, n: number, d: number, p: Record<string, unknown>, _ctx: FitContext): FittedClustering {
  const seeds = p.seeds as number[][] | null;
  if (seeds && seeds[0]!.length !== d) throw new RangeError(`seeds have ${seeds[0]!.length} dimensions but the clustered vectors have ${d}`);
  const fit = meanShift(data, n, d, {
    bandwidth: p.bandwidth as number | null,
    seeds: seeds ? Float64Array.from(seeds.flat()) : null,
    binSeeding: p.bin_seeding as boolean,
    minBinFreq: p.min_bin_freq as number,
    clusterAll: p.cluster_all as boolean,
    maxIter: p.max_iter as number,
  });
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => assignMeanShift(fit.clusterCenters, fit.nClusters, rows, m, dim),
    assignmentRule: 'nearest cluster centre (predict)',
    details: { bandwidth: fit.bandwidth, n_iter: fit.nIter },
  };
}
