import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbscanLabels, xiClusters, xiLabels } from '../src/cluster/optics.ts';
import { allDensityFixtures, describeOptions } from './fixtures/density/density-fixtures.ts';

// The extraction steps alone, fed scikit-learn's own reachability plot, so
// that a mismatch here points at the xi / dbscan logic rather than the graph.
function countOrFraction(value: number, n: number): number {
  return value <= 1 ? Math.max(2, Math.trunc(value * n)) : value;
}

describe('OPTICS extraction matches scikit-learn on its own reachability plot', () => {
  for (const fixture of allDensityFixtures()) {
    for (const expected of fixture.optics) {
      it(`${fixture.name} ${describeOptions(expected.options)}`, () => {
        const { options } = expected;
        if (options.clusterMethod === 'dbscan') {
          const eps = options.eps ?? options.maxEps ?? Infinity;
          const labels = dbscanLabels(expected.reachability, expected.coreDistances, expected.ordering, eps);
          assert.deepEqual(Array.from(labels), Array.from(expected.labels));
          return;
        }
        const minSamples = countOrFraction(options.minSamples ?? 5, fixture.n);
        const clusters = xiClusters(expected.reachability, expected.predecessor, expected.ordering, {
          xi: options.xi ?? 0.05,
          minSamples,
          minClusterSize: options.minClusterSize == null ? minSamples : countOrFraction(options.minClusterSize, fixture.n),
          predecessorCorrection: options.predecessorCorrection ?? true,
        });
        assert.deepEqual(Array.from(clusters), Array.from(expected.clusterHierarchy));
        assert.deepEqual(Array.from(xiLabels(expected.ordering, clusters)), Array.from(expected.labels));
      });
    }
  }
});
