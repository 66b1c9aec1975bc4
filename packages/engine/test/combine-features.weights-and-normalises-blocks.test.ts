import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineFeatures } from '../src/features/combine-features.ts';

const text = { data: Float32Array.from([3, 4, 0, 0]), d: 2 }; // rows (3,4) and (0,0)
const image = { data: Float32Array.from([2, 1, 2, 0, 0, 5]), d: 3 }; // rows (2,1,2) and (0,0,5)

test('blocks are laid side by side, row by row', () => {
  const out = combineFeatures([text, image], 2, { normalize: false, weights: null });
  assert.equal(out.d, 5);
  assert.deepEqual([...out.data], [3, 4, 2, 1, 2, 0, 0, 0, 0, 5]);
});

test('normalisation makes each block unit length and leaves zero rows at zero', () => {
  const out = combineFeatures([text, image], 2, { normalize: true, weights: null });
  const expected = [0.6, 0.8, 2 / 3, 1 / 3, 2 / 3, 0, 0, 0, 0, 1];
  out.data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${i}: ${v}`));
});

test('a weight scales its block’s share of the squared distance in proportion', () => {
  const a = { data: Float32Array.from([1, 0]), d: 1 };
  const b = { data: Float32Array.from([0, 1]), d: 1 };
  const out = combineFeatures([a, b], 2, { normalize: false, weights: [0.7, 0.3] });
  // Squared distance between the two rows: 0.7·1 + 0.3·1.
  const sq = (out.data[0]! - out.data[2]!) ** 2 + (out.data[1]! - out.data[3]!) ** 2;
  assert.ok(Math.abs(sq - 1) < 1e-6);
  assert.ok(Math.abs(out.data[0]! ** 2 - 0.7) < 1e-6);
  assert.throws(() => combineFeatures([a, b], 2, { normalize: false, weights: [1] }), /2 features/);
  assert.throws(() => combineFeatures([a, b], 2, { normalize: false, weights: [1, -1] }), /feature_weights/);
});
