import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignSpectralClusters, spectralClustering } from '../src/cluster/spectral.ts';
import { knnAffinity } from '../src/cluster/spectral/affinity.ts';
import { nearestNeighbors } from '../src/cluster/spectral/neighbors.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

function sqDist(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (a[i * d + t] - b[j * d + t]) ** 2;
  return s;
}

describe('spectral clustering’s neighbour searches agree with a direct computation', () => {
  const n = 700; // spans several 128-row blocks
  const d = 5;
  const data = uniformMatrix(n, d, 21);
  // Duplicated rows create exact ties, which must go to the lower index.
  data.set(data.subarray(0, d), 300 * d);
  data.set(data.subarray(7 * d, 8 * d), 650 * d);

  it('the k nearest rows (self included), nearest first, ties by index', () => {
    const k = 6;
    const { indices, distances } = nearestNeighbors(data, n, d, k);
    for (let i = 0; i < n; i++) {
      const order = Array.from({ length: n }, (_, j) => j)
        .map((j) => ({ j, v: j === i ? 0 : sqDist(data, i, data, j, d) }))
        .sort((a, b) => a.v - b.v || a.j - b.j);
      for (let t = 0; t < k; t++) {
        assert.ok(Math.abs(distances[i * k + t] - order[t].v) <= 1e-9, `row ${i}, rank ${t}: distance`);
        // Distances equal to rounding may swap; otherwise the index must match.
        if (t + 1 < n && Math.abs(order[t].v - order[t + 1].v) > 1e-9 && (t === 0 || Math.abs(order[t].v - order[t - 1].v) > 1e-9)) {
          assert.equal(indices[i * k + t], order[t].j, `row ${i}, rank ${t}`);
        }
      }
    }
    // Row 300 duplicates row 0: row 0 must list itself before 300, row 300 lists 0 first (lower index).
    assert.deepEqual([indices[0], indices[1]], [0, 300]);
    assert.deepEqual([indices[300 * k], indices[300 * k + 1]], [0, 300]);
  });

  it('the affinity is ½(C + Cᵀ) without the diagonal, and degrees are its row sums', () => {
    const k = 4;
    const { indices } = nearestNeighbors(data, n, d, k);
    const graph = knnAffinity(data, n, d, k);
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) if (indices[i * k + t] !== i) dense[i * n + indices[i * k + t]] = 1;
    const x = uniformMatrix(n, 1, 5);
    const y = new Float64Array(n);
    graph.multiply(Float64Array.from(x), 1, y);
    for (let i = 0; i < n; i++) {
      let row = 0;
      let ax = 0;
      for (let j = 0; j < n; j++) {
        const a = 0.5 * (dense[i * n + j] + dense[j * n + i]);
        row += a;
        ax += a * x[j];
      }
      assert.ok(Math.abs(graph.degrees[i] - row) <= 1e-12, `degree ${i}`);
      assert.ok(Math.abs(y[i] - ax) <= 1e-12, `(A·x)[${i}]`);
    }
  });

  it('unseen rows take the label of their nearest fitted row', () => {
    const { data: fit } = blobs(300, 3, 3, 4, 1);
    const result = spectralClustering(fit, 300, 3, { nClusters: 3, affinity: 'nearest_neighbors', randomState: 0 });
    const fresh = uniformMatrix(250, 3, 8).map((v) => v * 20);
    const assigned = assignSpectralClusters(fit, 300, result.labels, fresh, 250, 3);
    for (let i = 0; i < 250; i++) {
      let best = 0;
      for (let j = 1; j < 300; j++) if (sqDist(fresh, i, fit, j, 3) < sqDist(fresh, i, fit, best, 3)) best = j;
      assert.equal(assigned[i], result.labels[best], `row ${i}`);
    }
    assert.deepEqual(Array.from(assignSpectralClusters(fit, 300, result.labels, fit, 300, 3)), Array.from(result.labels));
  });
});
