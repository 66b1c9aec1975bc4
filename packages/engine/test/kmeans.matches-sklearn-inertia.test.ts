import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex, kmeans } from '../src/index.ts';
import { allFixtures } from './helpers/fixtures.ts';

describe('k-means matches scikit-learn’s inertia (n_init=10)', () => {
  for (const fx of allFixtures()) {
    for (const seed of [0, 1, 2]) {
      it(`${fx.name}, K=${fx.k}, randomState=${seed}`, () => {
        const result = kmeans(fx.data, fx.n, fx.d, { nClusters: fx.k, nInit: 10, randomState: seed });
        const rel = Math.abs(result.inertia - fx.kmeansInertia) / fx.kmeansInertia;
        assert.ok(rel <= 0.01, `inertia ${result.inertia} vs scikit-learn ${fx.kmeansInertia} (${(rel * 100).toFixed(3)}%)`);
        assert.ok(result.converged, 'converged');
        assert.ok(result.nIter >= 1 && result.nIter <= 300);
        if (fx.wellSeparated) {
          const ari = adjustedRandIndex(result.labels, fx.kmeansLabels);
          assert.ok(ari >= 0.95, `ARI vs scikit-learn labels ${ari}`);
        }
      });
    }
  }
});
