import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/index.ts';
import type { Rng } from '../src/index.ts';
import { kmeansPlusPlus } from '../src/cluster/kmeans-init.ts';
import { rowSquaredNorms } from '../src/linalg/dot-block.ts';
import { useKernels } from '../src/linalg/kernels.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

/** scikit-learn's greedy k-means++ written plainly: every distance, no pruning. */
function referencePlusPlus(data: Float32Array, n: number, d: number, k: number, rng: Rng): Float32Array {
  const dist2 = (i: number, row: Float32Array) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - row[j]) ** 2;
    return s;
  };
  const rowOf = (i: number) => data.slice(i * d, i * d + d);
  const trials = 2 + Math.floor(Math.log(k));
  const centers: Float32Array[] = [rowOf(rng.nextInt(n))];
  let closest = Array.from({ length: n }, (_, i) => dist2(i, centers[0]));
  let pot = closest.reduce((a, b) => a + b, 0);
  while (centers.length < k) {
    const cumulative: number[] = [];
    closest.reduce((acc, v, i) => (cumulative[i] = acc + v), 0);
    let best: { pot: number; id: number; dists: number[] } | null = null;
    const ids = Array.from({ length: trials }, () => {
      const target = rng.nextFloat() * pot;
      const found = cumulative.findIndex((c) => c >= target);
      return found === -1 ? n - 1 : found;
    });
    for (const id of ids) {
      const dists = closest.map((c, i) => Math.min(c, dist2(i, rowOf(id))));
      const candidatePot = dists.reduce((a, b) => a + b, 0);
      if (best === null || candidatePot < best.pot) best = { pot: candidatePot, id, dists };
    }
    centers.push(rowOf(best!.id));
    closest = best!.dists;
    pot = best!.pot;
  }
  const out = new Float32Array(k * d);
  centers.forEach((c, i) => out.set(c, i * d));
  return out;
}

for (const backend of ['wasm', 'typescript'] as const) {
  describe(`k-means++ seeding matches a direct implementation (${backend} kernels)`, () => {
    const cases: Array<[string, Float32Array, number, number, number]> = [
      ['clustered data, where most distances are pruned', blobs(900, 12, 9, 3, 0.3).data, 900, 12, 9],
      ['uniform data, where little is pruned', uniformMatrix(700, 7, 4), 700, 7, 20],
    ];
    for (const [name, data, n, d, k] of cases) {
      it(name, () => {
        useKernels(backend);
        for (const seed of [0, 1, 2]) {
          const ours = kmeansPlusPlus(data, n, d, rowSquaredNorms(data, n, d), k, createRng(seed));
          assert.deepEqual(ours, referencePlusPlus(data, n, d, k, createRng(seed)), `seed ${seed}`);
        }
      });
    }
  });
}
