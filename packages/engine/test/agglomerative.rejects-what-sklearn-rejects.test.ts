import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agglomerative, AGGLOMERATIVE_MATRIX_MAX_SAMPLES } from '../src/cluster/agglomerative.ts';
import type { AgglomerativeOptions } from '../src/cluster/agglomerative.ts';
import { ComputationCanceledError } from '../src/errors.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('agglomerative clustering rejects what scikit-learn rejects, naming the parameter', () => {
  const data = uniformMatrix(10, 2, 1);

  const bad: Array<[string, AgglomerativeOptions, RegExp]> = [
    ['n_clusters 0', { nClusters: 0 }, /^n_clusters must be an integer ≥ 1 or null, got 0/],
    ['fractional n_clusters', { nClusters: 2.5 }, /^n_clusters must be an integer/],
    ['both n_clusters and distance_threshold', { nClusters: 3, distanceThreshold: 1 }, /^n_clusters and distance_threshold were both set/],
    ['neither', { nClusters: null }, /^n_clusters is null and no distance_threshold/],
    ['negative distance_threshold', { nClusters: null, distanceThreshold: -1 }, /^distance_threshold must be a finite number ≥ 0/],
    ['compute_full_tree false with a threshold', { distanceThreshold: 1, computeFullTree: false }, /^compute_full_tree must be true/],
    ['unknown linkage', { linkage: 'centroid' as never }, /^linkage must be one of 'ward', 'complete', 'average', 'single', got 'centroid'/],
    ['unknown metric', { linkage: 'average', metric: 'chebyshev' as never }, /^metric must be one of .*got 'chebyshev'/],
    ['unknown affinity', { linkage: 'average', affinity: 'precomputed' as never }, /^affinity must be one of/],
    ['both affinity and metric', { linkage: 'average', affinity: 'cosine', metric: 'cosine' }, /^affinity and metric were both set/],
    ['ward with manhattan', { linkage: 'ward', metric: 'manhattan' }, /^metric 'manhattan' cannot be used with linkage 'ward'/],
    // scikit-learn compares the metric name itself, so even the alias l2 is refused for ward.
    ['ward with l2', { linkage: 'ward', affinity: 'l2' }, /^affinity 'l2' cannot be used with linkage 'ward'/],
    ['a connectivity matrix', { connectivity: [[0, 1], [1, 0]] }, /^connectivity is not supported/],
    ['more clusters than samples', { nClusters: 11 }, /^n_clusters must be ≤ the number of samples \(10\), got 11/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws a RangeError on ${name}`, () => {
      assert.throws(() => agglomerative(data, 10, 2, options), (error: unknown) => error instanceof RangeError && pattern.test(error.message));
    });
  }

  it('refuses cosine when a row is all zeros, as scikit-learn does', () => {
    const withZero = Float32Array.from([1, 2, 0, 0, 3, 1]);
    assert.throws(() => agglomerative(withZero, 3, 2, { linkage: 'average', metric: 'cosine' }), /^RangeError: metric 'cosine' cannot be used when the data contains zero vectors \(row 1/);
  });

  it('needs at least two samples', () => {
    assert.throws(() => agglomerative(Float32Array.from([1, 2]), 1, 2, { nClusters: 1 }), /^RangeError: n_samples must be at least 2/);
  });

  it('fails fast with a sample_size hint above the matrix limit', () => {
    const n = AGGLOMERATIVE_MATRIX_MAX_SAMPLES + 1;
    assert.throws(() => agglomerative(new Float32Array(n), n, 1, {}), /n_samples 30001 is too many for linkage 'ward'.*sample_size ≤ 30000/);
  });

  it('accepts the l1 and l2 aliases and treats them as manhattan and euclidean', () => {
    const l1 = agglomerative(data, 10, 2, { linkage: 'average', metric: 'l1', nClusters: 3, computeDistances: true });
    const manhattan = agglomerative(data, 10, 2, { linkage: 'average', metric: 'manhattan', nClusters: 3, computeDistances: true });
    assert.deepEqual(l1, manhattan);
    const l2 = agglomerative(data, 10, 2, { linkage: 'complete', affinity: 'l2', nClusters: 3 });
    const euclidean = agglomerative(data, 10, 2, { linkage: 'complete', nClusters: 3 });
    assert.deepEqual(l2, euclidean);
  });

  it('treats a lone distance_threshold as n_clusters null', () => {
    const result = agglomerative(data, 10, 2, { distanceThreshold: 0 });
    assert.equal(result.nClusters, 10);
  });
});

describe('agglomerative clustering honours shouldStop', () => {
  for (const linkage of ['ward', 'single'] as const) {
    it(`aborts ${linkage} linkage with ComputationCanceledError`, () => {
      let polls = 0;
      const data = uniformMatrix(300, 4, 3);
      assert.throws(
        () => agglomerative(data, 300, 4, { linkage, shouldStop: () => ++polls > 3 }),
        ComputationCanceledError,
      );
    });
  }
});
