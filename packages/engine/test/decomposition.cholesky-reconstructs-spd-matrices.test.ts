import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyLower, invertLowerTriangular } from '../src/decomposition/cholesky.ts';
import { createRng } from '../src/rng.ts';

function randomSpd(d: number, seed: number, ridge: number): Float64Array {
  const rng = createRng(seed);
  const b = new Float64Array(d * d).map(() => rng.nextFloat() * 2 - 1);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += b[i * d + t] * b[j * d + t];
      a[i * d + j] = s + (i === j ? ridge : 0);
    }
  }
  return a;
}

describe('dense Cholesky', () => {
  for (const d of [1, 2, 7, 33]) {
    it(`L·Lᵀ reproduces a ${d}×${d} SPD matrix, L is lower triangular, L·L⁻¹ = I`, () => {
      const a = randomSpd(d, d, 0.1);
      const l = choleskyLower(a, d);
      assert.ok(l !== null);
      let scale = 0;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          if (j > i) assert.equal(l[i * d + j], 0);
          let s = 0;
          for (let t = 0; t < d; t++) s += l[i * d + t] * l[j * d + t];
          assert.ok(Math.abs(s - a[i * d + j]) <= 1e-12 * scale, `(${i},${j})`);
        }
      }
      const inv = invertLowerTriangular(l, d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += l[i * d + t] * inv[t * d + j];
          assert.ok(Math.abs(s - (i === j ? 1 : 0)) <= 1e-9, `(L·L⁻¹)(${i},${j}) = ${s}`);
        }
      }
    });
  }
  it('returns null for indefinite, singular or NaN input', () => {
    assert.equal(choleskyLower(new Float64Array([1, 2, 2, 1]), 2), null);
    assert.equal(choleskyLower(new Float64Array([1, 1, 1, 1]), 2), null);
    assert.equal(choleskyLower(new Float64Array([Number.NaN]), 1), null);
    assert.equal(choleskyLower(new Float64Array([0]), 1), null);
  });
});
