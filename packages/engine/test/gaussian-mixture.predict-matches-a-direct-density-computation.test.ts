import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianMixture, predictGaussianMixture } from '../src/cluster/gaussian-mixture.ts';
import type { CovarianceType } from '../src/cluster/gaussian-mixture.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

// Log-density of x under N(mean, cov) by Gaussian elimination with partial
// pivoting: independent of the engine's Cholesky-based evaluation.
function logGaussian(x: Float64Array, mean: Float64Array, cov: Float64Array, d: number): number {
  const a = Float64Array.from(cov);
  const b = x.map((v, j) => v - mean[j]);
  const rhs = Float64Array.from(b);
  let logDet = 0;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]) > Math.abs(a[pivot * d + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < d; c++) [a[col * d + c], a[pivot * d + c]] = [a[pivot * d + c], a[col * d + c]];
      [rhs[col], rhs[pivot]] = [rhs[pivot], rhs[col]];
    }
    logDet += Math.log(Math.abs(a[col * d + col]));
    for (let r = col + 1; r < d; r++) {
      const f = a[r * d + col] / a[col * d + col];
      for (let c = col; c < d; c++) a[r * d + c] -= f * a[col * d + c];
      rhs[r] -= f * rhs[col];
    }
  }
  const sol = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = rhs[r];
    for (let c = r + 1; c < d; c++) s -= a[r * d + c] * sol[c];
    sol[r] = s / a[r * d + r];
  }
  let q = 0;
  for (let j = 0; j < d; j++) q += b[j] * sol[j];
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + q);
}

function componentCovariance(type: CovarianceType, covariances: Float64Array, c: number, d: number): Float64Array {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (type === 'full') cov[i * d + j] = covariances[c * d * d + i * d + j];
      else if (type === 'tied') cov[i * d + j] = covariances[i * d + j];
      else if (i === j) cov[i * d + j] = type === 'diag' ? covariances[c * d + j] : covariances[c];
    }
  }
  return cov;
}

describe('predictGaussianMixture picks the component of highest weighted density, like scikit-learn’s predict', () => {
  const d = 4;
  const n = 300;
  const { data } = blobs(n, d, 4, 3, 4);
  const fresh = uniformMatrix(200, d, 9).map((v) => v * 25);
  for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`covariance_type='${type}'`, () => {
      const fit = gaussianMixture(data, n, d, { nComponents: 4, covarianceType: type, randomState: 1 });
      assert.deepEqual(Array.from(predictGaussianMixture(fit, data, n, d)), Array.from(fit.labels), 'training rows keep their labels');
      const predicted = predictGaussianMixture(fit, fresh, 200, d);
      let decided = 0;
      for (let i = 0; i < 200; i++) {
        const x = Float64Array.from(fresh.subarray(i * d, i * d + d));
        const scores = [0, 1, 2, 3].map(
          (c) => Math.log(fit.weights[c]) + logGaussian(x, fit.means.subarray(c * d, c * d + d), componentCovariance(type, fit.covariances, c, d), d),
        );
        const sorted = [...scores].sort((a, b) => b - a);
        if (sorted[0] - sorted[1] < 1e-9 * Math.abs(sorted[0])) continue; // a numerical tie: either answer is right
        decided++;
        assert.equal(predicted[i], scores.indexOf(sorted[0]), `row ${i}: scores ${scores.join(', ')}`);
      }
      assert.ok(decided > 190);
    });
  }
  it('rejects data with a different number of features', () => {
    const fit = gaussianMixture(data, n, d, { nComponents: 2, covarianceType: 'diag', randomState: 0 });
    assert.throws(() => predictGaussianMixture(fit, new Float32Array(6), 2, 3), /3 features but the model was fitted on 4/);
  });
});
