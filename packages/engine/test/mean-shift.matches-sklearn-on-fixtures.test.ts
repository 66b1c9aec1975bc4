import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateBandwidth, meanShift } from '../src/cluster/mean-shift.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { HIERARCHY_FIXTURES, loadHierarchyFixture, rowsOf } from './fixtures/hierarchy/load.ts';

describe('estimateBandwidth equals scikit-learn estimate_bandwidth', () => {
  for (const name of HIERARCHY_FIXTURES) {
    it(`${name}: quantile 0.3 and 0.1 within 1e-9 relative`, () => {
      const f = loadHierarchyFixture(name);
      const close = (actual: number, expected: number) =>
        assert.ok(Math.abs(actual - expected) <= 1e-9 * expected, `${actual} vs ${expected}`);
      close(estimateBandwidth(f.data, f.n, f.d), f.estimatedBandwidth);
      close(estimateBandwidth(f.data, f.n, f.d, { quantile: 0.1 }), f.estimatedBandwidthQuantile01);
    });
  }
});

// Given bandwidth, bandwidth=None, bin seeding (min_bin_freq 1 and 3,
// cluster_all false), cluster_all false, and explicit seeds: the same
// centres in the same order, the same labels and the same n_iter_.
describe('meanShift reproduces scikit-learn MeanShift on every fixture', () => {
  for (const name of HIERARCHY_FIXTURES) {
    const f = loadHierarchyFixture(name);
    for (const c of f.meanShift) {
      const what = [
        `bandwidth=${c.bandwidth === null ? 'None' : c.bandwidth.toPrecision(5)}`,
        c.binSeeding ? `bin_seeding min_bin_freq=${c.minBinFreq}` : '',
        c.clusterAll ? '' : 'cluster_all=False',
        c.seedRows ? `${c.seedRows.length} seeds` : '',
      ]
        .filter(Boolean)
        .join(', ');
      it(`${name}: ${what}`, () => {
        const options = {
          bandwidth: c.bandwidth,
          binSeeding: c.binSeeding,
          minBinFreq: c.minBinFreq,
          clusterAll: c.clusterAll,
          seeds: c.seedRows ? rowsOf(f, c.seedRows) : null,
        };
        if (c.error !== null) {
          // scikit-learn: "No point was within bandwidth=… of any seed."
          assert.throws(() => meanShift(f.data, f.n, f.d, options), /^RangeError: bandwidth=.*no point was within the bandwidth of any seed/);
          return;
        }
        const result = meanShift(f.data, f.n, f.d, options);
        assert.equal(result.nClusters, c.nClusters);
        assert.equal(result.nIter, c.nIter);
        assert.equal(adjustedRandIndex(result.labels, c.labels), 1);
        assert.deepEqual(result.labels, c.labels);
        for (let i = 0; i < c.clusterCenters.length; i++) {
          const e = c.clusterCenters[i];
          assert.ok(Math.abs(result.clusterCenters[i] - e) <= 1e-12 * Math.max(1, Math.abs(e)), `centre value ${i}: ${result.clusterCenters[i]} vs ${e}`);
        }
      });
    }
  }
});
