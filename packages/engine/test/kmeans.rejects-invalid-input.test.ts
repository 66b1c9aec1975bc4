import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import type { KMeansOptions } from '../src/index.ts';

describe('k-means rejects invalid input', () => {
  const data = new Float32Array([0, 0, 1, 1, 2, 2]);

  it('needs at least K points', () => {
    assert.throws(() => kmeans(data, 3, 2, { nClusters: 4 }), /need at least K points.*n_clusters=4.*n=3/);
  });

  it('checks the matrix shape and contents', () => {
    assert.throws(() => kmeans(data, 4, 2, { nClusters: 2 }), /6 values but n×d = 4×2/);
    assert.throws(() => kmeans(data, 3, 0, { nClusters: 2 }), /d must be a positive integer/);
    assert.throws(() => kmeans(new Float32Array([0, NaN, 1, 1]), 2, 2, { nClusters: 1 }), /non-finite value \(NaN\) at row 0, column 1/);
    assert.throws(() => kmeans(new Float32Array([0, 0, Infinity, 1]), 2, 2, { nClusters: 1 }), /non-finite/);
    assert.throws(() => kmeans(Array.from(data) as unknown as Float32Array, 3, 2, { nClusters: 2 }), TypeError);
  });

  const bad: Array<[string, Partial<KMeansOptions>, RegExp]> = [
    ['nClusters 0', { nClusters: 0 }, /^n_clusters must be an integer ≥ 1, got 0$/],
    ['fractional nClusters', { nClusters: 1.5 }, /^n_clusters /],
    ['nInit 0', { nInit: 0 }, /^n_init must be an integer ≥ 1, got 0$/],
    ['maxIter 0', { maxIter: 0 }, /^max_iter /],
    ['negative tol', { tol: -1 }, /^tol must be a finite number ≥ 0, got -1$/],
    ['NaN tol', { tol: NaN }, /^tol /],
    ['unknown init', { init: 'kmeans||' as never }, /^init must be 'k-means\+\+' or 'random', got 'kmeans\|\|'$/],
    ['unknown algorithm', { algorithm: 'full' as never }, /^algorithm must be 'lloyd', 'elkan' or 'auto'/],
    ['infinite seed', { randomState: Infinity }, /^random_state /],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws on ${name}`, () => {
      assert.throws(
        () => kmeans(data, 3, 2, { nClusters: 2, ...options }),
        (e: unknown) => e instanceof RangeError && pattern.test(e.message),
      );
    });
  }
});
