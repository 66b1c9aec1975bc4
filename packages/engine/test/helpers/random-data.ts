// Small deterministic data generators for tests that need no fixture.
import { createRng } from '../../src/index.ts';

/** Uniform values in [-1, 1). */
export function uniformMatrix(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rng.nextFloat() * 2 - 1;
  return out;
}

/** Well-separated Gaussian-ish blobs: centers on a scaled grid, Box–Muller noise. */
export function blobs(n: number, d: number, k: number, seed: number, spread = 0.5): { data: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const centers = new Float64Array(k * d);
  for (let i = 0; i < centers.length; i++) centers[i] = (rng.nextFloat() * 2 - 1) * 20;
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) {
      const u = 1 - rng.nextFloat();
      const v = rng.nextFloat();
      const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      data[i * d + j] = centers[c * d + j] + spread * g;
    }
  }
  return { data, labels };
}
