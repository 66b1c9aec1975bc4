/**
 * Runs inside a worker thread: imports only the engine, so a clustering never blocks the
 * API's event loop. Piscina terminates the thread when an execution is canceled.
 */
import { workerData } from 'node:worker_threads';
import {
  clusterCohesion,
  clusterRepresentatives,
  combineFeatures,
  computeQualityMetrics,
  createRng,
  gatherRows,
  pcaFit,
  pcaTransform,
  samplePermutationPrefix,
  umapLayouts,
  type FeatureMatrix,
  type QualityMetrics,
} from '@centroid/engine';
import type { QualityMetricName } from '../domain/cluster-config.ts';
import type { ClusterTaskInput, ClusterTaskOutput, ClusteringOutput, ProjectionOutput, ProjectionTask } from './cluster-task.ts';
import { fitterFor } from './methods/registry.ts';
import { learnFeatureWeights } from './weight-learning.ts';
import { installEngineThreads } from './row-threads.ts';

// One execution may spread its row-parallel steps (k-means' E-step) over several threads.
installEngineThreads((workerData as { engineThreads?: number } | null)?.engineThreads ?? 1);

/** A seeded sample of `size` distinct row indices, in ascending order (keeps memory access sequential). */
function sampleRows(n: number, size: number, seed: number): Int32Array {
  return samplePermutationPrefix(createRng(seed), n, size).sort();
}

interface Labeling {
  labels: Int32Array;
  details: Record<string, unknown>;
}

/** Fits the method on all rows, or on a seeded sample and then labels every row. */
function label(space: FeatureMatrix, n: number, input: ClusterTaskInput, sampleSize: number | null, seed: number): Labeling {
  const fit = fitterFor(input.method);
  const ctx = { seed };
  if (sampleSize === null || sampleSize >= n) {
    const fitted = fit(space.data, n, space.d, input.params, ctx);
    return { labels: fitted.labels, details: { ...fitted.details, fit_points: n } };
  }
  const rows = sampleRows(n, sampleSize, seed);
  const fitted = fit(gatherRows(space.data, space.d, rows), rows.length, space.d, input.params, ctx);
  const labels = fitted.assign(space.data, n, space.d);
  // Sampled rows keep the label the fit gave them; only the rest go through the assignment rule.
  for (let i = 0; i < rows.length; i++) labels[rows[i]!] = fitted.labels[i]!;
  return { labels, details: { ...fitted.details, fit_points: rows.length, unsampled_rows_assigned_by: fitted.assignmentRule } };
}

/** Renumbers labels 0..k-1 by first appearance when a method leaves gaps (noise stays -1). */
function compactLabels(labels: Int32Array): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  const used = new Int32Array(max + 1).fill(-1);
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0 && used[labels[i]!] === -1) used[labels[i]!] = k++;
  if (k === max + 1) {
    let ordered = true;
    for (let c = 0; c <= max; c++) if (used[c] !== c) ordered = false;
    if (ordered) return k;
  }
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) labels[i] = used[labels[i]!]!;
  return k;
}

function metricsOf(space: FeatureMatrix, n: number, labels: Int32Array, input: ClusterTaskInput, seed: number): QualityMetrics {
  return computeQualityMetrics(space.data, n, space.d, labels, { silhouetteExactMaxPoints: input.silhouetteExactMaxPoints, randomState: seed });
}

function clusterSpace(space: FeatureMatrix, n: number, input: ClusterTaskInput): ClusteringOutput {
  const { labels, details } = label(space, n, input, input.sampleSize, input.seed);
  const k = compactLabels(labels);
  let noiseCount = 0;
  for (let i = 0; i < n; i++) if (labels[i] === -1) noiseCount++;
  const metrics = metricsOf(space, n, labels, input, input.seed);
  if (k === 0) {
    return {
      labels, k, noiseCount, metrics, details,
      representatives: new Float32Array(0),
      distanceToRepresentative: new Float32Array(n).fill(NaN),
      counts: new Int32Array(0),
      meanCosineSimilarity: new Float64Array(0),
      minCosineSimilarity: new Float64Array(0),
    };
  }
  const reps = clusterRepresentatives(space.data, n, space.d, labels, k, input.effectiveFeatureMethod);
  const cohesion = clusterCohesion(space.data, n, space.d, labels, reps.vectors, k);
  return {
    labels,
    k,
    representatives: reps.vectors,
    distanceToRepresentative: cohesion.distanceToCentroid,
    counts: cohesion.counts,
    noiseCount,
    meanCosineSimilarity: cohesion.meanCosineSimilarity,
    minCosineSimilarity: cohesion.minCosineSimilarity,
    metrics,
    details,
  };
}

const METRIC_FIELD: Record<QualityMetricName, keyof QualityMetrics> = {
  silhouette: 'silhouette_score',
  davies_bouldin: 'davies_bouldin_index',
  calinski_harabasz: 'calinski_harabasz_score',
};

function learnWeights(input: ClusterTaskInput): { weights: number[]; score: number; evaluations: number } {
  const config = input.weightLearning!;
  const rows = config.sample_size !== null && config.sample_size < input.n ? sampleRows(input.n, config.sample_size, config.random_state) : null;
  const blocks = input.features.map((f) => ({ data: rows ? gatherRows(f.data, f.d, rows) : f.data, d: f.d }));
  const m = rows ? rows.length : input.n;
  const field = METRIC_FIELD[config.metric];
  const sign = config.metric === 'davies_bouldin' ? -1 : 1;
  const learned = learnFeatureWeights(
    (weights) => {
      const space = combineFeatures(blocks, m, { normalize: input.normalize, weights });
      const { labels } = label(space, m, input, input.sampleSize !== null && input.sampleSize < m ? input.sampleSize : null, config.random_state);
      const value = metricsOf(space, m, labels, input, config.random_state)[field];
      return value === null ? -Infinity : sign * value;
    },
    input.features.length,
    config,
  );
  return { ...learned, score: sign * learned.score };
}

/** Widens an n×have coordinate block to n×want with zeros (PCA of fewer rows or features than axes). */
function padColumns(points: Float32Array, n: number, have: number, want: number): Float32Array {
  if (have === want) return points;
  const out = new Float32Array(n * want);
  for (let i = 0; i < n; i++) for (let c = 0; c < have; c++) out[i * want + c] = points[i * have + c]!;
  return out;
}

function firstColumns(points: Float32Array, n: number, width: number, take: number): Float32Array {
  const out = new Float32Array(n * take);
  for (let i = 0; i < n; i++) for (let c = 0; c < take; c++) out[i * take + c] = points[i * width + c]!;
  return out;
}

/**
 * 2-D and 3-D map coordinates of every row. PCA's axes are nested, so one 3-axis fit gives both
 * (the 2-D map is the first two columns of the 3-D one); UMAP runs one layout per dimension on a
 * shared neighbour graph. Centroids: PCA maps the representatives exactly; for UMAP the runner
 * places each centroid at the mean of its members.
 */
function project(space: FeatureMatrix, n: number, clustering: ClusteringOutput, task: ProjectionTask, seed: number): ProjectionOutput {
  // 'auto' also needs more documents than one neighbourhood, or UMAP has no structure to keep.
  const wantsUmap = task.method === 'umap' || (task.method === 'auto' && n <= task.autoUmapMaxPoints && n > task.nNeighbors);
  // UMAP needs a neighbourhood: fewer rows than that get PCA.
  const minimumUmapRows = 4;
  if (wantsUmap && n >= minimumUmapRows) {
    const result = umapLayouts(space.data, n, space.d, [2, 3], {
      nNeighbors: task.nNeighbors,
      minDist: task.minDist,
      randomState: seed,
      maxFitPoints: task.umapMaxFitPoints,
    });
    return {
      method: 'umap',
      points2d: result.embeddings[0]!,
      points3d: result.embeddings[1]!,
      centroids2d: null,
      centroids3d: null,
      fittedPoints: result.fittedPoints,
      explainedVarianceRatio: null,
      note: null,
    };
  }
  const axes = Math.min(3, n, space.d);
  const model = pcaFit(space.data, n, space.d, { nComponents: axes, randomState: seed });
  const points = padColumns(pcaTransform(model, space.data, n), n, axes, 3);
  const k = clustering.k;
  const centroids = k > 0 ? padColumns(pcaTransform(model, clustering.representatives, k), k, axes, 3) : new Float32Array(0);
  const ratio = Array.from({ length: 3 }, (_, c) => (c < axes ? model.explainedVarianceRatio[c]! : 0));
  return {
    method: 'pca',
    points2d: firstColumns(points, n, 3, 2),
    points3d: points,
    centroids2d: firstColumns(centroids, k, 3, 2),
    centroids3d: centroids,
    fittedPoints: model.fittedRows,
    explainedVarianceRatio: ratio,
    note: wantsUmap ? `UMAP needs at least ${minimumUmapRows} documents; PCA was used` : null,
  };
}

export default function runClusterTask(input: ClusterTaskInput): ClusterTaskOutput {
  const { n, features } = input;
  if (input.strategy === 'independent') {
    const results = features.map((f) => clusterSpace({ data: f.data, d: f.d }, n, input));
    // One map per execution: the first feature's space.
    const projection = input.projection ? project({ data: features[0]!.data, d: features[0]!.d }, n, results[0]!, input.projection, input.seed) : null;
    return { results, learnedWeights: null, learningQualityScore: null, projection };
  }
  let weights = input.featureWeights;
  let learned: ReturnType<typeof learnWeights> | null = null;
  if (input.strategy === 'weighted' && weights === null && features.length > 1) {
    learned = learnWeights(input);
    weights = learned.weights;
  }
  // A single feature is clustered as stored: normalisation only balances features against each other.
  const space = features.length === 1
    ? { data: features[0]!.data, d: features[0]!.d }
    : combineFeatures(features, n, { normalize: input.normalize, weights });
  const result = clusterSpace(space, n, input);
  if (learned) result.details = { ...result.details, weight_learning_evaluations: learned.evaluations };
  const projection = input.projection ? project(space, n, result, input.projection, input.seed) : null;
  // Structured clone copies the result back; it is small next to the input vectors.
  return { results: [result], learnedWeights: learned?.weights ?? null, learningQualityScore: learned?.score ?? null, projection };
}
