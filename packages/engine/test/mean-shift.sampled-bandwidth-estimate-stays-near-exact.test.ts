import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateBandwidth } from '../src/cluster/mean-shift.ts';
import { blobs } from './helpers/random-data.ts';

// The exact estimate averages, over all rows, the distance to the
// ⌊0.3·n⌋-th nearest row. Averaging over a seeded subset of query rows keeps
// every distance exact, so it must land near the exact value; the bound is
// four standard errors of that mean, measured on the same data.
describe('estimateBandwidth with sampled query rows stays near the exact estimate', () => {
  const n = 3000;
  const d = 5;
  const data = blobs(n, d, 6, 12, 3).data;
  const exact = estimateBandwidth(data, n, d);

  it('is deterministic for a seed and varies across seeds', () => {
    const a = estimateBandwidth(data, n, d, { queryRows: 300, randomState: 1 });
    assert.equal(estimateBandwidth(data, n, d, { queryRows: 300, randomState: 1 }), a);
    assert.notEqual(estimateBandwidth(data, n, d, { queryRows: 300, randomState: 2 }), a);
  });

  it('averages over 300 of 3000 rows within four standard errors', () => {
    // Spread of the per-row k-th-neighbour distances, from single-row estimates.
    const perRow: number[] = [];
    for (let seed = 0; seed < 200; seed++) perRow.push(estimateBandwidth(data, n, d, { queryRows: 1, randomState: 1000 + seed }));
    const mean = perRow.reduce((a, b) => a + b, 0) / perRow.length;
    const sd = Math.sqrt(perRow.reduce((a, b) => a + (b - mean) ** 2, 0) / (perRow.length - 1));
    const standardError = sd / Math.sqrt(300);
    for (let seed = 0; seed < 5; seed++) {
      const sampled = estimateBandwidth(data, n, d, { queryRows: 300, randomState: seed });
      assert.ok(Math.abs(sampled - exact) <= 4 * standardError, `seed ${seed}: ${sampled} vs exact ${exact} (se ${standardError})`);
    }
  });

  it('with n_samples estimates on a subsample like scikit-learn does', () => {
    const sub = estimateBandwidth(data, n, d, { nSamples: 1000, randomState: 0 });
    assert.ok(Math.abs(sub - exact) / exact < 0.05, `${sub} vs ${exact}`);
    assert.equal(estimateBandwidth(data, n, d, { nSamples: n }), exact);
  });
});
