/**
 * The engine benchmark's tasks (issue 3's table). Each task names a data set
 * generator, its default size, and the runs to make on it: Centroid adapters
 * (bench/engine/adapters.ts) and reference methods (bench/references/*).
 * Every Centroid run is repeated at each smaller size a reference runs at, so
 * every ratio compares equal inputs.
 */
import type { DatasetSpec } from './data.ts';
import type { Params, Tool } from './protocol.ts';

export interface RunDef {
  tool: Tool;
  /** Centroid: adapter name; Python: key of METHODS in python_reference.py; R: method of r_reference.R. */
  method: string;
  /** Shown after the tool name. */
  variant: string;
  params: Params;
  /** Runs with the same pair key are compared with each other (time ratio, objective). Default: one group per task. */
  pair?: string;
  /** Default size of a reference that cannot run on the whole data set (scaled like the task). */
  subsetN?: number;
  /** Why `subsetN` is set; printed in the notes. */
  subsetReason?: string;
}

export type EmbeddingQuality = 'trustworthiness' | 'explained-variance';

export interface TaskDef {
  id: string;
  summary: string;
  dataset: DatasetSpec;
  n: number;
  runs: RunDef[];
  /** How the embeddings of a projection task are judged. */
  embeddingQuality?: EmbeddingQuality;
}

const EMBEDDINGS_768: DatasetSpec = { kind: 'sphere', d: 768, centers: 50, spread: 1, seed: 768 };
const BLOBS_64: DatasetSpec = { kind: 'blobs', d: 64, centers: 50, spread: 3, box: 10, noiseFraction: 0, seed: 64 };
const BLOBS_10_NOISE: DatasetSpec = { kind: 'blobs', d: 10, centers: 30, spread: 1, box: 10, noiseFraction: 0.05, seed: 10 };

const kmeansCentroid = (nInit: number): RunDef[] =>
  (['lloyd', 'elkan'] as const).map((algorithm) => ({
    tool: 'centroid',
    method: 'kmeans',
    variant: `kmeans ${algorithm}`,
    params: { nClusters: 50, nInit, randomState: 0, algorithm },
  }));
const kmeansSklearn = (nInit: number): RunDef => ({
  tool: 'sklearn',
  method: 'sklearn.KMeans',
  variant: 'KMeans lloyd',
  params: { n_clusters: 50, n_init: nInit, algorithm: 'lloyd', random_state: 0 },
});

/** 50 diagonal components on both sides; `seeding` is { randomState } or { seeds } (a sweep). */
const diagMixtureRuns = (suffix: string, nInit: number, seeding: { randomState: number } | { seeds: number }): RunDef[] => [
  { tool: 'centroid', method: 'gaussianMixture', variant: `gaussianMixture diag${suffix}`, params: { nComponents: 50, nInit, ...seeding } },
  {
    tool: 'sklearn',
    method: 'sklearn.GaussianMixture',
    variant: `GaussianMixture diag${suffix}`,
    params: {
      n_components: 50,
      covariance_type: 'diag',
      n_init: nInit,
      ...('seeds' in seeding ? { seeds: seeding.seeds } : { random_state: seeding.randomState }),
    },
  },
];

export const TASKS: TaskDef[] = [
  {
    id: 'kmeans-768',
    summary: 'k-means K=50, n_init=1 on embeddings',
    dataset: EMBEDDINGS_768,
    n: 100_000,
    runs: [
      ...kmeansCentroid(1),
      kmeansSklearn(1),
      { tool: 'faiss', method: 'faiss.Kmeans', variant: 'niter=25 (defaults)', params: { k: 50, niter: 25, seed: 0 } },
      { tool: 'faiss', method: 'faiss.Kmeans', variant: 'niter=300', params: { k: 50, niter: 300, seed: 0 } },
    ],
  },
  {
    id: 'kmeans-64',
    // scikit-learn 1.2's default n_init (10). With n_init=1 the inertia on one seed is a lottery
    // for both tools (seeds 0-5 on these blobs: scikit-learn 5.95e7-6.64e7, Centroid 6.02e7-6.75e7),
    // so a single-seed ratio would measure luck, not the algorithm.
    summary: 'k-means K=50, n_init=10 (scikit-learn 1.2 default) on gaussian blobs',
    dataset: BLOBS_64,
    n: 100_000,
    runs: [...kmeansCentroid(10), kmeansSklearn(10)],
  },
  {
    // The distribution behind kmeans-64's single ratio: n_init=1 from twenty seeds on each side,
    // the median run compared (best and worst in the notes).
    id: 'kmeans-64-seeds',
    summary: 'k-means K=50, n_init=1, random_state 0..19 on gaussian blobs (median run)',
    dataset: BLOBS_64,
    n: 100_000,
    runs: [
      { tool: 'centroid', method: 'kmeans', variant: 'kmeans elkan ×20 seeds', params: { nClusters: 50, nInit: 1, seeds: 20, algorithm: 'elkan' } },
      { tool: 'sklearn', method: 'sklearn.KMeans', variant: 'KMeans lloyd ×20 seeds', params: { n_clusters: 50, n_init: 1, seeds: 20, algorithm: 'lloyd' } },
    ],
  },
  {
    // Issue 3's memory bound: what an execution on a million 768-d vectors runs (mini-batch
    // k-means fitted on batches, then every row assigned), measured as the child's peak RSS.
    id: 'kmeans-1m-768',
    summary: 'mini-batch k-means K=50 on one million embeddings, every row labelled',
    dataset: EMBEDDINGS_768,
    n: 1_000_000,
    runs: [
      { tool: 'centroid', method: 'miniBatchKMeans', variant: 'miniBatchKMeans', params: { nClusters: 50, randomState: 0 } },
      { tool: 'sklearn', method: 'sklearn.MiniBatchKMeans', variant: 'MiniBatchKMeans', params: { n_clusters: 50, random_state: 0 } },
    ],
  },
  {
    id: 'silhouette-768',
    summary: 'exact silhouette of the ground-truth labels',
    dataset: EMBEDDINGS_768,
    n: 20_000,
    runs: [
      { tool: 'centroid', method: 'silhouetteScore', variant: 'silhouetteScore', params: {} },
      { tool: 'sklearn', method: 'sklearn.silhouette_score', variant: 'silhouette_score', params: {} },
    ],
  },
  {
    id: 'db-ch-768',
    summary: 'Davies-Bouldin and Calinski-Harabasz of the ground-truth labels',
    dataset: EMBEDDINGS_768,
    n: 100_000,
    runs: [
      { tool: 'centroid', method: 'daviesBouldinScore', variant: 'daviesBouldinScore', params: {}, pair: 'db' },
      { tool: 'centroid', method: 'calinskiHarabaszScore', variant: 'calinskiHarabaszScore', params: {}, pair: 'ch' },
      { tool: 'sklearn', method: 'sklearn.davies_bouldin_score', variant: 'davies_bouldin_score', params: {}, pair: 'db' },
      { tool: 'sklearn', method: 'sklearn.calinski_harabasz_score', variant: 'calinski_harabasz_score', params: {}, pair: 'ch' },
    ],
  },
  {
    id: 'dbscan-10',
    summary: 'DBSCAN eps=3, min_samples=10 on 30 blobs + 5% uniform noise',
    dataset: BLOBS_10_NOISE,
    n: 50_000,
    runs: [
      { tool: 'centroid', method: 'dbscan', variant: 'dbscan', params: { eps: 3, minSamples: 10 } },
      { tool: 'r-dbscan', method: 'dbscan', variant: 'dbscan::dbscan', params: { eps: 3, minPts: 10 } },
      { tool: 'sklearn', method: 'sklearn.DBSCAN', variant: 'DBSCAN', params: { eps: 3, min_samples: 10 } },
    ],
  },
  {
    id: 'hdbscan-10',
    summary: 'HDBSCAN min_cluster_size = min_samples = 25 on 30 blobs + 5% uniform noise',
    dataset: BLOBS_10_NOISE,
    n: 50_000,
    runs: [
      { tool: 'centroid', method: 'hdbscan', variant: 'hdbscan', params: { minClusterSize: 25, minSamples: 25 } },
      {
        tool: 'r-dbscan',
        method: 'hdbscan',
        variant: 'dbscan::hdbscan minPts=25',
        params: { minPts: 25 },
        subsetN: 20_000,
        subsetReason: 'R builds the full distance matrix (issue 3: 40k needs 12.6 GB)',
      },
    ],
  },
  {
    id: 'hdbscan-768',
    summary: 'HDBSCAN min_cluster_size = min_samples = 50 on embeddings (no reference finishes)',
    dataset: EMBEDDINGS_768,
    n: 100_000,
    runs: [{ tool: 'centroid', method: 'hdbscan', variant: 'hdbscan', params: { minClusterSize: 50, minSamples: 50 } }],
  },
  {
    id: 'optics-10',
    summary: 'OPTICS min_samples=10, xi=0.05 on 30 blobs + 5% uniform noise',
    dataset: BLOBS_10_NOISE,
    n: 50_000,
    runs: [
      { tool: 'centroid', method: 'optics', variant: 'optics', params: { minSamples: 10, xi: 0.05 } },
      {
        tool: 'sklearn',
        method: 'sklearn.OPTICS',
        variant: 'OPTICS',
        params: { min_samples: 10, xi: 0.05 },
        subsetN: 20_000,
        subsetReason: "sklearn's OPTICS is O(N²) with max_eps=inf (444 s at 50k here under load, issue 3: 117 s idle), beyond the ~3 min budget",
      },
      {
        tool: 'r-dbscan',
        method: 'optics',
        variant: 'dbscan::optics + extractXi',
        params: { minPts: 10, xi: 0.05 },
        subsetN: 20_000,
        subsetReason: 'its default eps, the largest core distance (24.7 here, set by the noise), makes every query cover all points: 330 s at 50k here under load',
      },
    ],
  },
  {
    id: 'ward-64',
    summary: 'agglomerative ward, 50 clusters, on gaussian blobs',
    dataset: BLOBS_64,
    n: 20_000,
    runs: [
      { tool: 'centroid', method: 'agglomerative', variant: 'agglomerative ward', params: { nClusters: 50, linkage: 'ward' } },
      { tool: 'sklearn', method: 'sklearn.AgglomerativeClustering', variant: 'AgglomerativeClustering ward', params: { n_clusters: 50, linkage: 'ward' } },
    ],
  },
  {
    id: 'gmm-diag-64',
    // n_init=3 on both sides: each init is one k-means (n_init=1) run, whose local optimum on one
    // seed decides the log-likelihood more than the EM does (see kmeans-64).
    summary: 'gaussian mixture, 50 diagonal components, n_init=3, on gaussian blobs',
    dataset: BLOBS_64,
    n: 100_000,
    runs: diagMixtureRuns('', 3, { randomState: 0 }),
  },
  {
    // The distribution behind gmm-diag-64's single ratio (each init is one seeded k-means run).
    id: 'gmm-diag-64-seeds',
    summary: 'gaussian mixture, 50 diagonal components, n_init=1, random_state 0..9 (median run)',
    dataset: BLOBS_64,
    n: 100_000,
    runs: diagMixtureRuns(' ×10 seeds', 1, { seeds: 10 }),
  },
  {
    id: 'pca-768',
    summary: '2-D PCA of embeddings',
    dataset: EMBEDDINGS_768,
    n: 100_000,
    embeddingQuality: 'explained-variance',
    runs: [
      { tool: 'centroid', method: 'pca', variant: 'pca randomized', params: { nComponents: 2, randomState: 0 } },
      // The 3-D map of an execution (its 2-D map is the first two columns); judged by the variance of all three axes.
      { tool: 'centroid', method: 'pca', variant: 'pca randomized 3-D', params: { nComponents: 3, randomState: 0 }, pair: 'pca-3d' },
      { tool: 'sklearn', method: 'sklearn.PCA', variant: 'PCA randomized', params: { n_components: 2, svd_solver: 'randomized', random_state: 0 } },
    ],
  },
  {
    id: 'umap-64',
    summary: '2-D UMAP, n_neighbors=15, min_dist=0.1, of gaussian blobs',
    dataset: BLOBS_64,
    n: 20_000,
    embeddingQuality: 'trustworthiness',
    runs: [
      { tool: 'centroid', method: 'umap', variant: 'umap', params: { nNeighbors: 15, nComponents: 2, minDist: 0.1, randomState: 0 } },
      { tool: 'umap-learn', method: 'umap.UMAP', variant: 'UMAP (no random_state, so it runs parallel)', params: { n_neighbors: 15, n_components: 2, min_dist: 0.1 } },
    ],
  },
  {
    // What an execution with projection.method 'umap' does to 100k embeddings: PCA to 32-d,
    // UMAP fitted on 5,000 rows, the other 95,000 placed by their fitted neighbours.
    id: 'umap-768',
    summary: '2-D UMAP, n_neighbors=15, min_dist=0.1, of embeddings',
    dataset: EMBEDDINGS_768,
    n: 100_000,
    embeddingQuality: 'trustworthiness',
    runs: [
      { tool: 'centroid', method: 'umap', variant: 'umap (5k fitted, rest placed)', params: { nNeighbors: 15, nComponents: 2, minDist: 0.1, randomState: 0 } },
      { tool: 'umap-learn', method: 'umap.UMAP', variant: 'UMAP (no random_state, so it runs parallel)', params: { n_neighbors: 15, n_components: 2, min_dist: 0.1 } },
    ],
  },
];

export interface SizedRun extends RunDef {
  n: number;
  pair: string;
}

export interface SizedTask extends TaskDef {
  runs: SizedRun[];
}

function envName(taskId: string): string {
  return taskId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function readSize(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 2) throw new Error(`${name} must be an integer ≥ 2, got ${raw}`);
  return value;
}

/**
 * Applies the size settings: `BENCH_N_<TASK>` sets a task's size,
 * `BENCH_SUBSET_N_<TASK>` the size of its reduced reference runs, and the
 * scale factor multiplies every default size. Centroid runs are added at every
 * reduced size a reference uses.
 */
export function sizeTask(task: TaskDef, scale: number, env: NodeJS.ProcessEnv): SizedTask {
  const scaled = (size: number) => Math.max(2, Math.round(size * scale));
  const n = readSize(`BENCH_N_${envName(task.id)}`, env) ?? scaled(task.n);
  const subsetOverride = readSize(`BENCH_SUBSET_N_${envName(task.id)}`, env);
  const references: SizedRun[] = [];
  const centroid: SizedRun[] = [];
  for (const run of task.runs) {
    const runN = run.subsetN === undefined ? n : Math.min(n, subsetOverride ?? scaled(run.subsetN));
    const sized = { ...run, n: runN, pair: run.pair ?? task.id };
    (run.tool === 'centroid' ? centroid : references).push(sized);
  }
  const extraSizes = [...new Set(references.map((r) => r.n))].filter((size) => size !== n).sort((a, b) => b - a);
  const centroidAtEverySize = centroid.flatMap((run) => [run, ...extraSizes.map((size) => ({ ...run, n: size }))]);
  return { ...task, n, runs: [...centroidAtEverySize, ...references] };
}

/** Ids, `prefix*` patterns, or a method name standing for its tasks (`pca` → pca-768); unknown names are an error that lists the known ones. */
export function selectTasks(patterns: string[] | null): TaskDef[] {
  if (patterns === null) return TASKS;
  const chosen = new Set<TaskDef>();
  for (const pattern of patterns) {
    const exact = TASKS.filter((t) => t.id === pattern);
    const matches = pattern.endsWith('*')
      ? TASKS.filter((t) => t.id.startsWith(pattern.slice(0, -1)))
      : exact.length > 0
        ? exact
        : TASKS.filter((t) => t.id.startsWith(`${pattern}-`));
    if (matches.length === 0) throw new Error(`no engine task matches '${pattern}'; tasks: ${TASKS.map((t) => t.id).join(', ')}`);
    for (const task of matches) chosen.add(task);
  }
  return TASKS.filter((t) => chosen.has(t));
}
