/**
 * Builds the space a multi-feature clustering runs in: each feature block (one embedding per
 * document) optionally L2-normalised row by row, scaled, and the blocks laid side by side.
 *
 * A block is scaled by √weight, so each feature's share of the squared euclidean distance (and of
 * the dot product) is proportional to its weight: weights {a: 0.7, b: 0.3} mean a contributes 70% of
 * what it would alone. With normalisation, a zero row stays zero (it has no direction).
 */
import { checkMatrix } from '../validate.ts';

export interface FeatureMatrix {
  data: Float32Array;
  d: number;
}

export interface CombineOptions {
  normalize: boolean;
  /** One per block, ≥ 0; null means 1 for every block. */
  weights: readonly number[] | null;
}

export function combineFeatures(blocks: readonly FeatureMatrix[], n: number, options: CombineOptions): FeatureMatrix {
  if (blocks.length === 0) throw new RangeError('at least one feature block is needed');
  const weights = options.weights ?? blocks.map(() => 1);
  if (weights.length !== blocks.length) throw new RangeError(`got ${weights.length} weights for ${blocks.length} features`);
  weights.forEach((w, f) => {
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`feature_weights must be finite numbers ≥ 0, got ${w} for feature ${f}`);
  });
  for (const block of blocks) checkMatrix(block.data, n, block.d);

  const totalD = blocks.reduce((s, b) => s + b.d, 0);
  // Shared memory: row-parallel steps hand their helper threads views of it instead of copies.
  const out = new Float32Array(new SharedArrayBuffer(n * totalD * 4));
  for (let i = 0; i < n; i++) {
    let offset = i * totalD;
    for (let f = 0; f < blocks.length; f++) {
      const { data, d } = blocks[f]!;
      const row = i * d;
      let scale = Math.sqrt(weights[f]!);
      if (options.normalize) {
        let sq = 0;
        for (let j = 0; j < d; j++) sq += data[row + j]! * data[row + j]!;
        scale = sq > 0 ? scale / Math.sqrt(sq) : 0;
      }
      for (let j = 0; j < d; j++) out[offset + j] = data[row + j]! * scale;
      offset += d;
    }
  }
  return { data: out, d: totalD };
}
