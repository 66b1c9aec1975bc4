import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agglomerative, assignAgglomerative } from '../src/cluster/agglomerative.ts';
import type { AgglomerativeMetric } from '../src/cluster/agglomerative.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

function bruteForceNearestLabel(
  fit: Float32Array,
  fitN: number,
  d: number,
  fitLabels: Int32Array,
  rows: Float32Array,
  n: number,
  metric: AgglomerativeMetric,
): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bestAt = -1;
    for (let f = 0; f < fitN; f++) {
      let diffSum = 0;
      let dot = 0;
      let nx = 0;
      let ny = 0;
      for (let j = 0; j < d; j++) {
        const x = rows[i * d + j];
        const y = fit[f * d + j];
        diffSum += metric === 'manhattan' ? Math.abs(x - y) : (x - y) ** 2;
        dot += x * y;
        nx += x * x;
        ny += y * y;
      }
      const dist = metric === 'cosine' ? 1 - dot / Math.sqrt(nx * ny) : diffSum;
      if (dist < best) {
        best = dist;
        bestAt = f;
      }
    }
    out[i] = fitLabels[bestAt];
  }
  return out;
}

describe('assignAgglomerative gives each unseen row the label of its nearest fitted point', () => {
  for (const metric of ['euclidean', 'manhattan', 'cosine'] as const) {
    for (const d of [3, 40]) {
      it(`${metric}, ${d} dimensions`, () => {
        const fit = blobs(300, d, 5, 21 + d).data;
        const fitted = agglomerative(fit, 300, d, { linkage: 'average', metric, nClusters: 5 });
        const rows = blobs(333, d, 5, 21 + d, 2).data;
        const labels = assignAgglomerative(fit, 300, d, fitted.labels, rows, 333, { metric });
        assert.deepEqual(labels, bruteForceNearestLabel(fit, 300, d, fitted.labels, rows, 333, metric));
      });
    }
  }

  it('gives the fitted rows back their own labels', () => {
    const fit = uniformMatrix(200, 4, 5);
    const fitted = agglomerative(fit, 200, 4, { nClusters: 6 });
    assert.deepEqual(assignAgglomerative(fit, 200, 4, fitted.labels, fit, 200), fitted.labels);
  });

  it('sends an all-zero row to its euclidean nearest fitted point under cosine', () => {
    const fit = Float32Array.from([5, 5, 0.1, 0.2, -3, 1]);
    const labels = Int32Array.from([0, 1, 2]);
    assert.deepEqual(assignAgglomerative(fit, 3, 2, labels, Float32Array.from([0, 0]), 1, { metric: 'cosine' }), Int32Array.from([1]));
  });
});
