import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs } from '../../../engine/test/helpers/random-data.ts';
import type { ClusterTaskInput } from '../../src/compute/cluster-task.ts';
import { ComputePool } from '../../src/compute/thread-pool.ts';

// 30,000 rows × 50 centers × 40 dims is above the work k-means splits over threads by default.
const n = 30_000;
const d = 40;

function input(data: Float32Array): ClusterTaskInput {
  return {
    features: [{ uri: 'mem://vectors', data: data.slice(), d }],
    n,
    method: 'kmeans',
    params: { n_clusters: 50, n_init: 2, max_iter: 300, tol: 1e-4, random_state: 5, init: 'k-means++', algorithm: 'lloyd' },
    strategy: 'concatenate',
    normalize: false,
    featureWeights: null,
    weightLearning: null,
    effectiveFeatureMethod: 'mean',
    sampleSize: null,
    silhouetteExactMaxPoints: 2000,
    seed: 1,
  };
}

test('an execution thread with CENTROID_ENGINE_THREADS=2 splits k-means over a helper and returns the one-thread result', async () => {
  const { data } = blobs(n, d, 50, 3, 2);
  const one = new ComputePool(1, 1);
  const two = new ComputePool(1, 2);
  try {
    const signal = new AbortController().signal;
    const [single, split] = await Promise.all([one.run(input(data), signal), two.run(input(data), signal)]);
    assert.equal(split.results[0]!.k, 50);
    assert.equal(split.results[0]!.details.threads, 2, 'the helper thread took half the rows');
    assert.equal(single.results[0]!.details.threads, 1);
    assert.deepEqual(Array.from(split.results[0]!.labels), Array.from(single.results[0]!.labels));
    assert.deepEqual(Array.from(split.results[0]!.representatives), Array.from(single.results[0]!.representatives));
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});
