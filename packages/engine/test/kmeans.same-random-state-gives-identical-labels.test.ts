import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('k-means with the same randomState gives identical labels', () => {
  const n = 3000;
  const d = 6;
  const data = uniformMatrix(n, d, 21);
  for (const init of ['k-means++', 'random'] as const) {
    it(`init=${init}`, () => {
      const a = kmeans(data, n, d, { nClusters: 7, nInit: 3, randomState: 123, init });
      const b = kmeans(data, n, d, { nClusters: 7, nInit: 3, randomState: 123, init });
      assert.deepEqual(a.labels, b.labels);
      assert.deepEqual(a.centroids, b.centroids);
      assert.equal(a.inertia, b.inertia);
      assert.equal(a.nIter, b.nIter);
    });
  }

  it('different seeds explore different seedings', () => {
    // Uniform data has many near-equivalent local optima, so seeds matter.
    const runs = [1, 2, 3, 4].map((s) => kmeans(data, n, d, { nClusters: 7, nInit: 1, randomState: s }).inertia);
    assert.ok(new Set(runs).size > 1, `inertias ${runs}`);
  });

  it('null randomState still produces a valid clustering', () => {
    const r = kmeans(data, n, d, { nClusters: 4, nInit: 1, randomState: null });
    assert.equal(r.labels.length, n);
    assert.equal(new Set(r.labels).size, 4);
  });
});
