import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NeighborIndex } from '../src/neighbors/index.ts';
import type { NeighborMetric } from '../src/neighbors/index.ts';
import { createRng } from '../src/rng.ts';
import { uniformMatrix } from './helpers/random-data.ts';

/** Every distance from every query row to every fitted row, computed directly. */
function directDistances(fit: Float32Array, queries: Float32Array, d: number, metric: NeighborMetric, p: number): Float64Array[] {
  const n = fit.length / d;
  const m = queries.length / d;
  const norm = (a: Float32Array, i: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k] * a[i * d + k];
    return Math.sqrt(s);
  };
  const out: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (metric === 'cosine') {
        for (let k = 0; k < d; k++) s += queries[i * d + k] * fit[j * d + k];
        row[j] = 1 - s / (norm(queries, i) * norm(fit, j));
        continue;
      }
      for (let k = 0; k < d; k++) {
        const t = Math.abs(queries[i * d + k] - fit[j * d + k]);
        if (metric === 'euclidean') s += t * t;
        else if (metric === 'manhattan') s += t;
        else if (metric === 'chebyshev') s = Math.max(s, t);
        else s += Math.pow(t, p);
      }
      row[j] = metric === 'euclidean' ? Math.sqrt(s) : metric === 'minkowski' ? Math.pow(s, 1 / p) : s;
    }
    out.push(row);
  }
  return out;
}

/** Rows of the direct result, nearest first, ties to the lower row. */
function ranked(row: Float64Array): number[] {
  return Array.from(row.keys()).sort((a, b) => row[a] - row[b] || a - b);
}

function grid(n: number, d: number, size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * d);
  // Half-integers: exact sums, and no all-zero row for cosine.
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(size) - size / 2 + 0.5;
  return out;
}

const metrics: Array<[NeighborMetric, number]> = [
  ['euclidean', 2],
  ['manhattan', 1],
  ['chebyshev', Infinity],
  ['minkowski', 3],
  ['cosine', 2],
];

describe('neighbour search: kd-tree and brute force match a direct search', () => {
  for (const [metric, p] of metrics) {
    for (const algorithm of ['kd_tree', 'brute'] as const) {
      // Integer coordinates: exact distances, many ties, duplicate points.
      it(`k nearest, ${metric}, integer data with ties (${algorithm})`, () => {
        const d = 3;
        const fit = grid(300, d, 6, 1);
        const queries = grid(40, d, 6, 2);
        const index = new NeighborIndex(fit, 300, d, { metric, p, algorithm, leafSize: 5 });
        const k = 12;
        const result = index.kneighbors(queries, 40, k);
        const direct = directDistances(fit, queries, d, metric, p);
        for (let i = 0; i < 40; i++) {
          const expected = ranked(direct[i]).slice(0, k);
          for (let j = 0; j < k; j++) {
            const got = result.distances[i * k + j];
            assert.ok(Math.abs(got - direct[i][expected[j]]) <= 1e-12, `row ${i} rank ${j}: ${got} vs ${direct[i][expected[j]]}`);
          }
          if (metric !== 'cosine') assert.deepEqual(Array.from(result.indices.subarray(i * k, i * k + k)), expected);
        }
      });

      it(`within a radius, ${metric}, continuous data (${algorithm})`, () => {
        const d = 4;
        const fit = uniformMatrix(400, d, 3);
        const queries = uniformMatrix(30, d, 4);
        const radius = metric === 'cosine' ? 0.2 : metric === 'manhattan' ? 0.9 : 0.45;
        const index = new NeighborIndex(fit, 400, d, { metric, p, algorithm, leafSize: 7 });
        const result = index.radiusNeighbors(queries, 30, radius);
        const direct = directDistances(fit, queries, d, metric, p);
        for (let i = 0; i < 30; i++) {
          const expected = ranked(direct[i]).filter((j) => direct[i][j] <= radius);
          const got = Array.from(result.indices.subarray(result.offsets[i], result.offsets[i + 1]));
          assert.deepEqual(got, expected, `query ${i}`);
          for (let h = result.offsets[i]; h < result.offsets[i + 1]; h++) {
            assert.ok(Math.abs(result.distances[h] - direct[i][result.indices[h]]) <= 1e-12);
          }
        }
      });
    }
  }

  it('finds a fitted row itself first', () => {
    const fit = uniformMatrix(200, 5, 9);
    for (const algorithm of ['kd_tree', 'brute'] as const) {
      const result = new NeighborIndex(fit, 200, 5, { algorithm }).kneighbors(fit, 200, 1);
      assert.deepEqual(Array.from(result.indices), Array.from({ length: 200 }, (_, i) => i));
    }
  });
});
