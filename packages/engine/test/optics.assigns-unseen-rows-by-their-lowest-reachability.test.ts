import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignOptics, optics } from '../src/cluster/optics.ts';
import type { OpticsOptions, OpticsResult } from '../src/cluster/optics.ts';
import { blobs } from './helpers/random-data.ts';

function euclidean(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += (a[i * d + k] - b[j * d + k]) ** 2;
  return Math.sqrt(s);
}

/** The documented rule, written out: a cluster's level, then the labelled point reaching the row lowest. */
function expectedLabels(fitData: Float32Array, fit: OpticsResult, data: Float32Array, n: number, d: number, eps: number | null): Int32Array {
  const level = new Float64Array(fit.nClusters).fill(eps ?? 0);
  if (eps === null) {
    const seen = new Set<number>();
    for (const row of fit.ordering) {
      const label = fit.labels[row];
      if (label < 0) continue;
      if (!seen.has(label)) seen.add(label);
      else level[label] = Math.max(level[label], fit.reachability[row]);
    }
  }
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestReach = Infinity;
    for (let p = 0; p < fit.labels.length; p++) {
      if (fit.labels[p] < 0 || fit.coreDistances[p] === Infinity) continue;
      const r = Math.max(fit.coreDistances[p], euclidean(data, i, fitData, p, d));
      if (r < bestReach) {
        bestReach = r;
        best = p;
      }
    }
    if (best >= 0 && bestReach <= level[fit.labels[best]]) out[i] = fit.labels[best];
  }
  return out;
}

describe('OPTICS assigns unseen rows by their lowest reachability from a labelled point', () => {
  const all = blobs(900, 4, 3, 5, 0.7).data;
  const d = 4;
  const fitN = 300;
  const fitData = all.subarray(0, fitN * d);
  const cases: Array<[string, OpticsOptions, number | null]> = [
    ['xi extraction', { minSamples: 10, xi: 0.05, minClusterSize: 0.2 }, null],
    ['dbscan extraction', { minSamples: 5, clusterMethod: 'dbscan', eps: 0.9 }, 0.9],
  ];
  for (const [name, options, eps] of cases) {
    for (const algorithm of ['kd_tree', 'brute'] as const) {
      it(`${name} (${algorithm})`, () => {
        const fit = optics(fitData, fitN, d, { ...options, algorithm });
        assert.ok(fit.nClusters >= 2, 'the fit should find clusters');
        const labels = assignOptics(fitData, fitN, d, fit, all, 900, { ...options, algorithm });
        assert.deepEqual(Array.from(labels), Array.from(expectedLabels(fitData, fit, all, 900, d, eps)));
        let assigned = 0;
        for (const l of labels) if (l >= 0) assigned++;
        assert.ok(assigned > 450, 'most rows of dense blobs should be assigned');
      });
    }
  }
});
