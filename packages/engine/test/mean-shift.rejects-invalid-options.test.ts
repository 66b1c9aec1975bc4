import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateBandwidth, meanShift } from '../src/cluster/mean-shift.ts';
import type { EstimateBandwidthOptions, MeanShiftOptions } from '../src/cluster/mean-shift.ts';
import { ComputationCanceledError } from '../src/errors.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('mean shift rejects invalid options, naming the parameter', () => {
  const data = uniformMatrix(20, 2, 4);
  const bad: Array<[string, MeanShiftOptions, RegExp]> = [
    ['bandwidth 0', { bandwidth: 0 }, /^bandwidth must be a finite number > 0 or null, got 0/],
    ['negative bandwidth', { bandwidth: -1 }, /^bandwidth must be/],
    ['NaN bandwidth', { bandwidth: NaN }, /^bandwidth must be/],
    ['min_bin_freq 0', { binSeeding: true, minBinFreq: 0 }, /^min_bin_freq must be an integer ≥ 1, got 0/],
    ['negative max_iter', { maxIter: -1 }, /^max_iter must be an integer ≥ 0, got -1/],
    ['seeds of the wrong width', { seeds: new Float64Array(3) }, /^seeds must hold at least one row of 2 values/],
    ['empty seeds', { seeds: new Float64Array(0) }, /^seeds must hold at least one row/],
    ['non-finite seeds', { seeds: Float64Array.from([0, Infinity]) }, /^seeds contains a non-finite value at row 0/],
    ['a non-boolean cluster_all', { clusterAll: 'yes' as never }, /^cluster_all must be true or false/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`throws a RangeError on ${name}`, () => {
      assert.throws(() => meanShift(data, 20, 2, options), (e: unknown) => e instanceof RangeError && pattern.test(e.message));
    });
  }

  const badEstimate: Array<[string, EstimateBandwidthOptions, RegExp]> = [
    ['quantile above 1', { quantile: 1.5 }, /^quantile must be a number in \[0, 1\]/],
    ['n_samples 0', { nSamples: 0 }, /^n_samples must be an integer ≥ 1 or null/],
    ['queryRows 0', { queryRows: 0 }, /^queryRows must be an integer ≥ 1 or null/],
  ];
  for (const [name, options, pattern] of badEstimate) {
    it(`estimateBandwidth throws a RangeError on ${name}`, () => {
      assert.throws(() => estimateBandwidth(data, 20, 2, options), (e: unknown) => e instanceof RangeError && pattern.test(e.message));
    });
  }

  it('fails like scikit-learn when no seed has a point within the bandwidth', () => {
    assert.throws(() => meanShift(data, 20, 2, { bandwidth: 0.01, seeds: Float64Array.from([50, 50]) }), /^RangeError: bandwidth=0.01: no point was within/);
  });

  it('stops when shouldStop asks', () => {
    let polls = 0;
    assert.throws(() => meanShift(uniformMatrix(500, 2, 1), 500, 2, { bandwidth: 0.3, shouldStop: () => ++polls > 2 }), ComputationCanceledError);
  });
});
