/**
 * Runs inside a worker thread: imports only the engine, so a clustering never blocks the
 * API's event loop. Piscina terminates the thread when an execution is canceled.
 */
import { clusterCohesion, computeQualityMetrics, createRng, kmeans } from '@centroid/engine';
import type { ClusterTaskInput, ClusterTaskOutput } from './cluster-task.ts';

/** Partial Fisher–Yates: a seeded sample of `size` distinct row indices, in ascending order. */
function sampleRows(n: number, size: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + rng.nextInt(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, size).sort();
}

function gatherRows(data: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i]! * d, rows[i]! * d + d), i * d);
  return out;
}

/** Nearest centroid for every row (used after fitting on a sample). */
function assignAll(data: Float32Array, n: number, d: number, centroids: Float32Array, k: number): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const base = c * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j]! - centroids[base + j]!;
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}

export default function runClusterTask(input: ClusterTaskInput): ClusterTaskOutput {
  const { data, n, d, params } = input;
  const seed = params.random_state ?? Math.floor(Math.random() * 2 ** 31);
  const sampled = input.sampleSize !== null && input.sampleSize < n;
  const fitRows = sampled ? sampleRows(n, input.sampleSize!, seed) : null;
  const fitData = fitRows ? gatherRows(data, d, fitRows) : data;
  const fitN = fitRows ? fitRows.length : n;

  const fit = kmeans(fitData, fitN, d, {
    nClusters: params.n_clusters,
    nInit: params.n_init,
    maxIter: params.max_iter,
    tol: params.tol,
    randomState: seed,
    init: params.init,
    algorithm: params.algorithm,
  });
  const k = params.n_clusters;
  const labels = sampled ? assignAll(data, n, d, fit.centroids, k) : fit.labels;
  const cohesion = clusterCohesion(data, n, d, labels, fit.centroids, k);
  const metrics = computeQualityMetrics(data, n, d, labels, { silhouetteExactMaxPoints: input.silhouetteExactMaxPoints, randomState: seed });

  const output: ClusterTaskOutput = {
    labels,
    k,
    centroids: fit.centroids,
    distanceToCentroid: cohesion.distanceToCentroid,
    counts: cohesion.counts,
    meanCosineSimilarity: cohesion.meanCosineSimilarity,
    minCosineSimilarity: cohesion.minCosineSimilarity,
    metrics,
    inertia: fit.inertia,
    iterations: fit.nIter,
    fitPoints: fitN,
  };
  // Structured clone copies the result back; it is small next to the input vectors.
  return output;
}
