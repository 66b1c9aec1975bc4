import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EStep } from '../src/cluster/gaussian-mixture/e-step.ts';
import { prepareLogDensity } from '../src/cluster/gaussian-mixture/log-density.ts';
import { estimateGaussianParameters, precisionCholeskyFromCovariances } from '../src/cluster/gaussian-mixture/parameters.ts';
import type { MixtureParameters } from '../src/cluster/gaussian-mixture/parameters.ts';
import { Responsibilities } from '../src/cluster/gaussian-mixture/responsibilities.ts';
import { blobs } from './helpers/random-data.ts';

// The full/diag/spherical E-step skips (point, component) pairs whose bound
// proves a responsibility below e^-50. Driving EM with the unpruned E-step
// and evaluating the pruned one on the very same parameters at every
// iteration must give the same lower bound, labels and responsibilities.
function rowMap(resp: Responsibilities, i: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let e = resp.rowStart[i]; e < resp.rowStart[i + 1]; e++) m.set(resp.component[e], resp.value[e]);
  return m;
}

describe('the pruned E-step equals the full E-step', () => {
  for (const type of ['full', 'diag', 'spherical'] as const) {
    for (const [spread, label] of [
      [2, 'well separated'],
      [7, 'overlapping'],
    ] as const) {
      it(`covariance_type='${type}', ${label} blobs`, () => {
        const n = 1500;
        const d = 5;
        const k = 12;
        const { data, labels: truth } = blobs(n, d, k, 11, spread);
        const full = new EStep(data, n, d, k, false);
        const pruned = new EStep(data, n, d, k, true);
        const respFull = new Responsibilities(n, n);
        const respPruned = new Responsibilities(n, n);
        // Start from a deliberately poor one-hot assignment so parameters move a lot.
        for (let i = 0; i < n; i++) {
          respFull.push((truth[i] + (i % 5 === 0 ? 1 : 0)) % k, 1);
          respFull.endRow();
        }
        let est = estimateGaussianParameters(data, d, respFull, n, k, type, 1e-6, null);
        let params: MixtureParameters = {
          covarianceType: type,
          nComponents: k,
          d,
          weights: est.nk.map((v) => v / n),
          means: est.means,
          covariances: est.covariances,
          precisionsCholesky: precisionCholeskyFromCovariances(est.covariances, type, k, d),
          upperCholesky: true,
        };
        for (let iter = 0; iter < 12; iter++) {
          const dens = prepareLogDensity(params);
          const a = full.run(dens, respFull);
          const b = pruned.run(dens, respPruned);
          assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(a), `iteration ${iter}: lower bound ${b} vs ${a}`);
          assert.deepEqual(Array.from(pruned.labels), Array.from(full.labels), `iteration ${iter}: labels`);
          for (let i = 0; i < n; i++) {
            const x = rowMap(respFull, i);
            const y = rowMap(respPruned, i);
            for (const [c, v] of x) {
              const w = y.get(c) ?? 0;
              assert.ok(Math.abs(v - w) <= 1e-12 + 1e-9 * v, `iteration ${iter}, row ${i}, component ${c}: ${w} vs ${v}`);
            }
          }
          est = estimateGaussianParameters(data, d, respFull, n, k, type, 1e-6, null);
          const total = est.nk.reduce((s, v) => s + v, 0);
          params = {
            ...params,
            weights: est.nk.map((v) => v / total),
            means: est.means,
            covariances: est.covariances,
            precisionsCholesky: precisionCholeskyFromCovariances(est.covariances, type, k, d),
          };
        }
      });
    }
  }
});
