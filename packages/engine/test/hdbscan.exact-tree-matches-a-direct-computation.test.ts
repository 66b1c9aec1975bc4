// The exact paths (kd-tree Borůvka up to 16 dimensions, all-pairs Prim above)
// against a direct O(n²) computation written here: core distances from
// sorted distance rows, and Prim's algorithm on the explicit mutual-
// reachability matrix. Minimum spanning trees are not unique under ties, but
// their sorted weights are, so those are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutualReachabilityTree, resolveHdbscanOptions, type HDBSCANOptions } from '../src/cluster/hdbscan/hdbscan.ts';
import { createRng } from '../src/rng.ts';

function distance(data: Float32Array, d: number, a: number, b: number, metric: string): number {
  if (metric === 'cosine') {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < d; j++) {
      dot += data[a * d + j] * data[b * d + j];
      na += data[a * d + j] ** 2;
      nb += data[b * d + j] ** 2;
    }
    return 1 - dot / Math.sqrt(na * nb);
  }
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = data[a * d + j] - data[b * d + j];
    s += metric === 'manhattan' ? Math.abs(t) : t * t;
  }
  return metric === 'manhattan' ? s : Math.sqrt(s);
}

function directTree(data: Float32Array, n: number, d: number, minSamples: number, alpha: number, metric: string) {
  const dist = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) dist[a * n + b] = a === b ? 0 : distance(data, d, a, b, metric);
  const core = new Float64Array(n);
  for (let a = 0; a < n; a++) core[a] = Array.from(dist.subarray(a * n, a * n + n)).sort((x, y) => x - y)[minSamples - 1];
  const key = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  const weights: number[] = [];
  key[0] = 0;
  for (let step = 0; step < n; step++) {
    let v = -1;
    for (let u = 0; u < n; u++) if (!done[u] && (v < 0 || key[u] < key[v])) v = u;
    done[v] = 1;
    if (step > 0) weights.push(key[v]);
    for (let u = 0; u < n; u++) {
      if (done[u]) continue;
      const w = Math.max(core[v], core[u], dist[v * n + u] / alpha);
      if (w < key[u]) key[u] = w;
    }
  }
  return { core, weights: weights.sort((x, y) => x - y) };
}

/** Gaussian blobs on a coarse grid (many exact ties) plus duplicated rows and a few far outliers. */
function awkwardData(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const centre = rng.nextInt(4) * 6;
    for (let j = 0; j < d; j++) data[i * d + j] = centre + Math.round((rng.nextFloat() - 0.5) * 8) / 2;
  }
  for (let i = 0; i < n / 10; i++) data.copyWithin(rng.nextInt(n) * d, rng.nextInt(n) * d, rng.nextInt(n) * d + d);
  for (let i = 0; i < 3; i++) for (let j = 0; j < d; j++) data[rng.nextInt(n) * d + j] = 40 + 10 * rng.nextFloat();
  return data;
}

function check(n: number, d: number, options: HDBSCANOptions, seed: number): void {
  const data = awkwardData(n, d, seed);
  if (options.metric === 'cosine') for (let i = 0; i < data.length; i++) data[i] += 0.25; // no all-zero rows
  const resolved = resolveHdbscanOptions({ ...options, algorithm: 'exact' });
  const { mst, coreDistances } = mutualReachabilityTree(data, n, d, resolved, undefined);
  const expected = directTree(data, n, d, resolved.minSamples, resolved.alpha, resolved.metric);
  // Cosine rows are normalised in float32 by the engine (in float64 here),
  // which shifts cosine distances by up to ~1e-9 in absolute terms.
  const rel = resolved.metric === 'cosine' ? 2e-6 : 1e-9;
  const abs = resolved.metric === 'cosine' ? 1e-8 : 1e-12;
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(coreDistances[i] - expected.core[i]) <= rel * expected.core[i] + abs, `core ${i}: ${coreDistances[i]} vs ${expected.core[i]}`);
  }
  const got = Float64Array.from(mst.weight).sort();
  for (let e = 0; e < got.length; e++) {
    assert.ok(Math.abs(got[e] - expected.weights[e]) <= rel * expected.weights[e] + abs, `weight ${e}: ${got[e]} vs ${expected.weights[e]}`);
  }
  const spanned = new Set<number>();
  for (let e = 0; e < mst.from.length; e++) {
    spanned.add(mst.from[e]);
    spanned.add(mst.to[e]);
  }
  assert.equal(spanned.size, n, 'every row is an endpoint of some tree edge');
}

for (const metric of ['euclidean', 'manhattan', 'cosine'] as const) {
  for (const [minSamples, alpha] of [
    [1, 1],
    [4, 1],
    [9, 1.7],
  ]) {
    test(`kd-tree Borůvka (d = 5) equals direct Prim: ${metric}, min_samples ${minSamples}, alpha ${alpha}`, () => {
      check(400, 5, { metric, minSamples, alpha, minClusterSize: 5 }, 11 + minSamples);
    });
    test(`all-pairs Prim (d = 24) equals direct Prim: ${metric}, min_samples ${minSamples}, alpha ${alpha}`, () => {
      check(250, 24, { metric, minSamples, alpha, minClusterSize: 5 }, 23 + minSamples);
    });
  }
}

test('kd-tree Borůvka handles a one-dimensional input made of a few repeated values', () => {
  const n = 300;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = [0, 0, 1, 5, 5, 5, 9][i % 7];
  const resolved = resolveHdbscanOptions({ minSamples: 3, minClusterSize: 5 });
  const { mst } = mutualReachabilityTree(data, n, 1, resolved, undefined);
  const expected = directTree(data, n, 1, 3, 1, 'euclidean');
  assert.deepEqual(Array.from(Float64Array.from(mst.weight).sort()), expected.weights);
});
