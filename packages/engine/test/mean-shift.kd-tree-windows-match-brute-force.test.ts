import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { meanShift } from '../src/cluster/mean-shift.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

// scikit-learn's mean shift written plainly, with every window found by
// checking every point: the engine's kd-tree (node pruning, whole-node sums)
// must find exactly the same windows.
function bruteForceMeanShift(data: Float32Array, n: number, d: number, bandwidth: number, maxIter = 300) {
  const r2 = bandwidth * bandwidth;
  const found = new Map<string, { centre: number[]; count: number }>();
  let nIter = 0;
  for (let s = 0; s < n; s++) {
    let mean = Array.from(data.subarray(s * d, s * d + d), Number);
    let completed = 0;
    let count = 0;
    for (;;) {
      const sum = new Array<number>(d).fill(0);
      count = 0;
      for (let i = 0; i < n; i++) {
        let dist = 0;
        for (let j = 0; j < d; j++) dist += (data[i * d + j] - mean[j]) ** 2;
        if (dist <= r2) {
          count++;
          for (let j = 0; j < d; j++) sum[j] += data[i * d + j];
        }
      }
      if (count === 0) break;
      const next = sum.map((v) => v / count);
      const shift = Math.sqrt(next.reduce((acc, v, j) => acc + (v - mean[j]) ** 2, 0));
      mean = next;
      if (shift < 1e-3 * bandwidth || completed === maxIter) break;
      completed++;
    }
    nIter = Math.max(nIter, completed);
    if (count > 0) found.set(mean.join(','), { centre: mean, count });
  }
  const ranked = [...found.values()].sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    for (let j = 0; j < d; j++) if (a.centre[j] !== b.centre[j]) return a.centre[j] > b.centre[j] ? -1 : 1;
    return 0;
  });
  const kept: number[][] = [];
  const gone = new Set<number>();
  ranked.forEach((c, i) => {
    if (gone.has(i)) return;
    kept.push(c.centre);
    ranked.forEach((o, j) => {
      if (j > i && o.centre.reduce((acc, v, t) => acc + (v - c.centre[t]) ** 2, 0) <= r2) gone.add(j);
    });
  });
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    kept.forEach((c, k) => {
      const dist = c.reduce((acc, v, j) => acc + (data[i * d + j] - v) ** 2, 0);
      if (dist < best) {
        best = dist;
        labels[i] = k;
      }
    });
  }
  return { kept, labels, nIter };
}

describe('mean shift windows from the kd-tree match brute force', () => {
  const cases = [
    { name: 'blobs 600×3', n: 600, d: 3, data: blobs(600, 3, 5, 3, 1.5).data, bandwidth: 4 },
    { name: 'uniform 500×2 (many small windows)', n: 500, d: 2, data: uniformMatrix(500, 2, 9), bandwidth: 0.25 },
    { name: 'blobs 300×12', n: 300, d: 12, data: blobs(300, 12, 4, 5, 2).data, bandwidth: 9 },
  ];
  for (const { name, n, d, data, bandwidth } of cases) {
    it(`${name}: same centres, labels and iterations`, () => {
      const expected = bruteForceMeanShift(data, n, d, bandwidth);
      const result = meanShift(data, n, d, { bandwidth });
      assert.equal(result.nClusters, expected.kept.length);
      assert.equal(result.nIter, expected.nIter);
      assert.deepEqual(result.labels, expected.labels);
      expected.kept.forEach((c, k) => {
        for (let j = 0; j < d; j++) assert.ok(Math.abs(result.clusterCenters[k * d + j] - c[j]) <= 1e-9, `centre ${k}`);
      });
    });
  }
});
