import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agglomerative } from '../src/cluster/agglomerative.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { HIERARCHY_FIXTURES, loadHierarchyFixture } from './fixtures/hierarchy/load.ts';

// scikit-learn's children_, distances_, n_clusters_ and labels_ (numbering
// included) for every linkage, cut by n_clusters and by distance_threshold,
// and for manhattan / cosine with average, complete and single linkage. The
// fixtures include exact ties (iris has duplicate rows, digits is
// integer-valued), which the tree must break as scipy / scikit-learn do.
describe('agglomerative clustering reproduces scikit-learn on every fixture', () => {
  for (const name of HIERARCHY_FIXTURES) {
    const fixture = loadHierarchyFixture(name);
    for (const c of fixture.agglomerative) {
      const cut = c.distanceThreshold === null ? `n_clusters=${c.nClusters}` : `distance_threshold=${c.distanceThreshold.toPrecision(6)}`;
      it(`${name}: ${c.linkage} / ${c.metric}, ${cut}`, () => {
        const result = agglomerative(fixture.data, fixture.n, fixture.d, {
          linkage: c.linkage,
          metric: c.metric,
          nClusters: c.nClusters,
          distanceThreshold: c.distanceThreshold,
          computeDistances: true,
        });
        assert.equal(result.nClusters, c.expectedNClusters);
        assert.equal(result.nLeaves, fixture.n);
        assert.equal(adjustedRandIndex(result.labels, c.labels), 1);
        assert.deepEqual(result.labels, c.labels, 'cluster numbering differs from scikit-learn');
        assert.deepEqual(result.children, c.children, 'children_ differs from scikit-learn');
        const distances = result.distances!;
        assert.equal(distances.length, fixture.n - 1);
        for (let i = 0; i < distances.length; i++) {
          const expected = c.distances[i];
          // Distances from the blocked dot kernel (d > 16) or cosine differ from
          // pdist's in the last bits; the rest are bit-identical.
          assert.ok(Math.abs(distances[i] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `distances_[${i}]: ${distances[i]} vs ${expected}`);
        }
      });
    }
  }
});

describe('agglomerative clustering without distances', () => {
  it('returns distances only when asked or when cutting by distance', () => {
    const fixture = loadHierarchyFixture('iris');
    const byK = agglomerative(fixture.data, fixture.n, fixture.d, { nClusters: 3 });
    assert.equal(byK.distances, null);
    const byThreshold = agglomerative(fixture.data, fixture.n, fixture.d, { distanceThreshold: 5 });
    assert.ok(byThreshold.distances instanceof Float64Array);
  });
});
