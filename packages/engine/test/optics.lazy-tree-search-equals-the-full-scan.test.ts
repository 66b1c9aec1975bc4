import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { optics, roundTo15Decimals } from '../src/cluster/optics.ts';
import type { OpticsOptions } from '../src/cluster/optics.ts';
import { createRng } from '../src/rng.ts';
import { blobs } from './helpers/random-data.ts';

/**
 * scikit-learn's OPTICS loop written out directly: every processed core
 * point updates every unprocessed point within max_eps, the next point is
 * the lowest reachability then lowest index. The kd-tree path updates lazily
 * and must reproduce this sequence exactly, ties and predecessors included.
 */
function fullScan(n: number, minSamples: number, maxEps: number, dist: (i: number, j: number) => number) {
  const core = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = dist(i, j);
    const sorted = Float64Array.from(row).sort();
    const c = sorted[minSamples - 1];
    core[i] = c > maxEps ? Infinity : roundTo15Decimals(c);
  }
  const reach = new Float64Array(n).fill(Infinity);
  const pred = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const ordering = new Int32Array(n);
  for (let step = 0; step < n; step++) {
    let p = -1;
    for (let i = 0; i < n; i++) if (done[i] === 0 && (p === -1 || reach[i] < reach[p])) p = i;
    done[p] = 1;
    ordering[step] = p;
    if (core[p] === Infinity) continue;
    for (let q = 0; q < n; q++) {
      if (done[q] === 1) continue;
      const dpq = dist(p, q);
      if (!(dpq <= maxEps)) continue;
      const r = roundTo15Decimals(Math.max(dpq, core[p]));
      if (r < reach[q]) {
        reach[q] = r;
        pred[q] = p;
      }
    }
  }
  return { ordering, reach, core, pred };
}

type Metric = 'euclidean' | 'manhattan' | 'chebyshev' | 'minkowski' | 'cosine';

function distanceFn(data: Float32Array, d: number, metric: Metric, p: number): (i: number, j: number) => number {
  if (metric === 'cosine') {
    // The engine searches cosine as half the squared chord between unit rows.
    const n = data.length / d;
    const unit = new Float64Array(data.length);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += data[i * d + k] * data[i * d + k];
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) unit[i * d + k] = data[i * d + k] * inv;
    }
    return (i, j) => {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = unit[i * d + k] - unit[j * d + k];
        s += t * t;
      }
      return s / 2;
    };
  }
  return (i, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = Math.abs(data[i * d + k] - data[j * d + k]);
      if (metric === 'euclidean') s += t * t;
      else if (metric === 'manhattan') s += t;
      else if (metric === 'chebyshev') s = Math.max(s, t);
      else s += Math.pow(t, p);
    }
    if (metric === 'euclidean') return Math.sqrt(s);
    if (metric === 'minkowski') return Math.pow(s, 1 / p);
    return s;
  };
}

/** Small integers: many exact distance ties and duplicate points. */
function grid(n: number, d: number, size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(size);
  return out;
}

/**
 * Dense blobs with every `every`-th point moved to uniform noise: the shape
 * that makes reachability jump and sends many processed points widening.
 */
function blobsWithNoise(n: number, d: number, seed: number, every = 10): Float32Array {
  const base = blobs(n, d, 4, seed, 1).data;
  const rng = createRng(seed + 1);
  for (let i = 0; i < n; i += every) for (let k = 0; k < d; k++) base[i * d + k] = (rng.nextFloat() * 2 - 1) * 25;
  return base;
}

interface Case {
  name: string;
  data: Float32Array;
  d: number;
  options: OpticsOptions & { metric?: Metric };
}

const cases: Case[] = [
  { name: 'integer grid with duplicates', data: grid(400, 2, 7, 1), d: 2, options: { minSamples: 4 } },
  { name: '3-D integer grid, manhattan', data: grid(300, 3, 5, 2), d: 3, options: { minSamples: 6, metric: 'manhattan' } },
  { name: 'integer grid, chebyshev', data: grid(300, 2, 9, 3), d: 2, options: { minSamples: 5, metric: 'chebyshev' } },
  { name: 'blobs with noise', data: blobsWithNoise(600, 5, 4), d: 5, options: { minSamples: 5 } },
  { name: 'blobs with one point in four noise', data: blobsWithNoise(1200, 4, 10, 4), d: 4, options: { minSamples: 5 } },
  { name: 'blobs with noise, 8 dimensions', data: blobsWithNoise(1000, 8, 11, 5), d: 8, options: { minSamples: 4 } },
  { name: 'blobs with noise, max_eps', data: blobsWithNoise(500, 4, 5), d: 4, options: { minSamples: 8, maxEps: 3 } },
  { name: 'blobs, minkowski p=3', data: blobs(400, 3, 3, 6, 2).data, d: 3, options: { minSamples: 5, metric: 'minkowski', p: 3 } },
  { name: 'blobs, cosine', data: blobs(400, 3, 5, 7, 2).data, d: 3, options: { minSamples: 5, metric: 'cosine' } },
  { name: 'min_samples beyond the update lists', data: blobsWithNoise(300, 3, 8), d: 3, options: { minSamples: 80 } },
  { name: 'max_eps below most distances', data: grid(300, 2, 20, 9), d: 2, options: { minSamples: 3, maxEps: 1.5 } },
];

describe('OPTICS kd-tree search equals the full scan', () => {
  for (const c of cases) {
    it(c.name, () => {
      const n = c.data.length / c.d;
      const metric = c.options.metric ?? 'euclidean';
      const dist = distanceFn(c.data, c.d, metric, c.options.p ?? 2);
      const expected = fullScan(n, c.options.minSamples ?? 5, c.options.maxEps ?? Infinity, dist);
      const result = optics(c.data, n, c.d, { ...c.options, algorithm: 'kd_tree', leafSize: 4 });
      assert.deepEqual(Array.from(result.coreDistances), Array.from(expected.core));
      assert.deepEqual(Array.from(result.ordering), Array.from(expected.ordering));
      assert.deepEqual(Array.from(result.reachability), Array.from(expected.reach));
      assert.deepEqual(Array.from(result.predecessor), Array.from(expected.pred));
    });
  }
});
