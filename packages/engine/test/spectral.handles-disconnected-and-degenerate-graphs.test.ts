import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spectralClustering } from '../src/cluster/spectral.ts';
import { knnAffinity } from '../src/cluster/spectral/affinity.ts';
import { blobs } from './helpers/random-data.ts';

// Graphs with several connected components make eigenvalue 0 of the
// Laplacian repeated; the embedding then maps each component to a single
// point, so no component may be split between labels. Other degenerate
// inputs (complete graphs, isolated points, tiny n) must still give finite
// embeddings and valid labels.
function assertValid(labels: Int32Array, k: number): void {
  for (const l of labels) assert.ok(Number.isInteger(l) && l >= 0 && l < k, `label ${l}`);
}

describe('spectral clustering on disconnected and degenerate graphs', () => {
  const { data } = blobs(240, 3, 6, 2, 0.3); // six tight, far-apart blobs: a 6-component kNN graph
  const components = knnAffinity(data, 240, 3, 5).components();

  for (const nClusters of [3, 6, 8]) {
    for (const assignLabels of ['kmeans', 'discretize', 'cluster_qr'] as const) {
      it(`${components.count} components, n_clusters=${nClusters}, assign_labels='${assignLabels}': components stay whole`, () => {
        assert.equal(components.count, 6);
        const result = spectralClustering(data, 240, 3, { nClusters, affinity: 'nearest_neighbors', nNeighbors: 5, assignLabels, randomState: 1 });
        assertValid(result.labels, nClusters);
        assert.equal(result.connectedComponents, 6);
        for (const v of result.embedding) assert.ok(Number.isFinite(v));
        for (let j = 0; j < Math.min(nClusters, 6); j++) assert.ok(Math.abs(result.eigenvalues[j]) <= 1e-12, `eigenvalue ${j} is 0`);
        if (nClusters <= 6) {
          const labelOf = new Map<number, number>();
          for (let i = 0; i < 240; i++) {
            const c = components.ids[i];
            if (!labelOf.has(c)) labelOf.set(c, result.labels[i]);
            assert.equal(result.labels[i], labelOf.get(c), `row ${i} of component ${c}`);
          }
        }
      });
    }
  }

  it('gamma = 0 (every affinity 1, a complete graph with one repeated eigenvalue) still yields a valid result', () => {
    const result = spectralClustering(data, 240, 3, { nClusters: 3, gamma: 0, randomState: 0 });
    assertValid(result.labels, 3);
    assert.ok(Math.abs(result.eigenvalues[0]) <= 1e-12);
    for (let j = 1; j < 3; j++) assert.ok(Math.abs(result.eigenvalues[j] - 240 / 239) <= 1e-9, `eigenvalue ${j}: ${result.eigenvalues[j]}`);
  });

  it('an isolated point (all its affinities underflow) keeps the embedding finite', () => {
    const withOutlier = new Float32Array(241 * 3);
    withOutlier.set(data);
    withOutlier.set([1e4, 1e4, 1e4], 240 * 3);
    const result = spectralClustering(withOutlier, 241, 3, { nClusters: 6, gamma: 0.5, randomState: 0 });
    assertValid(result.labels, 6);
    for (const v of result.embedding) assert.ok(Number.isFinite(v));
  });

  it('tiny inputs and n_components > n_clusters work', () => {
    const small = new Float32Array([0, 0, 0.1, 0, 5, 5, 5.1, 5, 10, 0]);
    const result = spectralClustering(small, 5, 2, { nClusters: 2, gamma: 0.5, nComponents: 3, randomState: 0 });
    assert.equal(result.nComponents, 3);
    assert.equal(result.embedding.length, 15);
    assertValid(result.labels, 2);
    assert.equal(result.labels[0], result.labels[1]);
    assert.equal(result.labels[2], result.labels[3]);
  });
});
