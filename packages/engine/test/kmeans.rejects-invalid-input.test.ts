import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import type { KMeansOptions } from '../src/index.ts';

describe('k-means rejects invalid input', () => {
  const data = new Float32Array([0, 0, 1, 1, 2, 2]);

  it('needs at least K points', () => {
    assert.throws(() => kmeans(data, 3, 2, { nClusters: 4 }), /need at least K points.*nClusters=4.*n=3/);
  });

  it('checks the matrix shape and contents', () => {
    assert.throws(() => kmeans(data, 4, 2, { nClusters: 2 }), /6 values but n×d = 4×2/);
    assert.throws(() => kmeans(data, 3, 0, { nClusters: 2 }), /d must be a positive integer/);
    assert.throws(() => kmeans(new Float32Array([0, NaN, 1, 1]), 2, 2, { nClusters: 1 }), /non-finite value \(NaN\) at row 0, column 1/);
    assert.throws(() => kmeans(new Float32Array([0, 0, Infinity, 1]), 2, 2, { nClusters: 1 }), /non-finite/);
    assert.throws(() => kmeans(Array.from(data) as unknown as Float32Array, 3, 2, { nClusters: 2 }), TypeError);
  });

  const bad: Array<[string, Partial<KMeansOptions>, RegExp]> = [
    ['nClusters 0', { nClusters: 0 }, /nClusters/],
    ['fractional nClusters', { nClusters: 1.5 }, /nClusters/],
    ['nInit 0', { nInit: 0 }, /nInit/],
    ['maxIter 0', { maxIter: 0 }, /maxIter/],
    ['negative tol', { tol: -1 }, /tol/],
    ['NaN tol', { tol: NaN }, /tol/],
    ['unknown init', { init: 'kmeans||' as never }, /init/],
    ['unknown algorithm', { algorithm: 'full' as never }, /algorithm/],
    ['infinite seed', { randomState: Infinity }, /randomState/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws on ${name}`, () => {
      assert.throws(() => kmeans(data, 3, 2, { nClusters: 2, ...options }), pattern);
    });
  }
});
