import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agglomerative } from '../src/cluster/agglomerative.ts';
import type { AgglomerativeLinkage } from '../src/cluster/agglomerative.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { blobs, uniformMatrix } from './helpers/random-data.ts';

// The textbook O(n³) algorithm: repeatedly merge the globally closest pair and
// recompute cluster distances from their definitions (not by Lance–Williams):
// ward from centroids and sizes, complete / average / single from all point
// pairs. On continuous random data there are no ties, so the merge heights and
// every flat cut are unique and must agree with the engine's tree.
function naiveAgglomeration(data: Float32Array, n: number, d: number, linkage: AgglomerativeLinkage, metric: 'euclidean' | 'manhattan' | 'cosine') {
  const pointDistance = (a: number, b: number): number => {
    let s = 0;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < d; j++) {
      const x = data[a * d + j];
      const y = data[b * d + j];
      if (metric === 'manhattan') s += Math.abs(x - y);
      else s += (x - y) * (x - y);
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    if (metric === 'cosine') return 1 - dot / Math.sqrt(na * nb);
    return metric === 'euclidean' ? Math.sqrt(s) : s;
  };
  let clusters: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const clusterDistance = (a: number[], b: number[]): number => {
    if (linkage === 'ward') {
      let s = 0;
      for (let j = 0; j < d; j++) {
        let ca = 0;
        let cb = 0;
        for (const p of a) ca += data[p * d + j];
        for (const p of b) cb += data[p * d + j];
        s += (ca / a.length - cb / b.length) ** 2;
      }
      return Math.sqrt(((2 * a.length * b.length) / (a.length + b.length)) * s);
    }
    const all: number[] = [];
    for (const p of a) for (const q of b) all.push(pointDistance(p, q));
    if (linkage === 'single') return Math.min(...all);
    if (linkage === 'complete') return Math.max(...all);
    return all.reduce((x, y) => x + y, 0) / all.length;
  };
  const heights: number[] = [];
  const partitions = new Map<number, Int32Array>();
  while (clusters.length > 1) {
    let best = Infinity;
    let bi = 0;
    let bj = 1;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const v = clusterDistance(clusters[i], clusters[j]);
        if (v < best) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    heights.push(best);
    const merged = [...clusters[bi], ...clusters[bj]];
    clusters = clusters.filter((_, i) => i !== bi && i !== bj);
    clusters.push(merged);
    const labels = new Int32Array(n);
    clusters.forEach((members, c) => members.forEach((p) => (labels[p] = c)));
    partitions.set(clusters.length, labels);
  }
  return { heights, partitions };
}

describe('agglomerative tree matches a naive agglomeration from the linkage definitions', () => {
  const cases: Array<[AgglomerativeLinkage, 'euclidean' | 'manhattan' | 'cosine']> = [
    ['ward', 'euclidean'],
    ['complete', 'euclidean'],
    ['average', 'euclidean'],
    ['single', 'euclidean'],
    ['complete', 'manhattan'],
    ['average', 'cosine'],
    ['single', 'cosine'],
  ];
  const datasets = [
    { name: 'uniform 60×3', n: 60, d: 3, data: uniformMatrix(60, 3, 7) },
    { name: 'blobs 50×20 (dot-product distances)', n: 50, d: 20, data: blobs(50, 20, 4, 11, 3).data },
  ];
  for (const { name, n, d, data } of datasets) {
    for (const [linkage, metric] of cases) {
      it(`${linkage} / ${metric} on ${name}: same merge heights and same cut at every k`, () => {
        const naive = naiveAgglomeration(data, n, d, linkage, metric);
        const result = agglomerative(data, n, d, { linkage, metric, nClusters: 2, computeDistances: true });
        const ours = result.distances!;
        for (let i = 0; i < n - 1; i++) {
          assert.ok(Math.abs(ours[i] - naive.heights[i]) <= 1e-9 * Math.max(1, naive.heights[i]), `height ${i}: ${ours[i]} vs ${naive.heights[i]}`);
        }
        for (const k of [2, 3, 5, 8, 13, n - 1]) {
          const cut = agglomerative(data, n, d, { linkage, metric, nClusters: k });
          assert.equal(adjustedRandIndex(cut.labels, naive.partitions.get(k)!), 1, `k=${k}`);
        }
      });
    }
  }
});

// Enough points to span several 128-row tiles of the engine's matrix (and a
// partial last tile): the textbook algorithm on a full square matrix,
// merging the globally closest pair and updating with Lance–Williams.
function naiveLanceWilliams(data: Float32Array, n: number, d: number, linkage: 'ward' | 'complete' | 'average') {
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (data[i * d + k] - data[j * d + k]) ** 2;
      D[i * n + j] = Math.sqrt(s);
    }
  }
  const size = new Array<number>(n).fill(1);
  const alive = new Array<boolean>(n).fill(true);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const heights: number[] = [];
  const partitions = new Map<number, Int32Array>();
  for (let step = 0; step < n - 1; step++) {
    let best = Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (alive[j] && D[i * n + j] < best) {
          best = D[i * n + j];
          a = i;
          b = j;
        }
      }
    }
    heights.push(best);
    for (let i = 0; i < n; i++) {
      if (!alive[i] || i === a || i === b) continue;
      const da = D[i * n + a];
      const db = D[i * n + b];
      const t = size[i] + size[a] + size[b];
      const v =
        linkage === 'ward'
          ? Math.sqrt(((size[i] + size[a]) * da * da + (size[i] + size[b]) * db * db - size[i] * best * best) / t)
          : linkage === 'complete'
            ? Math.max(da, db)
            : (size[a] * da + size[b] * db) / (size[a] + size[b]);
      D[i * n + b] = v;
      D[b * n + i] = v;
    }
    alive[a] = false;
    size[b] += size[a];
    members[b].push(...members[a]);
    const labels = new Int32Array(n);
    let c = 0;
    for (let i = 0; i < n; i++) if (alive[i]) members[i].forEach((p) => (labels[p] = c)), c++;
    partitions.set(n - 1 - step, labels);
  }
  return { heights, partitions };
}

describe('agglomerative tree matches a naive Lance–Williams agglomeration across matrix tiles', () => {
  const n = 300;
  const data = blobs(n, 5, 6, 31, 4).data;
  for (const linkage of ['ward', 'complete', 'average'] as const) {
    it(`${linkage} on 300 points: same merge heights and same cut at every k`, () => {
      const naive = naiveLanceWilliams(data, n, 5, linkage);
      const result = agglomerative(data, n, 5, { linkage, nClusters: 2, computeDistances: true });
      for (let i = 0; i < n - 1; i++) {
        assert.ok(Math.abs(result.distances![i] - naive.heights[i]) <= 1e-9 * Math.max(1, naive.heights[i]), `height ${i}`);
      }
      for (const k of [2, 6, 17, 60, 299]) {
        const cut = agglomerative(data, n, 5, { linkage, nClusters: k });
        assert.equal(adjustedRandIndex(cut.labels, naive.partitions.get(k)!), 1, `k=${k}`);
      }
    });
  }
});
