import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeQualityMetrics, silhouetteScore } from '../src/index.ts';
import { allFixtures, assertRelClose, loadFixture } from './helpers/fixtures.ts';
import { uniformMatrix } from './helpers/random-data.ts';

const REL = 1e-5;

describe('computeQualityMetrics excludes noise and reports nulls where scikit-learn refuses', () => {
  for (const fx of allFixtures()) {
    it(`matches scikit-learn on the non-noise points of ${fx.name}`, () => {
      const m = computeQualityMetrics(fx.data, fx.n, fx.d, fx.noisyLabels);
      const expected = fx.metricsNoisyWithoutNoise;
      assertRelClose(m.silhouette_score!, expected.silhouette, REL, 'silhouette');
      assertRelClose(m.davies_bouldin_index!, expected.davies_bouldin, REL, 'davies_bouldin');
      assertRelClose(m.calinski_harabasz_score!, expected.calinski_harabasz, REL, 'calinski_harabasz');
      assert.equal(m.silhouette_sample_size, null);
    });
  }

  it('samples the silhouette beyond silhouetteExactMaxPoints and says how many points it used', () => {
    const fx = loadFixture('blobs64');
    const m = computeQualityMetrics(fx.data, fx.n, fx.d, fx.noisyLabels, { silhouetteExactMaxPoints: 300 });
    assert.equal(m.silhouette_sample_size, 300);
    const exact = fx.metricsNoisyWithoutNoise.silhouette;
    assert.ok(Math.abs(m.silhouette_score! - exact) <= 0.05, `sampled ${m.silhouette_score} vs exact ${exact}`);
    assert.notEqual(m.silhouette_score, exact);
    // Only the silhouette is sampled.
    assertRelClose(m.davies_bouldin_index!, fx.metricsNoisyWithoutNoise.davies_bouldin, REL, 'davies_bouldin');
    // Default randomState is 0, so repeated calls agree; another seed gives another sample.
    const again = computeQualityMetrics(fx.data, fx.n, fx.d, fx.noisyLabels, { silhouetteExactMaxPoints: 300 });
    assert.equal(again.silhouette_score, m.silhouette_score);
    const other = computeQualityMetrics(fx.data, fx.n, fx.d, fx.noisyLabels, {
      silhouetteExactMaxPoints: 300,
      randomState: 9,
    });
    assert.notEqual(other.silhouette_score, m.silhouette_score);
  });

  it('the sample never includes noise points', () => {
    // Noise sits far away: if any noise point leaked into the sample as a
    // cluster of its own, the score would jump.
    const n = 400;
    const d = 3;
    const data = uniformMatrix(n, d, 2);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i < 100 ? -1 : i % 3;
      if (i < 100) data[i * d] += 1000;
    }
    const m = computeQualityMetrics(data, n, d, labels, { silhouetteExactMaxPoints: 299 });
    assert.equal(m.silhouette_sample_size, 299);
    const clean = silhouetteScore(data.slice(100 * d), n - 100, d, labels.slice(100));
    assert.ok(Math.abs(m.silhouette_score! - clean) < 0.05);
    assert.equal(computeQualityMetrics(data, n, d, labels, { silhouetteExactMaxPoints: 300 }).silhouette_sample_size, null);
  });

  it('is all null for fewer than 2 clusters or more than n_points − 1', () => {
    const data = uniformMatrix(6, 2, 3);
    const allNull = {
      silhouette_score: null,
      davies_bouldin_index: null,
      calinski_harabasz_score: null,
      silhouette_sample_size: null,
    };
    assert.deepEqual(computeQualityMetrics(data, 6, 2, new Int32Array([0, 0, 0, -1, -1, 0])), allNull);
    assert.deepEqual(computeQualityMetrics(data, 6, 2, new Int32Array(6).fill(-1)), allNull);
    // Three non-noise points in three clusters: 3 > 3 − 1.
    assert.deepEqual(computeQualityMetrics(data, 6, 2, new Int32Array([0, 1, 2, -1, -1, -1])), allNull);
    const ok = computeQualityMetrics(data, 6, 2, new Int32Array([0, 1, 1, -1, -1, 0]));
    assert.equal(typeof ok.silhouette_score, 'number');
    assert.equal(typeof ok.davies_bouldin_index, 'number');
    assert.equal(typeof ok.calinski_harabasz_score, 'number');
  });
});
