import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianMixture } from '../src/cluster/gaussian-mixture.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { COVARIANCE_TYPE_NAMES, GMM_FIXTURES, loadGmmFixture, precisionsInitFor } from './fixtures/mixture/load.ts';

// Given scikit-learn's own starting weights / means / precisions, EM must
// follow scikit-learn's path: same lower bound, iterations, partition and
// parameters, up to float64 rounding.
function assertClose(actual: Float64Array, expected: Float64Array, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.max(Math.abs(expected[i]), 1e-3 * scale), `${what}[${i}]: ${actual[i]} vs scikit-learn ${expected[i]}`);
  }
}

for (const name of GMM_FIXTURES) {
  const fx = loadGmmFixture(name);
  describe(`Gaussian mixture from scikit-learn's start matches scikit-learn on ${name} (n=${fx.n}, d=${fx.d}, K=${fx.k})`, () => {
    for (const type of COVARIANCE_TYPE_NAMES) {
      it(`covariance_type='${type}'`, () => {
        const expected = fx.runs[type].givenInit;
        const result = gaussianMixture(fx.data, fx.n, fx.d, {
          nComponents: fx.k,
          covarianceType: type,
          weightsInit: expected.weightsInit,
          meansInit: expected.meansInit,
          precisionsInit: precisionsInitFor(fx, type),
          randomState: 0,
        });
        const rel = Math.abs(result.lowerBound - expected.lowerBound) / Math.abs(expected.lowerBound);
        assert.ok(rel <= 1e-6, `lower bound ${result.lowerBound} vs scikit-learn ${expected.lowerBound} (relative ${rel})`);
        assert.equal(result.nIter, expected.nIter, 'n_iter');
        assert.equal(result.converged, expected.converged, 'converged');
        assert.equal(adjustedRandIndex(result.labels, expected.labels), 1, 'ARI vs scikit-learn labels');
        assert.deepEqual(Array.from(result.labels), Array.from(expected.labels), 'labels (same numbering: components keep their start order)');
        // The fixture rounds parameters to 10 significant digits.
        assertClose(result.weights, expected.weights, 1e-6, 'weights');
        assertClose(result.means, expected.means, 1e-6, 'means');
        if (expected.covariances !== null) assertClose(result.covariances, expected.covariances, 1e-6, 'covariances');
      });
    }
  });
}
