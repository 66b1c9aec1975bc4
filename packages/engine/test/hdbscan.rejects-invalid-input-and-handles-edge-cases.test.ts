import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComputationCanceledError } from '../src/errors.ts';
import { hdbscan, type HDBSCANOptions } from '../src/cluster/hdbscan/hdbscan.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { loadHdbscanFixture } from './fixtures/hdbscan/fixtures.ts';

const DATA = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1, 5, 5, 5, 6, 6, 5, 6, 6]);

test('every option is validated with a message naming the scikit-learn parameter', () => {
  const cases: [HDBSCANOptions, RegExp][] = [
    [{ minClusterSize: 1 }, /^min_cluster_size must be an integer ≥ 2, got 1$/],
    [{ minClusterSize: 2.5 }, /^min_cluster_size must be an integer ≥ 2, got 2.5$/],
    [{ minSamples: 0 }, /^min_samples must be an integer ≥ 1 or null, got 0$/],
    [{ clusterSelectionEpsilon: -1 }, /^cluster_selection_epsilon must be a finite number ≥ 0, got -1$/],
    [{ clusterSelectionEpsilon: Infinity }, /^cluster_selection_epsilon must be a finite number ≥ 0/],
    [{ maxClusterSize: 0 }, /^max_cluster_size must be an integer ≥ 1 or null, got 0$/],
    [{ metric: 'chebyshev' as never }, /^metric must be one of 'euclidean', 'cosine', 'manhattan', got 'chebyshev'$/],
    [{ alpha: 0 }, /^alpha must be a finite number > 0, got 0$/],
    [{ clusterSelectionMethod: 'tree' as never }, /^cluster_selection_method must be 'eom' or 'leaf', got 'tree'$/],
    [{ allowSingleCluster: 'yes' as never }, /^allow_single_cluster must be a boolean, got yes$/],
    [{ algorithm: 'fast' as never }, /^algorithm must be 'auto', 'exact' or 'approximate', got 'fast'$/],
    [{ randomState: Number.NaN }, /^random_state must be a finite number or null, got NaN$/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => hdbscan(DATA, 8, 2, options), (e: unknown) => e instanceof RangeError && message.test(e.message), JSON.stringify(options));
  }
});

test('inputs HDBSCAN cannot work with are refused', () => {
  assert.throws(() => hdbscan(Float32Array.from([1, 2]), 1, 2, { minClusterSize: 2 }), /HDBSCAN needs at least 2 rows, got n=1/);
  assert.throws(() => hdbscan(DATA, 8, 2, { minClusterSize: 9 }), /min_samples \(9\) must be at most the number of rows \(8\)/);
  assert.throws(() => hdbscan(Float32Array.from([0, 0, 1, 1, 2, 2]), 3, 2, { minClusterSize: 2, metric: 'cosine' }), /row 0 of data is all zeros/);
  assert.throws(() => hdbscan(Float32Array.from([0, Number.NaN, 1, 1]), 2, 2, { minClusterSize: 2 }), /non-finite value/);
});

test('null min_samples and max_cluster_size mean their defaults', () => {
  const a = hdbscan(DATA, 8, 2, { minClusterSize: 3, minSamples: null, maxClusterSize: null });
  const b = hdbscan(DATA, 8, 2, { minClusterSize: 3, minSamples: 3 });
  assert.deepEqual(a.labels, b.labels);
  assert.equal(a.minSamples, 3);
});

test('two squares far apart give two clusters on every path', () => {
  for (const algorithm of ['exact', 'approximate'] as const) {
    const result = hdbscan(DATA, 8, 2, { minClusterSize: 3, algorithm });
    assert.equal(adjustedRandIndex(result.labels, Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1])), 1, algorithm);
  }
});

test('tiny inputs: two rows, and all rows identical', () => {
  const two = hdbscan(Float32Array.from([0, 1]), 2, 1, { minClusterSize: 2 });
  assert.deepEqual(Array.from(two.labels), [-1, -1]);
  const same = new Float32Array(20).fill(3);
  const flat = hdbscan(same, 10, 2, { minClusterSize: 3 });
  assert.deepEqual(Array.from(flat.labels), new Array(10).fill(-1));
  const single = hdbscan(same, 10, 2, { minClusterSize: 3, allowSingleCluster: true });
  assert.deepEqual(Array.from(single.labels), new Array(10).fill(0));
  assert.deepEqual(Array.from(single.probabilities), new Array(10).fill(1));
});

test('the approximate path on a low-dimensional fixture agrees with the exact one', () => {
  const f = loadHdbscanFixture('moons');
  const exact = hdbscan(f.data!, f.n, f.d, { minClusterSize: 10, algorithm: 'exact' });
  const approximate = hdbscan(f.data!, f.n, f.d, { minClusterSize: 10, algorithm: 'approximate' });
  assert.ok(adjustedRandIndex(exact.labels, approximate.labels) >= 0.95);
});

test('shouldStop cancels the computation', () => {
  const f = loadHdbscanFixture('digits');
  for (const algorithm of ['exact', 'approximate'] as const) {
    let calls = 0;
    assert.throws(
      () => hdbscan(f.data!, f.n, f.d, { minClusterSize: 5, algorithm, shouldStop: () => ++calls > 2 }),
      ComputationCanceledError,
      algorithm,
    );
  }
  let calls = 0;
  const low = loadHdbscanFixture('blobs');
  assert.throws(() => hdbscan(low.data!, low.n, low.d, { shouldStop: () => ++calls > 2 }), ComputationCanceledError);
});

test('the result exposes the fit in scikit-learn terms', () => {
  const result = hdbscan(DATA, 8, 2, { minClusterSize: 3 });
  assert.equal(result.nClusters, 2);
  assert.equal(result.clusterStability.length, 2);
  assert.equal(result.selectedClusters.length, 2);
  assert.equal(result.coreDistances.length, 8);
  // Core distance with min_samples 3 (the row itself counts): the second-nearest other corner, √1 = 1.
  assert.deepEqual(Array.from(result.coreDistances), new Array(8).fill(1));
  assert.equal(result.condensedTree.n, 8);
});
