import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RBF_MAX_SAMPLES, spectralClustering } from '../src/cluster/spectral.ts';
import type { SpectralOptions } from '../src/cluster/spectral.ts';
import { blobs } from './helpers/random-data.ts';

const n = 40;
const d = 2;
const { data } = blobs(n, d, 2, 3);

function rejects(options: SpectralOptions, parameter: string, pattern?: RegExp, rows = n, values = data): void {
  assert.throws(
    () => spectralClustering(values, rows, values.length / rows, options),
    (error: unknown) => {
      assert.ok(error instanceof RangeError, `expected a RangeError, got ${String(error)}`);
      assert.ok(error.message.startsWith(parameter), `message should start with '${parameter}': ${error.message}`);
      if (pattern) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('spectral clustering rejects invalid options with messages naming the parameter', () => {
  it('n_clusters, n_components, n_init, n_neighbors must be integers in range', () => {
    rejects({ nClusters: 0 }, 'n_clusters');
    rejects({ nClusters: n + 1 }, 'n_clusters', /n_samples=40/);
    rejects({ nClusters: 2, nComponents: 0 }, 'n_components');
    rejects({ nClusters: 2, nComponents: n }, 'n_components', /smaller than the number of samples/);
    rejects({ nClusters: 2, nInit: 0 }, 'n_init');
    rejects({ nClusters: 2, affinity: 'nearest_neighbors', nNeighbors: 0 }, 'n_neighbors');
    rejects({ nClusters: 2, affinity: 'nearest_neighbors', nNeighbors: n + 1 }, 'n_neighbors', /n_samples=40/);
  });
  it('affinity, assign_labels, eigen_solver must be supported names; amg is refused with a reason', () => {
    rejects({ affinity: 'precomputed' as never }, 'affinity', /not supported/);
    rejects({ assignLabels: 'spectral' as never }, 'assign_labels');
    rejects({ eigenSolver: 'amg' as never }, 'eigen_solver', /pyamg/);
    rejects({ eigenSolver: 'eigh' as never }, 'eigen_solver');
  });
  it('gamma and eigen_tol must be finite and ≥ 0; random_state finite', () => {
    rejects({ gamma: -1 }, 'gamma');
    rejects({ gamma: Number.POSITIVE_INFINITY }, 'gamma');
    rejects({ eigenTol: -1e-3 }, 'eigen_tol');
    rejects({ randomState: Number.NaN }, 'random_state');
  });
  it(`affinity 'rbf' fails fast above ${RBF_MAX_SAMPLES} rows, suggesting nearest_neighbors or sample_size`, () => {
    const rows = RBF_MAX_SAMPLES + 1;
    const big = new Float32Array(rows);
    rejects({ nClusters: 2 }, 'affinity', /nearest_neighbors.*sample_size/, rows, big);
  });
  it("affinity 'nearest_neighbors' fails fast when the brute-force search would take too long", () => {
    const rows = 60_000;
    const wide = new Float32Array(rows * 64);
    rejects({ nClusters: 2, affinity: 'nearest_neighbors' }, 'affinity', /sample_size/, rows, wide);
  });
});
