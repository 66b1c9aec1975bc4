import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import { columnStatistics } from '../src/cluster/kmeans-steps.ts';
import { kernels } from '../src/linalg/kernels.ts';
import { loadFixture } from './helpers/fixtures.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('the k-means tolerance scales with the mean feature variance', () => {
  it('uses the mean of the per-feature population variances', () => {
    // iris feature variances (population, ddof=0), as numpy.var(X, axis=0) gives them.
    const fx = loadFixture('iris');
    const expectedVariances = [0.6811222, 0.18871289, 3.09550265, 0.57713287];
    const meanVariance = expectedVariances.reduce((a, b) => a + b) / 4;
    const ws = kernels().open(fx.d);
    const got = columnStatistics(ws, fx.data, fx.n).meanVariance;
    ws.close();
    assert.ok(Math.abs(got - meanVariance) < 1e-7, `${got} vs ${meanVariance}`);
  });

  it('so rescaling the data leaves the iterations unchanged', () => {
    const n = 2000;
    const d = 4;
    const data = uniformMatrix(n, d, 12);
    const scaled = data.map((v) => v * 64); // power of two: exact in float32
    const options = { nClusters: 6, nInit: 1, randomState: 8, tol: 1e-2 };
    const a = kmeans(data, n, d, options);
    const b = kmeans(scaled, n, d, options);
    assert.equal(a.nIter, b.nIter);
    assert.deepEqual(a.labels, b.labels);
    // A loose tolerance must actually have stopped the run before the labels settled.
    const strict = kmeans(data, n, d, { ...options, tol: 0 });
    assert.ok(a.nIter < strict.nIter, `${a.nIter} vs ${strict.nIter}`);
  });
});
