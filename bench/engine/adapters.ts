/**
 * One adapter per Centroid engine entry point: which module and export to
 * load, and the single call the benchmark times. Option names live here and
 * only here, so an engine module that lands with different names is matched
 * by editing its adapter. Modules that do not exist yet are loaded
 * dynamically by the child runner and reported as "not implemented yet".
 */
import type { Params } from './protocol.ts';
import type { kmeans as KMeansFn } from '../../packages/engine/src/cluster/kmeans.ts';
import type { miniBatchKMeans as MiniBatchKMeansFn } from '../../packages/engine/src/cluster/minibatch-kmeans.ts';
import type { silhouetteScore as SilhouetteFn } from '../../packages/engine/src/metrics/silhouette.ts';
import type { daviesBouldinScore as DaviesBouldinFn } from '../../packages/engine/src/metrics/davies-bouldin.ts';
import type { calinskiHarabaszScore as CalinskiHarabaszFn } from '../../packages/engine/src/metrics/calinski-harabasz.ts';

export interface AdapterInput {
  data: Float32Array;
  n: number;
  d: number;
  /** Ground-truth labels: the input of the metric tasks. */
  truth: Int32Array;
  params: Params;
  /** Times the engine call; every adapter calls it exactly once. */
  measure<T>(call: () => T): T;
}

export interface AdapterOutput {
  labels?: Int32Array;
  /** n × nComponents, row-major. */
  embedding?: Float32Array;
  /** Per sample (not in ordering), +Infinity where undefined, like scikit-learn's reachability_. */
  reachability?: Float64Array;
  quality?: Record<string, number>;
  info?: Record<string, string | number | boolean | null>;
}

export interface Adapter {
  /** Path from the repository root. */
  module: string;
  exportName: string;
  run(fn: unknown, input: AdapterInput): AdapterOutput;
}

function defineAdapter<F>(module: string, exportName: string, run: (fn: F, input: AdapterInput) => AdapterOutput): Adapter {
  return { module, exportName, run: (fn, input) => run(fn as F, input) };
}

function num(params: Params, key: string): number {
  const value = params[key];
  if (typeof value !== 'number') throw new Error(`bench task parameter ${key} must be a number, got ${String(value)}`);
  return value;
}

function str(params: Params, key: string): string {
  const value = params[key];
  if (typeof value !== 'string') throw new Error(`bench task parameter ${key} must be a string, got ${String(value)}`);
  return value;
}

/** The run with the median inertia stands for the sweep; the spread goes in the notes. */
function seedSweepOutput(runs: Array<{ labels: Int32Array; inertia: number }>): AdapterOutput {
  const order = runs.map((_, i) => i).sort((a, b) => runs[a]!.inertia - runs[b]!.inertia);
  const median = runs[order[Math.floor((order.length - 1) / 2)]!]!;
  const best = runs[order[0]!]!;
  const worst = runs[order[order.length - 1]!]!;
  return {
    labels: median.labels,
    quality: { inertia: median.inertia },
    info: { seeds: runs.length, bestInertia: Number(best.inertia.toPrecision(5)), worstInertia: Number(worst.inertia.toPrecision(5)) },
  };
}

// The signatures below are those promised for modules that are not written
// yet; the adapters narrow what they read from each result to these fields.
type DbscanFn = (
  data: Float32Array,
  n: number,
  d: number,
  options: { eps: number; minSamples: number },
) => { labels: Int32Array };
type HdbscanFn = (
  data: Float32Array,
  n: number,
  d: number,
  options: { minClusterSize: number; minSamples: number },
) => { labels: Int32Array };
type OpticsFn = (
  data: Float32Array,
  n: number,
  d: number,
  options: { minSamples: number; xi: number },
) => { labels: Int32Array; reachability?: Float64Array | Float32Array };
type AgglomerativeFn = (
  data: Float32Array,
  n: number,
  d: number,
  options: { nClusters: number; linkage: 'ward' | 'complete' | 'average' | 'single' },
) => { labels: Int32Array };
interface GaussianMixtureResult {
  labels: Int32Array;
  /** k */
  weights: ArrayLike<number>;
  /** k × d */
  means: ArrayLike<number>;
  /** k × d for 'diag' */
  covariances: ArrayLike<number>;
  nIter?: number;
  converged?: boolean;
}
type GaussianMixtureFn = (
  data: Float32Array,
  n: number,
  d: number,
  options: { nComponents: number; covarianceType: 'diag'; nInit: number; randomState: number },
) => GaussianMixtureResult;
type ProjectionFn<O> = (data: Float32Array, n: number, d: number, options: O) => { embedding: Float32Array };

/**
 * Mean per-sample log-likelihood of a diagonal-covariance mixture, the value
 * scikit-learn's GaussianMixture.score returns; computed here, outside the
 * timed call, so both tools are judged by the same formula.
 */
function diagMixtureMeanLogLikelihood(data: Float32Array, n: number, d: number, fit: GaussianMixtureResult): number {
  const k = fit.weights.length;
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let logDet = 0;
    for (let j = 0; j < d; j++) logDet += Math.log(fit.covariances[c * d + j]);
    logNorm[c] = Math.log(fit.weights[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
  }
  const perComponent = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < k; c++) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[i * d + j] - fit.means[c * d + j];
        q += (diff * diff) / fit.covariances[c * d + j];
      }
      perComponent[c] = logNorm[c] - 0.5 * q;
      if (perComponent[c] > best) best = perComponent[c];
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(perComponent[c] - best);
    total += best + Math.log(sum);
  }
  return total / n;
}

export const ADAPTERS: Record<string, Adapter> = {
  kmeans: defineAdapter<typeof KMeansFn>('packages/engine/src/cluster/kmeans.ts', 'kmeans', (kmeans, input) => {
    const { data, n, d, params } = input;
    const fit = (randomState: number) =>
      kmeans(data, n, d, {
        nClusters: num(params, 'nClusters'),
        nInit: num(params, 'nInit'),
        randomState,
        algorithm: str(params, 'algorithm') as 'lloyd' | 'elkan',
      });
    if (params.seeds === undefined) {
      const result = input.measure(() => fit(num(params, 'randomState')));
      return {
        labels: result.labels,
        quality: { inertia: result.inertia },
        info: { nIter: result.nIter, converged: result.converged },
      };
    }
    // A seed sweep: one fit per random_state 0..seeds-1, judged by the median run.
    const runs = input.measure(() => Array.from({ length: num(params, 'seeds') }, (_, seed) => fit(seed)));
    return seedSweepOutput(runs);
  }),

  miniBatchKMeans: defineAdapter<typeof MiniBatchKMeansFn>(
    'packages/engine/src/cluster/minibatch-kmeans.ts',
    'miniBatchKMeans',
    (miniBatchKMeans, input) => {
      const { data, n, d, params } = input;
      const result = input.measure(() => miniBatchKMeans(data, n, d, { nClusters: num(params, 'nClusters'), randomState: num(params, 'randomState') }));
      return {
        labels: result.labels,
        quality: { inertia: result.inertia },
        info: { nIter: result.nIter, converged: result.converged },
      };
    },
  ),

  silhouetteScore: defineAdapter<typeof SilhouetteFn>(
    'packages/engine/src/metrics/silhouette.ts',
    'silhouetteScore',
    (silhouetteScore, input) => ({
      quality: { score: input.measure(() => silhouetteScore(input.data, input.n, input.d, input.truth)) },
    }),
  ),

  daviesBouldinScore: defineAdapter<typeof DaviesBouldinFn>(
    'packages/engine/src/metrics/davies-bouldin.ts',
    'daviesBouldinScore',
    (daviesBouldinScore, input) => ({
      quality: { score: input.measure(() => daviesBouldinScore(input.data, input.n, input.d, input.truth)) },
    }),
  ),

  calinskiHarabaszScore: defineAdapter<typeof CalinskiHarabaszFn>(
    'packages/engine/src/metrics/calinski-harabasz.ts',
    'calinskiHarabaszScore',
    (calinskiHarabaszScore, input) => ({
      quality: { score: input.measure(() => calinskiHarabaszScore(input.data, input.n, input.d, input.truth)) },
    }),
  ),

  dbscan: defineAdapter<DbscanFn>('packages/engine/src/cluster/dbscan.ts', 'dbscan', (dbscan, input) => {
    const { data, n, d, params } = input;
    const result = input.measure(() =>
      dbscan(data, n, d, { eps: num(params, 'eps'), minSamples: num(params, 'minSamples') }),
    );
    return { labels: result.labels };
  }),

  hdbscan: defineAdapter<HdbscanFn>('packages/engine/src/cluster/hdbscan/index.ts', 'hdbscan', (hdbscan, input) => {
    const { data, n, d, params } = input;
    const result = input.measure(() =>
      hdbscan(data, n, d, { minClusterSize: num(params, 'minClusterSize'), minSamples: num(params, 'minSamples') }),
    );
    return { labels: result.labels };
  }),

  optics: defineAdapter<OpticsFn>('packages/engine/src/cluster/optics.ts', 'optics', (optics, input) => {
    const { data, n, d, params } = input;
    const result = input.measure(() =>
      optics(data, n, d, { minSamples: num(params, 'minSamples'), xi: num(params, 'xi') }),
    );
    return {
      labels: result.labels,
      reachability: result.reachability === undefined ? undefined : Float64Array.from(result.reachability),
    };
  }),

  agglomerative: defineAdapter<AgglomerativeFn>(
    'packages/engine/src/cluster/agglomerative.ts',
    'agglomerative',
    (agglomerative, input) => {
      const { data, n, d, params } = input;
      const result = input.measure(() =>
        agglomerative(data, n, d, {
          nClusters: num(params, 'nClusters'),
          linkage: str(params, 'linkage') as 'ward' | 'complete' | 'average' | 'single',
        }),
      );
      return { labels: result.labels };
    },
  ),

  gaussianMixture: defineAdapter<GaussianMixtureFn>(
    'packages/engine/src/cluster/gaussian-mixture.ts',
    'gaussianMixture',
    (gaussianMixture, input): AdapterOutput => {
      const { data, n, d, params } = input;
      const fit = (randomState: number) =>
        gaussianMixture(data, n, d, { nComponents: num(params, 'nComponents'), covarianceType: 'diag', nInit: num(params, 'nInit'), randomState });
      if (params.seeds !== undefined) {
        // A seed sweep, judged by the run with the median log-likelihood.
        const runs = input.measure(() => Array.from({ length: num(params, 'seeds') }, (_, seed) => fit(seed)));
        const scored = runs.map((run) => ({ labels: run.labels, score: diagMixtureMeanLogLikelihood(data, n, d, run) }));
        scored.sort((a, b) => b.score - a.score);
        const median = scored[Math.floor((scored.length - 1) / 2)]!;
        return {
          labels: median.labels,
          quality: { meanLogLikelihood: median.score },
          info: { seeds: scored.length, best: Number(scored[0]!.score.toFixed(4)), worst: Number(scored[scored.length - 1]!.score.toFixed(4)) },
        };
      }
      const result = input.measure(() => fit(num(params, 'randomState')));
      return {
        labels: result.labels,
        quality: { meanLogLikelihood: diagMixtureMeanLogLikelihood(data, n, d, result) },
        info: { nIter: result.nIter ?? null, converged: result.converged ?? null },
      };
    },
  ),

  pca: defineAdapter<ProjectionFn<{ nComponents: number; svdSolver: 'randomized'; randomState: number }>>(
    'packages/engine/src/projection/pca.ts',
    'pca',
    (pca, input) => {
      const { data, n, d, params } = input;
      const result = input.measure(() =>
        pca(data, n, d, { nComponents: num(params, 'nComponents'), svdSolver: 'randomized', randomState: num(params, 'randomState') }),
      );
      return { embedding: result.embedding };
    },
  ),

  umap: defineAdapter<ProjectionFn<{ nNeighbors: number; nComponents: number; minDist: number; randomState: number }>>(
    'packages/engine/src/projection/umap.ts',
    'umap',
    (umap, input) => {
      const { data, n, d, params } = input;
      const result = input.measure(() =>
        umap(data, n, d, {
          nNeighbors: num(params, 'nNeighbors'),
          nComponents: num(params, 'nComponents'),
          minDist: num(params, 'minDist'),
          randomState: num(params, 'randomState'),
        }),
      );
      return { embedding: result.embedding };
    },
  ),
};
