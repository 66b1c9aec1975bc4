import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { miniBatchKMeans } from '../src/cluster/minibatch-kmeans.ts';
import type { MiniBatchKMeansOptions } from '../src/cluster/minibatch-kmeans.ts';
import { kmeansPredict } from '../src/cluster/kmeans.ts';
import { ComputationCanceledError } from '../src/index.ts';
import { loadFixture } from './helpers/fixtures.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

function sqDist(data: Float32Array, i: number, centroids: Float32Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[i * d + j] - centroids[c * d + j]) ** 2;
  return s;
}

describe('mini-batch k-means returns a consistent partition', () => {
  it('labels are the nearest centroid and inertia is their cost', () => {
    const fx = loadFixture('digits');
    const r = miniBatchKMeans(fx.data, fx.n, fx.d, { nClusters: fx.k, batchSize: 100, randomState: 3 });
    let inertia = 0;
    for (let i = 0; i < fx.n; i++) {
      const own = sqDist(fx.data, i, r.centroids, r.labels[i], fx.d);
      inertia += own;
      for (let c = 0; c < fx.k; c++) assert.ok(own <= sqDist(fx.data, i, r.centroids, c, fx.d) * (1 + 1e-6) + 1e-9);
    }
    assert.ok(Math.abs(inertia - r.inertia) <= 1e-9 * inertia);
    assert.deepEqual(kmeansPredict(fx.data, fx.n, fx.d, r.centroids, fx.k), r.labels, 'predict on the fitted rows');
  });

  it('without early stopping it takes max_iter·n / batch_size steps', () => {
    const data = uniformMatrix(500, 3, 2);
    const r = miniBatchKMeans(data, 500, 3, { nClusters: 4, batchSize: 64, maxIter: 3, maxNoImprovement: null, randomState: 0 });
    assert.equal(r.nSteps, Math.floor((3 * 500) / 64));
    assert.equal(r.nIter, Math.ceil((r.nSteps * 64) / 500));
    assert.equal(r.converged, false);
  });

  it('stops as soon as the centers move less than a large tolerance', () => {
    // The first step is never judged (its inertia reflects the init); the second is.
    const { data } = blobs(600, 4, 3, 5);
    const r = miniBatchKMeans(data, 600, 4, { nClusters: 3, batchSize: 50, tol: 1e6, randomState: 1 });
    assert.equal(r.nSteps, 2);
    assert.ok(r.converged);
  });

  it('the same randomState gives the same result, another one differs', () => {
    const data = uniformMatrix(800, 5, 9);
    const options: MiniBatchKMeansOptions = { nClusters: 6, batchSize: 32, randomState: 11 };
    const a = miniBatchKMeans(data, 800, 5, options);
    const b = miniBatchKMeans(data, 800, 5, options);
    assert.deepEqual(a.centroids, b.centroids);
    assert.deepEqual(a.labels, b.labels);
    assert.notDeepEqual(miniBatchKMeans(data, 800, 5, { ...options, randomState: 12 }).centroids, a.centroids);
  });

  it('recovers well-separated blobs', () => {
    const { data, labels: truth } = blobs(2000, 8, 5, 21, 0.4);
    for (const randomState of [0, 1, 2, 3]) {
      const r = miniBatchKMeans(data, 2000, 8, { nClusters: 5, batchSize: 128, randomState });
      const pairs = new Map<number, number>();
      for (let i = 0; i < 2000; i++) {
        const seen = pairs.get(truth[i]);
        if (seen === undefined) pairs.set(truth[i], r.labels[i]);
        else assert.equal(r.labels[i], seen, `seed ${randomState}: point ${i} split from its blob`);
      }
      assert.equal(new Set(pairs.values()).size, 5);
    }
  });

  it('random init gives a valid partition', () => {
    const data = uniformMatrix(700, 3, 5);
    const r = miniBatchKMeans(data, 700, 3, { nClusters: 6, batchSize: 50, init: 'random', randomState: 4 });
    assert.deepEqual(kmeansPredict(data, 700, 3, r.centroids, 6), r.labels);
  });

  it('shouldStop cancels between steps', () => {
    const data = uniformMatrix(3000, 4, 1);
    let polls = 0;
    assert.throws(
      () => miniBatchKMeans(data, 3000, 4, { nClusters: 5, batchSize: 10, randomState: 0, shouldStop: () => ++polls > 40 }),
      ComputationCanceledError,
    );
    assert.equal(polls, 41);
  });

  const bad: Array<[string, Partial<MiniBatchKMeansOptions>, RegExp]> = [
    ['nClusters 0', { nClusters: 0 }, /^n_clusters must be an integer ≥ 1, got 0$/],
    ['batchSize 0', { batchSize: 0 }, /^batch_size must be an integer ≥ 1, got 0$/],
    ['maxIter 0', { maxIter: 0 }, /^max_iter /],
    ['nInit 0', { nInit: 0 }, /^n_init /],
    ['initSize 0', { initSize: 0 }, /^init_size /],
    ['negative maxNoImprovement', { maxNoImprovement: -1 }, /^max_no_improvement /],
    ['negative reassignmentRatio', { reassignmentRatio: -0.1 }, /^reassignment_ratio /],
    ['NaN tol', { tol: NaN }, /^tol /],
    ['unknown init', { init: 'kmeans||' as never }, /^init must be 'k-means\+\+' or 'random'/],
    ['infinite seed', { randomState: Infinity }, /^random_state /],
  ];
  for (const [name, options, pattern] of bad) {
    it(`rejects ${name}`, () => {
      const data = uniformMatrix(20, 2, 1);
      assert.throws(
        () => miniBatchKMeans(data, 20, 2, { nClusters: 2, ...options }),
        (e: unknown) => e instanceof RangeError && pattern.test(e.message),
      );
    });
  }

  it('rejects more clusters than rows', () => {
    assert.throws(() => miniBatchKMeans(new Float32Array(6), 3, 2, { nClusters: 4 }), /n_clusters=4 needs at least as many rows, got n=3/);
  });
});
