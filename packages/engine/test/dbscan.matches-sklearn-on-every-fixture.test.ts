import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbscan } from '../src/cluster/dbscan.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { allDensityFixtures, describeOptions } from './fixtures/density/density-fixtures.ts';

// Both search paths must give scikit-learn's labels exactly: same partition,
// same cluster numbering, same border assignments, same core samples.
describe('DBSCAN matches scikit-learn on every fixture', () => {
  for (const fixture of allDensityFixtures()) {
    for (const expected of fixture.dbscan) {
      for (const algorithm of ['kd_tree', 'brute'] as const) {
        it(`${fixture.name} ${describeOptions(expected.options)} (${algorithm})`, () => {
          const result = dbscan(fixture.data, fixture.n, fixture.d, { ...expected.options, algorithm });
          assert.equal(adjustedRandIndex(result.labels, expected.labels), 1);
          assert.deepEqual(Array.from(result.labels), Array.from(expected.labels));
          assert.deepEqual(Array.from(result.coreSampleIndices), Array.from(expected.coreSampleIndices));
          assert.equal(result.nClusters, Math.max(-1, ...expected.labels) + 1);
        });
      }
    }
  }
});
