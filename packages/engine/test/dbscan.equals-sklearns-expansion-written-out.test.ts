import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbscan } from '../src/cluster/dbscan.ts';
import type { DbscanOptions } from '../src/cluster/dbscan.ts';
import { createRng } from '../src/rng.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

/**
 * scikit-learn's DBSCAN written out: full eps-neighbourhoods (the point
 * itself included), core = at least min_samples of them, then a depth-first
 * expansion from each unlabelled core point in index order. The engine gets
 * the same labels without replaying the expansion; this checks the claim on
 * data full of ties, duplicates and border points shared by two clusters.
 */
function expansion(n: number, minSamples: number, within: (i: number, j: number) => boolean): Int32Array {
  const neighbors: number[][] = [];
  for (let i = 0; i < n; i++) {
    const list: number[] = [];
    for (let j = 0; j < n; j++) if (within(i, j)) list.push(j);
    neighbors.push(list);
  }
  const core = neighbors.map((list) => list.length >= minSamples);
  const labels = new Int32Array(n).fill(-1);
  let label = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    const stack = [i];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (labels[p] !== -1) continue;
      labels[p] = label;
      if (!core[p]) continue;
      for (const q of neighbors[p]) if (labels[q] === -1) stack.push(q);
    }
    label++;
  }
  return labels;
}

function withinFn(data: Float32Array, d: number, eps: number, metric: string): (i: number, j: number) => boolean {
  return (i, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = Math.abs(data[i * d + k] - data[j * d + k]);
      if (metric === 'manhattan') s += t;
      else if (metric === 'chebyshev') s = Math.max(s, t);
      else s += t * t;
    }
    return metric === 'euclidean' ? s <= eps * eps : s <= eps;
  };
}

function grid(n: number, d: number, size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(size);
  return out;
}

/**
 * Two dense bands with lone points in the gap, within eps of both but
 * nearer the upper band: scikit-learn gives them to the lower band, the
 * cluster numbered first, not to the nearer one.
 */
function sharedBorders(): Float32Array {
  const rows: number[] = [];
  for (let x = 0; x < 10; x++) {
    rows.push(x, 0, x, 0.5, x, 4, x, 4.5);
    if (x % 3 === 0) rows.push(x, 2.3);
  }
  return Float32Array.from(rows);
}

interface Case {
  name: string;
  data: Float32Array;
  d: number;
  options: DbscanOptions & { eps: number; minSamples: number; metric: 'euclidean' | 'manhattan' | 'chebyshev' };
}

const cases: Case[] = [
  { name: 'integer grid, eps on exact distances', data: grid(500, 2, 12, 1), d: 2, options: { eps: 1, minSamples: 4, metric: 'euclidean' } },
  { name: 'integer grid, manhattan', data: grid(400, 3, 6, 2), d: 3, options: { eps: 2, minSamples: 5, metric: 'manhattan' } },
  { name: 'integer grid, chebyshev', data: grid(400, 2, 15, 3), d: 2, options: { eps: 1, minSamples: 6, metric: 'chebyshev' } },
  { name: 'border points between two clusters', data: sharedBorders(), d: 2, options: { eps: 1.8, minSamples: 4, metric: 'euclidean' } },
  { name: 'blobs in 6 dimensions', data: blobs(800, 6, 5, 4, 1.5).data, d: 6, options: { eps: 2.2, minSamples: 8, metric: 'euclidean' } },
  // Near the percolation threshold: hundreds of components held together by
  // single pairs, most of them found only by the component search, not seeds.
  { name: 'uniform points near the percolation threshold', data: uniformMatrix(3000, 2, 6), d: 2, options: { eps: 0.05, minSamples: 2, metric: 'euclidean', leafSize: 16 } },
  { name: 'same, min_samples 3', data: uniformMatrix(3000, 2, 6), d: 2, options: { eps: 0.05, minSamples: 3, metric: 'euclidean', leafSize: 16 } },
  { name: 'same, many components', data: uniformMatrix(3000, 2, 6), d: 2, options: { eps: 0.04, minSamples: 2, metric: 'euclidean' } },
  { name: 'min_samples 1: every point is core', data: grid(200, 2, 30, 5), d: 2, options: { eps: 1.5, minSamples: 1, metric: 'euclidean' } },
];

describe("DBSCAN equals scikit-learn's expansion written out", () => {
  for (const c of cases) {
    for (const algorithm of ['kd_tree', 'brute'] as const) {
      it(`${c.name} (${algorithm})`, () => {
        const n = c.data.length / c.d;
        const expected = expansion(n, c.options.minSamples, withinFn(c.data, c.d, c.options.eps, c.options.metric));
        const result = dbscan(c.data, n, c.d, { leafSize: 4, ...c.options, algorithm });
        assert.deepEqual(Array.from(result.labels), Array.from(expected));
      });
    }
  }
});
