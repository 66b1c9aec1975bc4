import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import { loadFixture } from './helpers/fixtures.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

function sqDist(data: Float32Array, i: number, centroids: Float32Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[i * d + j] - centroids[c * d + j]) ** 2;
  return s;
}

describe('k-means returns a consistent partition', () => {
  for (const maxIter of [1, 3, 300]) {
    it(`labels are the nearest centroid and inertia is their cost (maxIter=${maxIter})`, () => {
      const fx = loadFixture('digits');
      const k = fx.k;
      const r = kmeans(fx.data, fx.n, fx.d, { nClusters: k, nInit: 2, maxIter, randomState: 4 });
      assert.equal(r.centroids.length, k * fx.d);
      let inertia = 0;
      for (let i = 0; i < fx.n; i++) {
        const own = sqDist(fx.data, i, r.centroids, r.labels[i], fx.d);
        inertia += own;
        for (let c = 0; c < k; c++) {
          assert.ok(own <= sqDist(fx.data, i, r.centroids, c, fx.d) * (1 + 1e-9) + 1e-9, `point ${i} closer to ${c}`);
        }
      }
      assert.ok(Math.abs(inertia - r.inertia) <= 1e-9 * inertia);
      assert.ok(r.nIter <= maxIter);
      if (maxIter === 1) assert.equal(r.converged, false);
    });
  }

  it('on convergence by stable labels the centroids are the member means', () => {
    const { data } = blobs(300, 4, 3, 8);
    const r = kmeans(data, 300, 4, { nClusters: 3, randomState: 1, tol: 0 });
    assert.ok(r.converged);
    for (let c = 0; c < 3; c++) {
      const mean = new Float64Array(4);
      let count = 0;
      for (let i = 0; i < 300; i++) {
        if (r.labels[i] !== c) continue;
        count++;
        for (let j = 0; j < 4; j++) mean[j] += data[i * 4 + j];
      }
      assert.ok(count > 0);
      for (let j = 0; j < 4; j++) assert.ok(Math.abs(mean[j] / count - r.centroids[c * 4 + j]) < 1e-5);
    }
  });

  it('stops early on a loose tolerance and runs longer on a tight one', () => {
    const data = uniformMatrix(2000, 5, 3);
    const loose = kmeans(data, 2000, 5, { nClusters: 8, nInit: 1, randomState: 2, tol: 0.5 });
    const tight = kmeans(data, 2000, 5, { nClusters: 8, nInit: 1, randomState: 2, tol: 0 });
    assert.ok(loose.converged && tight.converged);
    assert.ok(loose.nIter < tight.nIter, `${loose.nIter} vs ${tight.nIter}`);
    assert.ok(tight.inertia <= loose.inertia);
  });

  it('keeps the best of nInit runs', () => {
    const data = uniformMatrix(1500, 3, 9);
    const single = [0, 1, 2, 3, 4].map((s) => kmeans(data, 1500, 3, { nClusters: 12, nInit: 1, randomState: s }).inertia);
    const many = kmeans(data, 1500, 3, { nClusters: 12, nInit: 20, randomState: 0 }).inertia;
    assert.ok(many <= Math.max(...single));
    assert.ok(many <= single[0], 'the first run is one of the candidates');
  });

  it('handles K=1, K=n and duplicate points', () => {
    const data = new Float32Array([0, 0, 0, 0, 5, 5, 5, 5, 9, 9]);
    const one = kmeans(data, 5, 2, { nClusters: 1, randomState: 0 });
    assert.deepEqual([...one.labels], [0, 0, 0, 0, 0]);
    assert.ok(Math.abs(one.centroids[0] - 3.8) < 1e-6);
    const all = kmeans(data, 5, 2, { nClusters: 5, randomState: 0 });
    assert.equal(all.inertia, 0);
    assert.equal(new Set(all.labels).size, 3, 'only three distinct points');
    const three = kmeans(data, 5, 2, { nClusters: 3, randomState: 0, algorithm: 'elkan' });
    assert.equal(three.inertia, 0);
  });
});
