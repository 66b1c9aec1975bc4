import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pca, pcaFit, pcaTransform } from '../../src/projection/pca.ts';
import { symmetricEigen } from '../../src/decomposition/symmetric-eigen.ts';
import { blobs, uniformMatrix } from '../helpers/random-data.ts';

const SOLVERS = ['full', 'randomized'] as const;

/** |a·b| for unit vectors: 1 when they span the same line. */
function alignment(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return Math.abs(s);
}

/** Orthonormal axes of a rotated 3-D frame (rows), written out by hand. */
const U = [
  [2 / 3, 2 / 3, 1 / 3],
  [-2 / 3, 1 / 3, 2 / 3],
  [1 / 3, -2 / 3, 2 / 3],
];

/** ±3·u1, ±2·u2, ±1·u3 around (5, −1, 2): covariance 3.6·u1u1ᵀ + 1.6·u2u2ᵀ + 0.4·u3u3ᵀ (n − 1 = 5). */
function starData(): Float32Array {
  const centre = [5, -1, 2];
  const rows: number[] = [];
  [3, 2, 1].forEach((scale, axis) => {
    for (const sign of [1, -1]) for (let j = 0; j < 3; j++) rows.push(centre[j]! + sign * scale * U[axis]![j]!);
  });
  return Float32Array.from(rows);
}

describe('pca', () => {
  for (const svdSolver of SOLVERS) {
    it(`${svdSolver}: finds the hand-computed axes, variances and ratios of a rotated star`, () => {
      const result = pca(starData(), 6, 3, { nComponents: 3, svdSolver });
      const expected = [3.6, 1.6, 0.4];
      for (let c = 0; c < 3; c++) {
        assert.ok(Math.abs(result.explainedVariance[c]! - expected[c]!) < 1e-5, `variance ${c}: ${result.explainedVariance[c]}`);
        assert.ok(Math.abs(result.explainedVarianceRatio[c]! - expected[c]! / 5.6) < 1e-6);
        assert.ok(alignment(result.components.subarray(c * 3, c * 3 + 3), U[c]!) > 1 - 1e-6, `axis ${c}`);
      }
      assert.ok(Math.abs(result.mean[0]! - 5) < 1e-6 && Math.abs(result.mean[1]! + 1) < 1e-6 && Math.abs(result.mean[2]! - 2) < 1e-6);
      // The first point is centre + 3·u1: coordinates (±3, 0, 0).
      assert.ok(Math.abs(Math.abs(result.embedding[0]!) - 3) < 1e-5);
      assert.ok(Math.abs(result.embedding[1]!) < 1e-5 && Math.abs(result.embedding[2]!) < 1e-5);
    });

    it(`${svdSolver}: equals the eigenvectors of the directly computed covariance, up to sign`, () => {
      const n = 400;
      // 60 features keep the randomized solver on its Lanczos path (small matrices are diagonalised directly).
      const d = svdSolver === 'full' ? 12 : 60;
      const data = uniformMatrix(n, d, 7);
      // Stretch some columns so the leading eigenvalues are distinct.
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j]! *= 1 + j * 0.4 + (j % 3);
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]! / n;
      const cov = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) cov[p * d + q] += ((data[i * d + p]! - mean[p]!) * (data[i * d + q]! - mean[q]!)) / (n - 1);
      }
      const eig = symmetricEigen(cov, d);
      let trace = 0;
      for (let j = 0; j < d; j++) trace += cov[j * d + j]!;
      const k = 4;
      const result = pca(data, n, d, { nComponents: k, svdSolver, randomState: 3, tol: 1e-10 });
      for (let c = 0; c < k; c++) {
        const src = d - 1 - c;
        const vector = Array.from({ length: d }, (_, j) => eig.vectors[j * d + src]!);
        assert.ok(alignment(result.components.subarray(c * d, (c + 1) * d), vector) > 1 - 1e-8, `component ${c}`);
        assert.ok(Math.abs(result.explainedVariance[c]! - eig.values[src]!) < 1e-8 * eig.values[src]!);
        assert.ok(Math.abs(result.explainedVarianceRatio[c]! - eig.values[src]! / trace) < 1e-9);
        // Sign rule: the largest-magnitude entry of each axis is positive.
        let biggest = 0;
        for (let j = 0; j < d; j++) if (Math.abs(result.components[c * d + j]!) > Math.abs(biggest)) biggest = result.components[c * d + j]!;
        assert.ok(biggest > 0);
      }
    });
  }

  it('ratios of all components sum to 1, and of fewer to less', () => {
    const { data } = blobs(300, 6, 3, 11);
    const all = pca(data, 300, 6, { nComponents: 6 });
    const sum = all.explainedVarianceRatio.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
    const two = pca(data, 300, 6, { nComponents: 2 });
    const partial = two.explainedVarianceRatio[0]! + two.explainedVarianceRatio[1]!;
    assert.ok(partial < 1 && partial > 0.5);
    // Variance of each embedding column is the component's explained variance.
    for (let c = 0; c < 2; c++) {
      let m = 0;
      for (let i = 0; i < 300; i++) m += two.embedding[i * 2 + c]! / 300;
      let v = 0;
      for (let i = 0; i < 300; i++) v += (two.embedding[i * 2 + c]! - m) ** 2 / 299;
      assert.ok(Math.abs(v - two.explainedVariance[c]!) < 1e-3 * v);
    }
  });

  it('transform places a cluster mean at the mean of its members\' coordinates', () => {
    const n = 240;
    const d = 5;
    const { data, labels } = blobs(n, d, 3, 5);
    const model = pcaFit(data, n, d, { nComponents: 2 });
    const embedding = pcaTransform(model, data, n);
    for (let c = 0; c < 3; c++) {
      const centre = new Float32Array(d);
      const placed = [0, 0];
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (labels[i] !== c) continue;
        count++;
        for (let j = 0; j < d; j++) centre[j] += data[i * d + j]!;
        placed[0] += embedding[i * 2]!;
        placed[1] += embedding[i * 2 + 1]!;
      }
      for (let j = 0; j < d; j++) centre[j] /= count;
      const t = pcaTransform(model, centre, 1);
      assert.ok(Math.abs(t[0]! - placed[0]! / count) < 1e-3 && Math.abs(t[1]! - placed[1]! / count) < 1e-3);
    }
  });

  it('fits on a seeded sample of large inputs and still reports variance over every row', () => {
    const n = 3000;
    const d = 8;
    const { data } = blobs(n, d, 4, 9);
    const sampled = pca(data, n, d, { nComponents: 2, maxFitRows: 500, randomState: 1 });
    const exact = pca(data, n, d, { nComponents: 2, maxFitRows: Infinity });
    assert.equal(sampled.fittedRows, 500);
    assert.equal(exact.fittedRows, n);
    for (let c = 0; c < 2; c++) {
      assert.ok(alignment(sampled.components.subarray(c * d, (c + 1) * d), exact.components.subarray(c * d, (c + 1) * d)) > 0.99);
      assert.ok(Math.abs(sampled.explainedVarianceRatio[c]! - exact.explainedVarianceRatio[c]!) < 0.01);
    }
  });

  it('rejects component counts above min(n, d)', () => {
    assert.throws(() => pca(new Float32Array(6), 3, 2, { nComponents: 3 }), /nComponents/);
    assert.throws(() => pca(new Float32Array(6), 3, 2, { nComponents: 0 }), /nComponents/);
  });
});
