import { assignDbscan, dbscan, type DbscanOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitDbscan(data: Float32Array, n: number, d: number, p: Record<string, unknown>, _ctx: FitContext): FittedClustering {
  const options: DbscanOptions = {
    eps: p.eps as number,
    minSamples: p.min_samples as number,
    metric: p.metric as DbscanOptions['metric'],
    p: p.p as number,
    algorithm: p.algorithm as DbscanOptions['algorithm'],
  };
  const fit = dbscan(data, n, d, options);
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => assignDbscan(data, n, dim, fit, rows, m, options),
    assignmentRule: 'label of the nearest fitted core sample within eps, otherwise noise',
    details: { core_samples: fit.coreSampleIndices.length },
  };
}
