/**
 * Gaussian mixture models fitted by EM, following scikit-learn 1.2's
 * `GaussianMixture` (dense input, float64 arithmetic on float32 data):
 * the same initialisations, the same M-step formulas (10ε added to every
 * component mass, reg_covar on the covariance diagonals), precisions kept as
 * Cholesky factors, log-sum-exp responsibilities, the lower bound being the
 * mean log-likelihood of the E-step that precedes each M-step, convergence
 * when it changes by less than `tol`, the best of `nInit` runs by lower
 * bound, and a final E-step so labels match the returned parameters.
 *
 * Deliberate differences:
 *  - random streams come from our PRNG (the 'kmeans' start runs our k-means
 *    with nInit=1 and the caller's seed, later runs with seeds drawn from
 *    that seed's stream), so starts are equivalent in distribution but not
 *    bit-equal to numpy's;
 *  - responsibilities below e^-50 of a point's largest are treated as 0 and,
 *    except for 'tied', mostly never computed (triangle-inequality bounds, see
 *    gaussian-mixture/e-step.ts); this changes results only at the level of
 *    float64 rounding;
 *  - warm_start has no meaning for a one-shot fit and is rejected.
 */
import { createRng, randomSeed, samplePermutationPrefix } from '../rng.ts';
import type { Rng } from '../rng.ts';
import { throwIfCanceled } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { rowSquaredNorms } from '../linalg/dot-block.ts';
import { kmeans } from './kmeans.ts';
import { kmeansPlusPlus } from './kmeans-init.ts';
import { EStep } from './gaussian-mixture/e-step.ts';
import { createBlockScratch, prepareLogDensity, quadraticFormsBlock } from './gaussian-mixture/log-density.ts';
import {
  covarianceLength,
  covariancesFromPrecisionCholesky,
  estimateGaussianParameters,
  gramMatrix,
  precisionCholeskyFromCovariances,
  precisionsFromCholesky,
} from './gaussian-mixture/parameters.ts';
import type { CovarianceType, MixtureParameters } from './gaussian-mixture/parameters.ts';
import { Responsibilities } from './gaussian-mixture/responsibilities.ts';
import { checkMeansInit, checkWeightsInit, precisionCholeskyFromInit } from './gaussian-mixture/user-init.ts';
import type { InitArray } from './gaussian-mixture/user-init.ts';

export type { CovarianceType } from './gaussian-mixture/parameters.ts';
export type { InitArray } from './gaussian-mixture/user-init.ts';

export type GaussianMixtureInit = 'kmeans' | 'k-means++' | 'random' | 'random_from_data';

export interface GaussianMixtureOptions {
  /** Default 1. */
  nComponents?: number;
  /** Default 'full'. */
  covarianceType?: CovarianceType;
  /** Stop when the mean log-likelihood changes by less than this. Default 1e-3. */
  tol?: number;
  /** Added to covariance diagonals. Default 1e-6. */
  regCovar?: number;
  /** EM iterations per run; 0 returns the initial parameters. Default 100. */
  maxIter?: number;
  /** Independent initialisations; the highest lower bound wins. Default 1. */
  nInit?: number;
  /** Default 'kmeans'. */
  initParams?: GaussianMixtureInit;
  /** Shape (nComponents,): values in [0, 1] summing to 1. */
  weightsInit?: InitArray | null;
  /** Shape (nComponents, d). */
  meansInit?: InitArray | null;
  /** Precisions (inverse covariances): full (k, d, d), tied (d, d), diag (k, d), spherical (k,). */
  precisionsInit?: InitArray | null;
  /** Seed; null/undefined draws a fresh one. */
  randomState?: number | null;
  /** Only false is accepted: every call fits a fresh model. */
  warmStart?: boolean;
  /** Polled between EM iterations and inside long passes; returning true aborts with ComputationCanceledError. */
  shouldStop?: () => boolean;
}

/** What `predictGaussianMixture` needs: the fitted parameters. */
export interface GaussianMixtureModel {
  covarianceType: CovarianceType;
  nComponents: number;
  d: number;
  weights: Float64Array;
  /** nComponents×d row-major. */
  means: Float64Array;
  /** scikit-learn's precisions_cholesky_ layout (see covariances). */
  precisionsCholesky: Float64Array;
}

export interface GaussianMixtureResult extends GaussianMixtureModel {
  /** Most responsible component of every row (first index on ties). */
  labels: Int32Array;
  /** full: k×d×d, tied: d×d, diag: k×d, spherical: k (row-major), as scikit-learn's covariances_. */
  covariances: Float64Array;
  /** Inverse covariances, same layout (scikit-learn's precisions_). */
  precisions: Float64Array;
  /** Mean log-likelihood per sample at the winning run's last E-step (−Infinity when maxIter = 0). */
  lowerBound: number;
  /** EM iterations of the winning run. */
  nIter: number;
  /**
   * As scikit-learn's converged_: true when any initialisation reached `tol`
   * (not necessarily the winning one).
   */
  converged: boolean;
}

const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const INIT_METHODS: readonly GaussianMixtureInit[] = ['kmeans', 'k-means++', 'random', 'random_from_data'];

interface Settings {
  k: number;
  type: CovarianceType;
  tol: number;
  regCovar: number;
  maxIter: number;
  nInit: number;
  init: GaussianMixtureInit;
  weightsInit: Float64Array | null;
  meansInit: Float64Array | null;
  precCholInit: Float64Array | null;
}

function readSettings(options: GaussianMixtureOptions, n: number, d: number): Settings {
  const k = options.nComponents ?? 1;
  const type = options.covarianceType ?? 'full';
  const tol = options.tol ?? 1e-3;
  const regCovar = options.regCovar ?? 1e-6;
  const maxIter = options.maxIter ?? 100;
  const nInit = options.nInit ?? 1;
  const init = options.initParams ?? 'kmeans';
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`n_components must be an integer ≥ 1, got ${k}`);
  if (!COVARIANCE_TYPES.includes(type)) {
    throw new RangeError(`covariance_type must be one of 'full', 'tied', 'diag', 'spherical', got '${String(type)}'`);
  }
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol must be a finite number ≥ 0, got ${tol}`);
  if (!(regCovar >= 0) || !Number.isFinite(regCovar)) {
    throw new RangeError(`reg_covar must be a finite number ≥ 0, got ${regCovar}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`max_iter must be an integer ≥ 0, got ${maxIter}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`n_init must be an integer ≥ 1, got ${nInit}`);
  if (!INIT_METHODS.includes(init)) {
    throw new RangeError(`init_params must be one of 'kmeans', 'k-means++', 'random', 'random_from_data', got '${String(init)}'`);
  }
  const randomState = options.randomState ?? null;
  if (randomState !== null && !Number.isFinite(randomState)) {
    throw new RangeError(`random_state must be a finite number or null, got ${randomState}`);
  }
  if (options.warmStart === true) {
    throw new RangeError(
      'warm_start must be false: every execution fits a fresh model, so there is no previous fit to continue from',
    );
  }
  if (n < 2) throw new RangeError(`a Gaussian mixture needs at least 2 samples, got ${n}`);
  if (n < k) throw new RangeError(`n_components must not exceed the number of samples: n_components=${k}, n_samples=${n}`);
  return {
    k,
    type,
    tol,
    regCovar,
    maxIter,
    nInit,
    init,
    weightsInit: options.weightsInit != null ? checkWeightsInit(options.weightsInit, k) : null,
    meansInit: options.meansInit != null ? checkMeansInit(options.meansInit, k, d) : null,
    precCholInit: options.precisionsInit != null ? precisionCholeskyFromInit(options.precisionsInit, type, k, d) : null,
  };
}

/**
 * Fit a Gaussian mixture to the n×d row-major `data`. Throws RangeError for
 * invalid options and when a covariance becomes singular (reg_covar too
 * small for the data), ComputationCanceledError when `shouldStop` asks.
 */
export function gaussianMixture(
  data: Float32Array,
  n: number,
  d: number,
  options: GaussianMixtureOptions,
): GaussianMixtureResult {
  checkMatrix(data, n, d);
  const settings = readSettings(options, n, d);
  const { k, type, tol, maxIter, nInit } = settings;
  const shouldStop = options.shouldStop;
  throwIfCanceled(shouldStop);
  const rng = createRng(options.randomState ?? randomSeed());
  const gram = type === 'tied' ? gramMatrix(data, n, d) : null;
  const fit: FitContext = { data, n, d, settings, gram, rng, seed: options.randomState ?? null, xNorms: null, shouldStop };
  const estep = new EStep(data, n, d, k, type !== 'tied');
  const resp = new Responsibilities(n, n * Math.min(k, 4));

  let best: MixtureParameters | null = null;
  let bestLowerBound = -Infinity;
  let bestNIter = 0;
  let bestIsLast = false;
  let converged = false;
  for (let run = 0; run < nInit; run++) {
    throwIfCanceled(shouldStop);
    let params = initialParameters(fit, resp, run);
    estep.invalidate();
    if (maxIter === 0) {
      // As scikit-learn: without iterations every run "wins" in turn.
      best = params;
      bestNIter = 0;
      continue;
    }
    let lowerBound = -Infinity;
    let nIter = 0;
    for (nIter = 1; nIter <= maxIter; nIter++) {
      throwIfCanceled(shouldStop);
      const previous = lowerBound;
      lowerBound = estep.run(prepareLogDensity(params), resp, shouldStop);
      params = maximizationStep(fit, resp);
      if (Math.abs(lowerBound - previous) < tol) {
        converged = true;
        break;
      }
    }
    nIter = Math.min(nIter, maxIter);
    bestIsLast = false;
    if (lowerBound > bestLowerBound || bestLowerBound === -Infinity) {
      best = params;
      bestLowerBound = lowerBound;
      bestNIter = nIter;
      bestIsLast = true;
    }
  }
  const params = best!;
  // The final E-step reuses the pruning bounds when they belong to the winning run.
  if (!bestIsLast) estep.invalidate();
  throwIfCanceled(shouldStop);
  estep.run(prepareLogDensity(params), resp, shouldStop);

  return {
    labels: Int32Array.from(estep.labels),
    covarianceType: type,
    nComponents: k,
    d,
    weights: params.weights,
    means: params.means,
    covariances: params.covariances,
    precisions: precisionsFromCholesky(params.precisionsCholesky, type, k, d),
    precisionsCholesky: params.precisionsCholesky,
    lowerBound: bestLowerBound,
    nIter: bestNIter,
    converged,
  };
}

/**
 * Labels for rows that were not part of the fit: the component with the
 * largest weighted log-density, exactly scikit-learn's `predict`.
 */
export function predictGaussianMixture(
  model: GaussianMixtureModel,
  data: Float32Array,
  n: number,
  d: number,
  shouldStop?: () => boolean,
): Int32Array {
  checkMatrix(data, n, d);
  const { covarianceType: type, nComponents: k } = model;
  if (d !== model.d) throw new RangeError(`data has ${d} features but the model was fitted on ${model.d}`);
  if (model.means.length !== k * d || model.weights.length !== k) {
    throw new RangeError('model means/weights do not match nComponents and d');
  }
  if (model.precisionsCholesky.length !== covarianceLength(type, k, d)) {
    throw new RangeError(`model precisionsCholesky has the wrong size for covariance_type='${type}'`);
  }
  const params: MixtureParameters = {
    covarianceType: type,
    nComponents: k,
    d,
    weights: model.weights,
    means: model.means,
    covariances: new Float64Array(0),
    precisionsCholesky: model.precisionsCholesky,
    upperCholesky: type === 'full' || type === 'tied' ? isUpperTriangular(model.precisionsCholesky, type === 'full' ? k : 1, d) : true,
  };
  const dens = prepareLogDensity(params);
  const block = 64;
  const q = new Float64Array(block * k);
  const scratch = createBlockScratch(block, d);
  const labels = new Int32Array(n);
  for (let r0 = 0; r0 < n; r0 += block) {
    if ((r0 & 16383) === 0) throwIfCanceled(shouldStop);
    const rows = Math.min(block, n - r0);
    quadraticFormsBlock(dens, data, r0, rows, q, scratch);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < k; c++) {
        const v = dens.constant[c] - 0.5 * q[r * k + c];
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      labels[r0 + r] = best;
    }
  }
  return labels;
}

function isUpperTriangular(factors: Float64Array, count: number, d: number): boolean {
  for (let c = 0; c < count; c++) {
    const o = c * d * d;
    for (let i = 1; i < d; i++) for (let j = 0; j < i; j++) if (factors[o + i * d + j] !== 0) return false;
  }
  return true;
}

interface FitContext {
  data: Float32Array;
  n: number;
  d: number;
  settings: Settings;
  gram: Float64Array | null;
  rng: Rng;
  /** The caller's random_state, or null when a fresh seed was drawn. */
  seed: number | null;
  xNorms: Float64Array | null;
  shouldStop: (() => boolean) | undefined;
}

function maximizationStep(fit: FitContext, resp: Responsibilities): MixtureParameters {
  const { data, n, d, settings, gram } = fit;
  const { k, type, regCovar } = settings;
  const est = estimateGaussianParameters(data, d, resp, n, k, type, regCovar, gram);
  let total = 0;
  for (let c = 0; c < k; c++) total += est.nk[c];
  const weights = est.nk.map((v) => v / total);
  return {
    covarianceType: type,
    nComponents: k,
    d,
    weights,
    means: est.means,
    covariances: est.covariances,
    precisionsCholesky: precisionCholeskyFromCovariances(est.covariances, type, k, d),
    upperCholesky: true,
  };
}

/**
 * Starting parameters of one run: statistics of the initial responsibilities
 * (weights = Σ resp / n, not renormalised, as scikit-learn), then replaced by
 * whichever of weights_init / means_init / precisions_init were given.
 */
function initialParameters(fit: FitContext, resp: Responsibilities, run: number): MixtureParameters {
  const { n, d, settings } = fit;
  const { k, type, regCovar, weightsInit, meansInit, precCholInit } = settings;
  let weights: Float64Array;
  let means: Float64Array;
  let covariances: Float64Array;
  if (weightsInit !== null && meansInit !== null && precCholInit !== null) {
    // Everything given: the starting responsibilities would be discarded.
    weights = weightsInit;
    means = meansInit;
    covariances = new Float64Array(0);
  } else {
    const start = initialResponsibilities(fit, resp, run);
    const est = estimateGaussianParameters(start.source, d, resp, start.rows, k, type, regCovar, fit.gram);
    weights = est.nk.map((v) => v / n);
    means = est.means;
    covariances = est.covariances;
  }
  if (weightsInit !== null) weights = Float64Array.from(weightsInit);
  if (meansInit !== null) means = Float64Array.from(meansInit);
  if (precCholInit !== null) {
    return {
      covarianceType: type,
      nComponents: k,
      d,
      weights,
      means,
      covariances: covariancesFromPrecisionCholesky(precCholInit, type, k, d),
      precisionsCholesky: Float64Array.from(precCholInit),
      upperCholesky: false,
    };
  }
  return {
    covarianceType: type,
    nComponents: k,
    d,
    weights,
    means,
    covariances,
    precisionsCholesky: precisionCholeskyFromCovariances(covariances, type, k, d),
    upperCholesky: true,
  };
}

/**
 * Fills `resp` with the starting responsibilities over the rows of `source`:
 * the data itself ('kmeans': one-hot k-means labels; 'random': uniform rows
 * normalised to 1), or the k chosen rows with one component each
 * ('k-means++', 'random_from_data'; every other row has none, as in
 * scikit-learn).
 */
function initialResponsibilities(fit: FitContext, resp: Responsibilities, run: number): { source: Float32Array; rows: number } {
  const { data, n, d, settings, rng, shouldStop } = fit;
  const k = settings.k;
  resp.reset();
  switch (settings.init) {
    case 'kmeans': {
      // The first run's k-means gets the caller's seed itself, so the start
      // is the partition kmeans(nInit=1, randomState) returns; later runs
      // (nInit > 1) need different starts and draw theirs from the stream.
      const seed = run === 0 && fit.seed !== null ? fit.seed : Math.floor(rng.nextFloat() * 4294967296);
      const { labels } = kmeans(data, n, d, { nClusters: k, nInit: 1, randomState: seed, shouldStop });
      for (let i = 0; i < n; i++) {
        resp.push(labels[i], 1);
        resp.endRow();
      }
      return { source: data, rows: n };
    }
    case 'random': {
      const row = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) {
          row[c] = rng.nextFloat();
          s += row[c];
        }
        for (let c = 0; c < k; c++) resp.push(c, row[c] / s);
        resp.endRow();
      }
      return { source: data, rows: n };
    }
    case 'random_from_data':
    case 'k-means++': {
      let anchors: Float32Array;
      if (settings.init === 'k-means++') {
        fit.xNorms ??= rowSquaredNorms(data, n, d);
        anchors = kmeansPlusPlus(data, n, d, fit.xNorms, k, rng, shouldStop);
      } else {
        const ids = samplePermutationPrefix(rng, n, k);
        anchors = new Float32Array(k * d);
        for (let c = 0; c < k; c++) anchors.set(data.subarray(ids[c] * d, ids[c] * d + d), c * d);
      }
      for (let c = 0; c < k; c++) {
        resp.push(c, 1);
        resp.endRow();
      }
      return { source: anchors, rows: k };
    }
  }
}
