import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { optics } from '../src/cluster/optics.ts';
import type { OpticsOptions } from '../src/cluster/optics.ts';
import { ComputationCanceledError } from '../src/errors.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('OPTICS rejects what scikit-learn rejects', () => {
  const data = uniformMatrix(20, 2, 1);
  const bad: Array<[string, OpticsOptions, RegExp]> = [
    ['min_samples 0', { minSamples: 0 }, /^min_samples must be an integer ≥ 2 or a fraction in \(0, 1\], got 0$/],
    ['min_samples 1.5', { minSamples: 1.5 }, /^min_samples must be an integer ≥ 2 or a fraction/],
    ['min_samples above n', { minSamples: 21 }, /^min_samples must be no greater than the number of samples \(20\), got 21$/],
    ['negative max_eps', { maxEps: -1 }, /^max_eps must be a number ≥ 0/],
    ['eps above max_eps', { clusterMethod: 'dbscan', maxEps: 1, eps: 2 }, /^eps must be no greater than max_eps \(1\), got 2$/],
    ['negative eps', { clusterMethod: 'dbscan', eps: -0.1 }, /^eps must be a number ≥ 0 or null/],
    ['xi above 1', { xi: 1.5 }, /^xi must be a number in \[0, 1\), got 1.5$/],
    ['xi of 1, where scikit-learn divides by zero', { xi: 1 }, /^xi must be a number in \[0, 1\)/],
    ['negative xi', { xi: -0.1 }, /^xi must be a number in \[0, 1\)/],
    ['min_cluster_size 1.5', { minClusterSize: 1.5 }, /^min_cluster_size must be an integer ≥ 2 or a fraction/],
    ['min_cluster_size above n', { minClusterSize: 25 }, /^min_cluster_size must be no greater than the number of samples \(20\)/],
    ['unknown cluster_method', { clusterMethod: 'hdbscan' as never }, /^cluster_method must be 'xi' or 'dbscan'/],
    ['non-boolean predecessor_correction', { predecessorCorrection: 1 as never }, /^predecessor_correction must be a boolean/],
    ['minkowski p below 1', { p: 0.5 }, /^p must be a number ≥ 1/],
    ['unknown metric', { metric: 'jaccard' as never }, /^metric must be one of/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws a RangeError on ${name}`, () => {
      assert.throws(() => optics(data, 20, 2, options), (e: unknown) => e instanceof RangeError && pattern.test(e.message));
    });
  }

  it('reads min_samples ≤ 1 as a fraction of n, at least 2, as scikit-learn does', () => {
    assert.deepEqual(optics(data, 20, 2, { minSamples: 0.5 }).coreDistances, optics(data, 20, 2, { minSamples: 10 }).coreDistances);
    assert.deepEqual(optics(data, 20, 2, { minSamples: 0.01 }).coreDistances, optics(data, 20, 2, { minSamples: 2 }).coreDistances);
    assert.deepEqual(optics(data, 20, 2, { minSamples: 1 }).coreDistances, optics(data, 20, 2, { minSamples: 20 }).coreDistances);
  });

  it('stops when asked to', () => {
    assert.throws(() => optics(data, 20, 2, { shouldStop: () => true }), ComputationCanceledError);
  });
});
