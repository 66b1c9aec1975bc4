import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockLanczos } from '../src/decomposition/block-lanczos.ts';
import type { BlockOperator } from '../src/decomposition/block-lanczos.ts';
import { symmetricEigen } from '../src/decomposition/symmetric-eigen.ts';
import { createRng } from '../src/rng.ts';

function denseOperator(a: Float64Array, n: number): BlockOperator {
  return {
    n,
    apply(x, b, y) {
      y.fill(0, 0, n * b);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const v = a[i * n + j];
          for (let c = 0; c < b; c++) y[i * b + c] += v * x[j * b + c];
        }
      }
    },
  };
}

/** Random symmetric noise plus planted top eigenvalues (some repeated). */
function plantedMatrix(n: number, planted: number[], seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = (rng.nextFloat() - 0.5) / Math.sqrt(n);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  for (const lambda of planted) {
    const v = new Float64Array(n).map(() => rng.nextFloat() - 0.5);
    const norm2 = v.reduce((s, x) => s + x * x, 0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += (lambda * v[i] * v[j]) / norm2;
  }
  return a;
}

function checkPairs(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array, count: number, expected: number[]): void {
  for (let j = 0; j < count; j++) {
    assert.ok(Math.abs(values[j] - expected[j]) <= 1e-9, `θ${j} ${values[j]} vs ${expected[j]}`);
    let residual = 0;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let t = 0; t < n; t++) av += a[i * n + t] * vectors[t * count + j];
      residual += (av - values[j] * vectors[i * count + j]) ** 2;
    }
    assert.ok(Math.sqrt(residual) <= 1e-8, `‖A·v − θ·v‖ for pair ${j}: ${Math.sqrt(residual)}`);
    for (let k = 0; k <= j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * count + j] * vectors[i * count + k];
      assert.ok(Math.abs(dot - (j === k ? 1 : 0)) <= 1e-9, `v${j}·v${k} = ${dot}`);
    }
  }
}

describe('block Lanczos finds the algebraically largest eigenpairs', () => {
  const n = 180;
  for (const [planted, count, blockSize] of [
    [[3, 3, 2.5], 5, undefined], // a double eigenvalue among the wanted ones
    [[4, 4, 4, 2], 4, 4],
    [[2, 1.9, 1.8, 1.7, 1.6, 1.5], 6, 2], // close values, small blocks
  ] as [number[], number, number | undefined][]) {
    it(`planted ${planted.join(', ')}: top ${count} with block size ${blockSize ?? 'default'}`, () => {
      const a = plantedMatrix(n, planted, planted.length * 31 + count);
      const expected = Array.from(symmetricEigen(a, n).values).reverse();
      const result = blockLanczos(denseOperator(a, n), { count, blockSize, rng: createRng(4), tol: 1e-12 });
      assert.ok(result.converged);
      checkPairs(a, n, result.values, result.vectors, count, expected);
    });
  }

  it('deflated vectors are excluded from the search', () => {
    const a = plantedMatrix(n, [5, 3, 2], 77);
    const eig = symmetricEigen(a, n);
    // Deflate the top eigenvector: the next three become the answer.
    const top = new Float64Array(n);
    for (let i = 0; i < n; i++) top[i] = eig.vectors[i * n + n - 1];
    const result = blockLanczos(denseOperator(a, n), { count: 3, rng: createRng(1), deflate: top, deflateCount: 1, tol: 1e-12 });
    const expected = Array.from(eig.values).reverse().slice(1);
    checkPairs(a, n, result.values, result.vectors, 3, expected);
    for (let j = 0; j < 3; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += top[i] * result.vectors[i * 3 + j];
      assert.ok(Math.abs(dot) <= 1e-9, `vector ${j} is orthogonal to the deflated one`);
    }
  });

  it('tiny problems are solved densely with the same answer', () => {
    const m = 12;
    const a = plantedMatrix(m, [2, 1], 5);
    const expected = Array.from(symmetricEigen(a, m).values).reverse();
    const result = blockLanczos(denseOperator(a, m), { count: 3, rng: createRng(2) });
    checkPairs(a, m, result.values, result.vectors, 3, expected);
  });
});
