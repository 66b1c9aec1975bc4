/**
 * How each clustering method is fitted from its wire parameters, and how rows left out of a
 * sampled fit (`sample_size`) get a label. Runs inside the clustering thread, engine-only.
 */
import type { VectorMethod } from '../../domain/cluster-config.ts';
import { fitAgglomerative } from './agglomerative.ts';
import { fitDbscan } from './dbscan.ts';
import { fitGaussianMixture } from './gaussian-mixture.ts';
import { fitHdbscan } from './hdbscan.ts';
import { fitKmeans } from './kmeans.ts';
import { fitMeanShift } from './mean-shift.ts';
import { fitOptics } from './optics.ts';
import { fitSpectral } from './spectral.ts';

export interface FitContext {
  /** Seed for methods whose random_state is null, and for anything else random. */
  seed: number;
}

export interface FittedClustering {
  /** Labels of the fitted rows: 0..k-1, -1 for noise. */
  labels: Int32Array;
  /** Labels for other rows of the same space, by the rule named in `assignmentRule`. */
  assign(data: Float32Array, n: number, d: number): Int32Array;
  /** How `assign` decides, in words, reported with the execution when a sample was fitted. */
  assignmentRule: string;
  details: Record<string, unknown>;
}

export type FitMethod = (data: Float32Array, n: number, d: number, params: Record<string, unknown>, ctx: FitContext) => FittedClustering;

const METHODS: Record<VectorMethod, FitMethod> = {
  kmeans: fitKmeans,
  dbscan: fitDbscan,
  hdbscan: fitHdbscan,
  agglomerative: fitAgglomerative,
  spectral: fitSpectral,
  gaussian_mixture: fitGaussianMixture,
  mean_shift: fitMeanShift,
  optics: fitOptics,
};

export function fitterFor(method: VectorMethod): FitMethod {
  return METHODS[method];
}
