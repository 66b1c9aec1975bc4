import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infeasibility } from '../../src/compute/feasibility.ts';

test('O(n²) methods on a million points are refused, naming sample_size and an alternative', () => {
  const agglo = infeasibility('agglomerative', { linkage: 'ward' }, 1_000_000, 768);
  assert.match(agglo!, /sample_size to at most 30,000/);
  assert.match(infeasibility('agglomerative', { linkage: 'single' }, 1_000_000, 768)!, /at most 100,000/);
  assert.match(agglo!, /kmeans/);
  const dbscan = infeasibility('dbscan', {}, 1_000_000, 768);
  assert.match(dbscan!, /768-dimensional/);
  assert.match(dbscan!, /sample_size to at most 51,031/);
  assert.match(infeasibility('spectral', { affinity: 'rbf' }, 50_000, 16)!, /nearest_neighbors/);
  assert.match(infeasibility('spectral', { affinity: 'nearest_neighbors' }, 200_000, 768)!, /at most 8,068/);
  assert.match(infeasibility('gaussian_mixture', { n_components: 10, covariance_type: 'full' }, 100_000, 768)!, /covariance_type 'diag'/);
});

test('the same methods at sizes they handle, and k-means at any size, pass', () => {
  assert.equal(infeasibility('agglomerative', { linkage: 'ward' }, 20_000, 64), null);
  assert.equal(infeasibility('dbscan', {}, 1_000_000, 10), null);
  assert.equal(infeasibility('spectral', { affinity: 'nearest_neighbors' }, 20_000, 64), null);
  assert.equal(infeasibility('gaussian_mixture', { n_components: 50, covariance_type: 'diag' }, 100_000, 64), null);
  assert.equal(infeasibility('kmeans', {}, 10_000_000, 768), null);
  assert.equal(infeasibility('hdbscan', {}, 1_000_000, 768), null);
});
