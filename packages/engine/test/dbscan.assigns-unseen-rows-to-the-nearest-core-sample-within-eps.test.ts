import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignDbscan, dbscan } from '../src/cluster/dbscan.ts';
import { blobs } from './helpers/random-data.ts';

function distance(a: Float32Array, i: number, b: Float32Array, j: number, d: number, metric: string): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    const x = a[i * d + k];
    const y = b[j * d + k];
    if (metric === 'cosine') {
      s += x * y;
      na += x * x;
      nb += y * y;
    } else if (metric === 'manhattan') s += Math.abs(x - y);
    else s += (x - y) * (x - y);
  }
  if (metric === 'cosine') return 1 - s / Math.sqrt(na * nb);
  return metric === 'manhattan' ? s : Math.sqrt(s);
}

describe('DBSCAN assigns unseen rows to the nearest core sample within eps', () => {
  const cases = [
    { name: 'euclidean, 3 dimensions', d: 3, eps: 1.2, metric: 'euclidean' as const },
    { name: 'manhattan, 3 dimensions', d: 3, eps: 2, metric: 'manhattan' as const },
    { name: 'cosine, 40 dimensions (brute force)', d: 40, eps: 0.02, metric: 'cosine' as const },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const all = blobs(1200, c.d, 4, 7, 0.8).data;
      const fitN = 400;
      const fitData = all.subarray(0, fitN * c.d);
      const options = { eps: c.eps, minSamples: 5, metric: c.metric };
      const fit = dbscan(fitData, fitN, c.d, options);
      assert.ok(fit.nClusters >= 2 && fit.coreSampleIndices.length > 0, 'the fit should find clusters');
      const labels = assignDbscan(fitData, fitN, c.d, fit, all, 1200, options);
      let assigned = 0;
      for (let i = 0; i < 1200; i++) {
        let best = -1;
        let bestDist = Infinity;
        for (const core of fit.coreSampleIndices) {
          const dist = distance(all, i, fitData, core, c.d, c.metric);
          if (dist < bestDist) {
            bestDist = dist;
            best = core;
          }
        }
        const expected = bestDist <= c.eps ? fit.labels[best] : -1;
        assert.equal(labels[i], expected, `row ${i}`);
        if (expected >= 0) assigned++;
      }
      assert.ok(assigned > 600, 'most rows of dense blobs should be assigned');
      for (const core of fit.coreSampleIndices) assert.equal(labels[core], fit.labels[core]);
    });
  }

  it('leaves everything as noise when the fit has no core sample', () => {
    const data = new Float32Array([0, 0, 5, 5, 10, 10]);
    const fit = dbscan(data, 3, 2, { eps: 1, minSamples: 2 });
    assert.deepEqual(Array.from(assignDbscan(data, 3, 2, fit, data, 3, { eps: 1, minSamples: 2 })), [-1, -1, -1]);
  });
});
