import { gaussianMixture, predictGaussianMixture, type GaussianMixtureOptions } from '@centroid/engine';
import type { FitContext, FittedClustering } from './registry.ts';

export function fitGaussianMixture(data: Float32Array, n: number, d: number, p: Record<string, unknown>, ctx: FitContext): FittedClustering {
  const fit = gaussianMixture(data, n, d, {
    nComponents: p.n_components as number,
    covarianceType: p.covariance_type as GaussianMixtureOptions['covarianceType'],
    tol: p.tol as number,
    regCovar: p.reg_covar as number,
    maxIter: p.max_iter as number,
    nInit: p.n_init as number,
    initParams: p.init_params as GaussianMixtureOptions['initParams'],
    weightsInit: p.weights_init as GaussianMixtureOptions['weightsInit'],
    meansInit: p.means_init as GaussianMixtureOptions['meansInit'],
    precisionsInit: p.precisions_init as GaussianMixtureOptions['precisionsInit'],
    randomState: (p.random_state as number | null) ?? ctx.seed,
  });
  return {
    labels: fit.labels,
    assign: (rows, m, dim) => predictGaussianMixture(fit, rows, m, dim),
    assignmentRule: 'most likely mixture component (predict)',
    details: { lower_bound: fit.lowerBound, n_iter: fit.nIter, converged: fit.converged },
  };
}
