import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianMixture } from '../src/cluster/gaussian-mixture.ts';
import { kmeans } from '../src/cluster/kmeans.ts';
import { ComputationCanceledError } from '../src/errors.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { blobs } from './helpers/random-data.ts';

const n = 400;
const d = 3;
const k = 4;
const { data, labels: truth } = blobs(n, d, k, 5, 1);
const EPS10 = 10 * Number.EPSILON;

function isDataRowOverMass(mean: Float64Array): boolean {
  // scikit-learn's one-hot start on a single row gives mean = x / (1 + 10ε).
  for (let i = 0; i < n; i++) {
    let same = true;
    for (let j = 0; j < d && same; j++) same = Math.abs(mean[j] - data[i * d + j] / (1 + EPS10)) <= 1e-12 * (1 + Math.abs(mean[j]));
    if (same) return true;
  }
  return false;
}

describe('Gaussian mixture initialisations follow scikit-learn', () => {
  it("max_iter=0 returns the start: 'kmeans' means are the cluster means of kmeans(nInit=1, same seed)", () => {
    const fit = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'diag', maxIter: 0, randomState: 17 });
    assert.equal(fit.nIter, 0);
    assert.equal(fit.lowerBound, -Infinity);
    assert.equal(fit.converged, false);
    const km = kmeans(data, n, d, { nClusters: k, nInit: 1, randomState: 17 });
    for (let c = 0; c < k; c++) {
      let count = 0;
      const sum = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        if (km.labels[i] !== c) continue;
        count++;
        for (let j = 0; j < d; j++) sum[j] += data[i * d + j];
      }
      assert.ok(Math.abs(fit.weights[c] - count / n) <= 1e-12, `weight ${c}`);
      for (let j = 0; j < d; j++) assert.ok(Math.abs(fit.means[c * d + j] - sum[j] / (count + EPS10)) <= 1e-9, `mean ${c},${j}`);
    }
  });

  for (const init of ['k-means++', 'random_from_data'] as const) {
    it(`max_iter=0 with '${init}': every mean is one data row, variances are reg_covar, weights (1+10ε)/n`, () => {
      const fit = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'diag', initParams: init, maxIter: 0, randomState: 3 });
      for (let c = 0; c < k; c++) {
        assert.ok(isDataRowOverMass(fit.means.subarray(c * d, c * d + d)), `mean ${c} is a data row`);
        assert.ok(Math.abs(fit.weights[c] - (1 + EPS10) / n) <= 1e-18, `weight ${c}`);
        for (let j = 0; j < d; j++) assert.ok(Math.abs(fit.covariances[c * d + j] - 1e-6) <= 1e-12, `variance ${c},${j}`);
      }
    });
  }

  it("max_iter=0 with 'random': weights are column means of a row-stochastic matrix", () => {
    const fit = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'spherical', initParams: 'random', maxIter: 0, randomState: 3 });
    const total = fit.weights.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(total - 1) <= 1e-12 + k * EPS10, `Σ weights ${total}`);
    for (const w of fit.weights) assert.ok(w > 0.1 && w < 0.4, `weight ${w} near 1/k`);
  });

  it('max_iter=0 with precisions_init reports the matching covariances (Σ·P = I)', () => {
    const p = [
      [
        [2, 0.5, 0],
        [0.5, 1, 0.2],
        [0, 0.2, 3],
      ],
    ];
    const fit = gaussianMixture(data, n, d, { nComponents: 1, covarianceType: 'full', precisionsInit: p, maxIter: 0, randomState: 0 });
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += fit.covariances[i * d + t] * p[0][t][j];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) <= 1e-12, `(Σ·P)[${i}][${j}] = ${s}`);
        assert.ok(Math.abs(fit.precisions[i * d + j] - p[0][i][j]) <= 1e-12, `precisions[${i}][${j}]`);
      }
    }
  });

  for (const init of ['kmeans', 'k-means++', 'random', 'random_from_data'] as const) {
    it(`'${init}' start fits well-separated blobs (ARI ≥ 0.95 vs truth with n_init=3)`, () => {
      const fit = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'full', initParams: init, nInit: 3, randomState: 0 });
      assert.ok(adjustedRandIndex(fit.labels, truth) >= 0.95, `ARI ${adjustedRandIndex(fit.labels, truth)}`);
      assert.ok(fit.converged);
    });
  }

  it('the same random_state gives identical fits; shouldStop cancels', () => {
    const a = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'tied', initParams: 'random', nInit: 2, randomState: 8 });
    const b = gaussianMixture(data, n, d, { nComponents: k, covarianceType: 'tied', initParams: 'random', nInit: 2, randomState: 8 });
    assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
    assert.equal(a.lowerBound, b.lowerBound);
    let calls = 0;
    assert.throws(
      () => gaussianMixture(data, n, d, { nComponents: k, shouldStop: () => ++calls > 3, randomState: 0 }),
      ComputationCanceledError,
    );
  });
});
