import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../src/decomposition/symmetric-eigen.ts';
import { smallSvd } from '../src/decomposition/svd.ts';
import { createRng } from '../src/rng.ts';

function randomOrthogonal(m: number, seed: number): Float64Array {
  // Gram–Schmidt on random columns.
  const rng = createRng(seed);
  const q = new Float64Array(m * m).map(() => rng.nextFloat() - 0.5);
  for (let c = 0; c < m; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < m; r++) dot += q[r * m + p] * q[r * m + c];
        for (let r = 0; r < m; r++) q[r * m + c] -= dot * q[r * m + p];
      }
    }
    let norm = 0;
    for (let r = 0; r < m; r++) norm += q[r * m + c] ** 2;
    for (let r = 0; r < m; r++) q[r * m + c] /= Math.sqrt(norm);
  }
  return q;
}

function assertOrthonormalColumns(v: Float64Array, rows: number, cols: number, stride: number, what: string): void {
  for (let a = 0; a < cols; a++) {
    for (let b = 0; b < cols; b++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += v[r * stride + a] * v[r * stride + b];
      assert.ok(Math.abs(s - (a === b ? 1 : 0)) <= 1e-12, `${what}: column ${a}·${b} = ${s}`);
    }
  }
}

describe('Jacobi symmetric eigen-decomposition', () => {
  for (const m of [1, 3, 12, 40]) {
    it(`recovers planted eigenvalues (with a repeated one) of a ${m}×${m} matrix`, () => {
      const q = randomOrthogonal(m, m);
      const planted = Array.from({ length: m }, (_, i) => (i % 4 === 1 ? 2.5 : Math.sin(i + 1) * 3));
      const a = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let t = 0; t < m; t++) a[i * m + j] += q[i * m + t] * planted[t] * q[j * m + t];
      const { values, vectors } = symmetricEigen(a, m);
      const sorted = [...planted].sort((x, y) => x - y);
      for (let j = 0; j < m; j++) assert.ok(Math.abs(values[j] - sorted[j]) <= 1e-12, `λ${j} ${values[j]} vs ${sorted[j]}`);
      assertOrthonormalColumns(vectors, m, m, m, 'eigenvectors');
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < m; i++) {
          let av = 0;
          for (let t = 0; t < m; t++) av += a[i * m + t] * vectors[t * m + j];
          assert.ok(Math.abs(av - values[j] * vectors[i * m + j]) <= 1e-12, `A·v = λ·v at (${i}, ${j})`);
        }
      }
    });
  }
});

describe('one-sided Jacobi SVD', () => {
  const cases: [number, number, number][] = [
    [5, 5, 5],
    [8, 3, 3],
    [6, 6, 4], // rank-deficient: U must still be orthogonal
  ];
  for (const [rows, cols, rank] of cases) {
    it(`A = U·diag(s)·Vᵀ for a ${rows}×${cols} matrix of rank ${rank}, singular values descending`, () => {
      const rng = createRng(rows * 10 + cols);
      const left = new Float64Array(rows * rank).map(() => rng.nextFloat() - 0.5);
      const right = new Float64Array(rank * cols).map(() => rng.nextFloat() - 0.5);
      const a = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let t = 0; t < rank; t++) a[i * cols + j] += left[i * rank + t] * right[t * cols + j];
      const { u, s, v } = smallSvd(a, rows, cols);
      for (let j = 1; j < cols; j++) assert.ok(s[j] <= s[j - 1]);
      for (let j = rank; j < cols; j++) assert.ok(s[j] <= 1e-12, `trailing singular value ${s[j]}`);
      assertOrthonormalColumns(u, rows, rows, rows, 'U');
      assertOrthonormalColumns(v, cols, cols, cols, 'V');
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let r = 0;
          for (let t = 0; t < cols; t++) r += u[i * rows + t] * s[t] * v[j * cols + t];
          assert.ok(Math.abs(r - a[i * cols + j]) <= 1e-12, `(${i},${j})`);
        }
      }
    });
  }
});
