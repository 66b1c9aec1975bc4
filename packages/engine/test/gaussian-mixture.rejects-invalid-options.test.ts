import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianMixture } from '../src/cluster/gaussian-mixture.ts';
import type { GaussianMixtureOptions } from '../src/cluster/gaussian-mixture.ts';
import { blobs } from './helpers/random-data.ts';

const n = 60;
const d = 3;
const { data } = blobs(n, d, 3, 7);

function rejects(options: GaussianMixtureOptions, parameter: string, pattern?: RegExp): void {
  assert.throws(
    () => gaussianMixture(data, n, d, options),
    (error: unknown) => {
      assert.ok(error instanceof RangeError, `expected a RangeError, got ${String(error)}`);
      assert.ok(error.message.startsWith(parameter), `message should start with '${parameter}': ${error.message}`);
      if (pattern) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('Gaussian mixture rejects invalid options with messages naming the parameter', () => {
  it('n_components must be an integer ≥ 1 and at most n', () => {
    rejects({ nComponents: 0 }, 'n_components');
    rejects({ nComponents: 2.5 }, 'n_components');
    rejects({ nComponents: n + 1 }, 'n_components', /n_samples=60/);
  });
  it('covariance_type, init_params must be known names', () => {
    rejects({ covarianceType: 'diagonal' as never }, 'covariance_type', /'full', 'tied', 'diag', 'spherical'/);
    rejects({ initParams: 'kmeans++' as never }, 'init_params');
  });
  it('tol, reg_covar must be finite and ≥ 0; max_iter ≥ 0 and n_init ≥ 1 integers', () => {
    rejects({ tol: -1 }, 'tol');
    rejects({ tol: Number.NaN }, 'tol');
    rejects({ regCovar: -1e-6 }, 'reg_covar');
    rejects({ maxIter: -1 }, 'max_iter');
    rejects({ maxIter: 1.5 }, 'max_iter');
    rejects({ nInit: 0 }, 'n_init');
    rejects({ randomState: Number.POSITIVE_INFINITY }, 'random_state');
  });
  it('warm_start=true is refused: every execution fits a fresh model', () => {
    rejects({ warmStart: true }, 'warm_start', /fresh model/);
  });
  it('weights_init must have shape (k,), lie in [0, 1] and sum to 1', () => {
    rejects({ nComponents: 3, weightsInit: [0.5, 0.5] }, 'weights_init', /\(3,\)/);
    rejects({ nComponents: 3, weightsInit: [0.5, 0.6, -0.1] }, 'weights_init', /\[0, 1\]/);
    rejects({ nComponents: 3, weightsInit: [0.3, 0.3, 0.3] }, 'weights_init', /sum to 1/);
  });
  it('means_init must have shape (k, d)', () => {
    rejects({ nComponents: 2, meansInit: [[0, 0, 0]] }, 'means_init', /\(2, 3\)/);
    rejects({ nComponents: 2, meansInit: [[0, 0], [1, 1]] }, 'means_init', /got \(2, 2\)/);
    rejects({ nComponents: 2, meansInit: [[0, 0, 0], [1, 1]] }, 'means_init', /rectangular/);
    rejects({ nComponents: 2, meansInit: new Float64Array(5) }, 'means_init');
  });
  it('precisions_init must have the shape of the covariance type and be positive (definite)', () => {
    rejects({ nComponents: 2, covarianceType: 'spherical', precisionsInit: [1, 0] }, 'precisions_init', /positive/);
    rejects({ nComponents: 2, covarianceType: 'diag', precisionsInit: [1, 1] }, 'precisions_init', /\(2, 3\)/);
    const notSymmetric = [
      [1, 0.5, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    rejects({ nComponents: 2, covarianceType: 'tied', precisionsInit: notSymmetric }, 'precisions_init', /symmetric/);
    const indefinite = [
      [1, 2, 0],
      [2, 1, 0],
      [0, 0, 1],
    ];
    rejects({ nComponents: 1, covarianceType: 'full', precisionsInit: [indefinite] }, 'precisions_init', /positive definite/);
  });
  it('a covariance that collapses (reg_covar = 0 on duplicated points) fails with advice', () => {
    const dup = new Float32Array(n * d);
    for (let i = 0; i < n; i++) dup.set([i % 2, i % 2, 0], i * d);
    assert.throws(
      () => gaussianMixture(dup, n, d, { nComponents: 2, regCovar: 0, covarianceType: 'diag', randomState: 0 }),
      /^RangeError: reg_covar is too small.*increase reg_covar/,
    );
  });
  it('data must be a finite n×d Float32Array with n ≥ 2', () => {
    assert.throws(() => gaussianMixture(new Float32Array([1, 2, 3]), 1, 3, {}), RangeError);
    assert.throws(() => gaussianMixture(new Float32Array([1, Number.NaN]), 2, 1, {}), RangeError);
  });
});
