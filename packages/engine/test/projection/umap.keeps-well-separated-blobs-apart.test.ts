import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { umapLayouts } from '../../src/projection/umap.ts';
import { blobs } from '../helpers/random-data.ts';

/** Share of each point's k nearest neighbours in the layout that carry its own label. */
function neighbourAgreement(layout: Float32Array, dims: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const dist: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < dims; c++) s += (layout[i * dims + c]! - layout[j * dims + c]!) ** 2;
      dist.push([s, j]);
    }
    dist.sort((a, b) => a[0] - b[0]);
    for (let t = 0; t < k; t++) if (labels[dist[t]![1]] === labels[i]) agree++;
  }
  return agree / (n * k);
}

/** Smallest distance between two blob centres of the layout over the largest blob radius (mean distance to centre). */
function separation(layout: Float32Array, dims: number, labels: Int32Array, k: number): number {
  const centres = new Float64Array(k * dims);
  const counts = new Float64Array(k);
  labels.forEach((l, i) => {
    counts[l]++;
    for (let c = 0; c < dims; c++) centres[l * dims + c] += layout[i * dims + c]!;
  });
  for (let l = 0; l < k; l++) for (let c = 0; c < dims; c++) centres[l * dims + c] /= counts[l]!;
  const radius = new Float64Array(k);
  labels.forEach((l, i) => {
    let s = 0;
    for (let c = 0; c < dims; c++) s += (layout[i * dims + c]! - centres[l * dims + c]!) ** 2;
    radius[l] += Math.sqrt(s) / counts[l]!;
  });
  let closest = Infinity;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let c = 0; c < dims; c++) s += (centres[a * dims + c]! - centres[b * dims + c]!) ** 2;
      closest = Math.min(closest, Math.sqrt(s));
    }
  }
  return closest / Math.max(...radius);
}

describe('umap on well-separated blobs', () => {
  const n = 400;
  const d = 24;
  const k = 4;
  const { data, labels } = blobs(n, d, k, 5, 0.6);

  it('keeps fitted and placed points next to their own blob, in 2-D and 3-D', () => {
    // 250 fitted, 150 placed by their fitted neighbours.
    const { embeddings, fittedPoints } = umapLayouts(data, n, d, [2, 3], { nNeighbors: 12, maxFitPoints: 250, randomState: 3, nEpochs: 120 });
    assert.equal(fittedPoints, 250);
    for (const [index, dims] of [[0, 2], [1, 3]] as const) {
      const layout = embeddings[index]!;
      const agreement = neighbourAgreement(layout, dims, labels, 10);
      assert.ok(agreement > 0.98, `${dims}-D: ${agreement} of layout neighbours share the label`);
      const ratio = separation(layout, dims, labels, k);
      assert.ok(ratio > 2, `${dims}-D: closest blob centres are only ${ratio}× the blob radius apart`);
    }
  });
});
