import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignDbscan, dbscan } from '../src/cluster/dbscan.ts';
import type { DbscanOptions } from '../src/cluster/dbscan.ts';
import { ComputationCanceledError } from '../src/errors.ts';

describe('DBSCAN rejects what scikit-learn rejects', () => {
  const data = new Float32Array([0, 0, 1, 1, 2, 2]);
  const bad: Array<[string, DbscanOptions, RegExp]> = [
    ['eps 0', { eps: 0 }, /^eps must be a number > 0, got 0$/],
    ['negative eps', { eps: -1 }, /^eps must be a number > 0/],
    ['NaN eps', { eps: NaN }, /^eps must be a number > 0/],
    ['min_samples 0', { minSamples: 0 }, /^min_samples must be an integer ≥ 1, got 0$/],
    ['fractional min_samples', { minSamples: 2.5 }, /^min_samples must be an integer ≥ 1/],
    ['unknown metric', { metric: 'hamming' as never }, /^metric must be one of 'euclidean'.*got 'hamming'$/],
    ['minkowski p below 1', { metric: 'minkowski', p: 0.5 }, /^p must be a number ≥ 1/],
    ['unknown algorithm', { algorithm: 'ann' as never }, /^algorithm must be one of/],
    ['leaf_size 0', { leafSize: 0 }, /^leaf_size must be an integer ≥ 1/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws a RangeError on ${name}`, () => {
      assert.throws(() => dbscan(data, 3, 2, options), (e: unknown) => e instanceof RangeError && pattern.test(e.message));
    });
  }

  it('checks the matrix', () => {
    assert.throws(() => dbscan(data, 4, 2, {}), /6 values but n×d = 4×2/);
    assert.throws(() => dbscan(new Float32Array([0, NaN]), 1, 2, {}), /non-finite/);
  });

  it('rejects an all-zero row under cosine, where the distance is undefined', () => {
    assert.throws(() => dbscan(new Float32Array([1, 0, 0, 0]), 2, 2, { metric: 'cosine' }), /all-zero row \(data row 1\)/);
  });

  it('accepts ball_tree, as scikit-learn does, and answers the same', () => {
    const a = dbscan(data, 3, 2, { eps: 1.5, minSamples: 2, algorithm: 'ball_tree' });
    assert.deepEqual(Array.from(a.labels), [0, 0, 0]);
  });

  it('stops when asked to', () => {
    assert.throws(() => dbscan(data, 3, 2, { shouldStop: () => true }), ComputationCanceledError);
    const fit = dbscan(data, 3, 2, { eps: 1.5, minSamples: 2 });
    assert.throws(() => assignDbscan(data, 3, 2, fit, data, 3, { eps: 1.5, shouldStop: () => true }), ComputationCanceledError);
  });
});
