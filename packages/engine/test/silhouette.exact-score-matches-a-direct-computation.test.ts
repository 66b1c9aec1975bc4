import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silhouetteScore } from '../src/index.ts';
import { useKernels } from '../src/linalg/kernels.ts';
import { assertRelClose } from './helpers/fixtures.ts';
import { uniformMatrix } from './helpers/random-data.ts';

/** Textbook O(n²) silhouette with direct differences, scikit-learn's conventions. */
function naiveSilhouette(data: Float32Array, n: number, d: number, labels: Int32Array): number {
  const names = [...new Set(labels)];
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, number>(names.map((l) => [l, 0]));
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t] - data[j * d + t]) ** 2;
      sums.set(labels[j], sums.get(labels[j])! + Math.sqrt(s));
    }
    const own = labels[i];
    if (counts.get(own) === 1) continue; // singleton: s = 0
    const a = sums.get(own)! / (counts.get(own)! - 1);
    let b = Infinity;
    for (const l of names) if (l !== own) b = Math.min(b, sums.get(l)! / counts.get(l)!);
    const s = (b - a) / Math.max(a, b);
    total += Number.isFinite(s) ? s : 0;
  }
  return total / n;
}

// The TypeScript kernels accumulate in float64; the WebAssembly ones multiply
// and add in float32 within blocks of 128 values, so they agree to ~1e-7.
const BACKENDS = [
  ['typescript', 1e-10],
  ['wasm', 1e-6],
] as const;

for (const [backend, rel] of BACKENDS) {
  describe(`exact silhouette matches a direct computation (${backend} kernels)`, () => {
    it('on random data with uneven clusters, a singleton and a noise-like label', () => {
      useKernels(backend);
      const n = 203;
      const d = 5;
      const data = uniformMatrix(n, d, 11);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = i % 7 === 0 ? -1 : (i * 31) % 4;
      labels[200] = 99; // singleton cluster
      assertRelClose(silhouetteScore(data, n, d, labels), naiveSilhouette(data, n, d, labels), rel, 'silhouette');
    });

    it('when many labels force the memory-bounded row-block path', () => {
      useKernels(backend);
      // n·L above 2^23 sums makes the symmetric path fall back to row blocks.
      const n = 3000;
      const d = 2;
      const data = uniformMatrix(n, d, 5);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = i % 2900;
      assertRelClose(silhouetteScore(data, n, d, labels), naiveSilhouette(data, n, d, labels), 10 * rel, 'silhouette');
    });

    it('is 0 when points coincide with their whole cluster and the other cluster', () => {
      useKernels(backend);
      const data = new Float32Array([1, 1, 1, 1, 1, 1, 1, 1]);
      assert.equal(silhouetteScore(data, 4, 2, new Int32Array([0, 0, 1, 1])), 0);
    });

    it('rejects label counts scikit-learn refuses', () => {
      useKernels(backend);
      const data = uniformMatrix(4, 2, 1);
      assert.throws(() => silhouetteScore(data, 4, 2, new Int32Array([3, 3, 3, 3])), /Number of labels is 1/);
      assert.throws(() => silhouetteScore(data, 4, 2, new Int32Array([0, 1, 2, 3])), /Number of labels is 4/);
      assert.throws(() => silhouetteScore(data, 4, 2, new Int32Array([0, 1, 0])), /labels has length 3/);
    });
  });
}
