// The HDBSCAN kd-tree's all-rows k-nearest-neighbour search (dual-tree, query
// rows two at a time, partial box sums) against sorted distance rows computed
// here. Every list must hold the k smallest reduced distances, closest first,
// each at a position whose distance it is. Data with many exact ties,
// duplicated rows, leaves of every size (leaf sizes 1 … 9) and both search
// geometries (squared L2, L1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KdTree } from '../src/cluster/hdbscan/kd-tree.ts';
import { createRng } from '../src/rng.ts';

function tiedData(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const centre = rng.nextInt(3) * 5;
    for (let j = 0; j < d; j++) data[i * d + j] = centre + Math.round((rng.nextFloat() - 0.5) * 6) / 2;
  }
  for (let i = 0; i < n / 8; i++) data.copyWithin(rng.nextInt(n) * d, rng.nextInt(n) * d, rng.nextInt(n) * d + d);
  return data;
}

function reduced(points: Float32Array, d: number, a: number, b: number, l1: boolean): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = points[a * d + j] - points[b * d + j];
    s += l1 ? Math.abs(t) : t * t;
  }
  return s;
}

for (const l1 of [false, true]) {
  for (const [n, d, k, leafSize] of [
    [300, 3, 7, 5],
    [257, 10, 25, 9],
    [120, 2, 1, 1],
    [90, 16, 12, 4],
  ] as const) {
    test(`allKnn equals a direct search: ${l1 ? 'L1' : 'squared L2'}, n ${n}, d ${d}, k ${k}, leaf ${leafSize}`, () => {
      const tree = new KdTree(tiedData(n, d, n + d + k), n, d, l1, leafSize);
      const { position, reduced: values } = tree.allKnn(k);
      for (let a = 0; a < n; a++) {
        const all: number[] = [];
        for (let b = 0; b < n; b++) all.push(reduced(tree.points, d, a, b, l1));
        all.sort((x, y) => x - y);
        const seen = new Set<number>();
        for (let t = 0; t < k; t++) {
          const p = position[a * k + t];
          assert.equal(values[a * k + t], all[t], `row ${a}, neighbour ${t}`);
          assert.equal(values[a * k + t], reduced(tree.points, d, a, p, l1), `row ${a}, neighbour ${t} is at its position`);
          assert.ok(!seen.has(p), `row ${a} lists position ${p} twice`);
          seen.add(p);
        }
      }
    });
  }
}
