import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silhouetteScore } from '../src/index.ts';
import { allFixtures } from './helpers/fixtures.ts';

describe('sampled silhouette stays near the exact score', () => {
  for (const fx of allFixtures()) {
    it(`on ${fx.name} with sampleSize=${fx.sampled.sampleSize}`, () => {
      const exact = fx.metricsKmeans.silhouette;
      // Our sample is not numpy's, so only demand that it strays no further
      // than scikit-learn's own samples did over 100 seeds (or 0.05).
      const tolerance = Math.max(0.05, fx.sampled.maxAbsDeviation);
      const ours = silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels, {
        sampleSize: fx.sampled.sampleSize,
        randomState: 0,
      });
      assert.ok(ours >= -1 && ours <= 1, `score ${ours} outside [-1, 1]`);
      assert.ok(Math.abs(ours - exact) <= tolerance, `sampled ${ours} vs exact ${exact}`);
      assert.ok(Math.abs(fx.sampled.value - exact) <= tolerance, 'scikit-learn sample sanity');
      assert.notEqual(ours, silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels), 'a sample is not the exact score');
    });
  }

  it('is reproducible for a seed and differs between seeds', () => {
    const fx = allFixtures()[0];
    const score = (seed: number) =>
      silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels, { sampleSize: 100, randomState: seed });
    assert.equal(score(3), score(3));
    assert.notEqual(score(3), score(4));
  });

  it('is the exact score when sampleSize ≥ n', () => {
    const fx = allFixtures()[1];
    const exact = silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels);
    assert.equal(silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels, { sampleSize: fx.n, randomState: 1 }), exact);
    assert.throws(() => silhouetteScore(fx.data, fx.n, fx.d, fx.kmeansLabels, { sampleSize: 0 }), /sampleSize/);
  });
});
