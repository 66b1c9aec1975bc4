import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../src/index.ts';
import type { KMeansOptions } from '../src/index.ts';
import { allFixtures } from './helpers/fixtures.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';
import { useKernels } from '../src/linalg/kernels.ts';

function assertSameResult(data: Float32Array, n: number, d: number, options: KMeansOptions): void {
  const lloyd = kmeans(data, n, d, { ...options, algorithm: 'lloyd' });
  const elkan = kmeans(data, n, d, { ...options, algorithm: 'elkan' });
  const auto = kmeans(data, n, d, { ...options, algorithm: 'auto' });
  for (const [name, other] of [['elkan', elkan], ['auto', auto]] as const) {
    assert.deepEqual(other.labels, lloyd.labels, `${name} labels`);
    assert.deepEqual(other.centroids, lloyd.centroids, `${name} centroids`);
    assert.equal(other.inertia, lloyd.inertia, `${name} inertia`);
    assert.equal(other.nIter, lloyd.nIter, `${name} nIter`);
    assert.equal(other.converged, lloyd.converged, `${name} converged`);
  }
}

// Each backend has its own Elkan bounds; both must match their own Lloyd exactly.
for (const backend of ['wasm', 'typescript'] as const) {
  describe(`Lloyd, Elkan and auto agree for the same seed (${backend} kernels)`, () => {
    for (const fx of allFixtures()) {
      it(`on ${fx.name}`, () => {
        useKernels(backend);
        assertSameResult(fx.data, fx.n, fx.d, { nClusters: fx.k, nInit: 3, randomState: 5 });
      });
    }

    it('on overlapping uniform data with many clusters and random init', () => {
      // Bounds prune less here and many iterations run, exercising every branch.
      useKernels(backend);
      const data = uniformMatrix(4000, 16, 77);
      assertSameResult(data, 4000, 16, { nClusters: 25, nInit: 2, randomState: 3, init: 'random', tol: 0 });
    });

    it('on data far from the origin, where float32 products need the translation', () => {
      useKernels(backend);
      const { data } = blobs(1500, 24, 12, 9, 1.5);
      for (let i = 0; i < data.length; i++) data[i] += 1000;
      assertSameResult(data, 1500, 24, { nClusters: 12, nInit: 2, randomState: 1, tol: 0 });
    });

    it('when maxIter cuts the run short', () => {
      useKernels(backend);
      const { data } = blobs(1000, 10, 8, 4, 4);
      assertSameResult(data, 1000, 10, { nClusters: 8, nInit: 2, randomState: 0, maxIter: 3 });
    });
  });
}
