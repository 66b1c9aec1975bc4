import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex, createRng } from '../src/index.ts';
import { allFixtures } from './helpers/fixtures.ts';

const L = (xs: number[]) => Int32Array.from(xs);
const choose2 = (x: number) => (x * (x - 1)) / 2;

/** Hubert–Arabie formula from the contingency table, written independently. */
function textbookAri(a: Int32Array, b: Int32Array): number {
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}|${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const v of table.values()) index += choose2(v);
  let sumRows = 0;
  for (const v of rows.values()) sumRows += choose2(v);
  let sumCols = 0;
  for (const v of cols.values()) sumCols += choose2(v);
  const expected = (sumRows * sumCols) / choose2(a.length);
  const max = (sumRows + sumCols) / 2;
  return (index - expected) / (max - expected);
}

describe('adjusted Rand index matches hand-computed values', () => {
  it('reproduces the examples from scikit-learn’s documentation', () => {
    assert.equal(adjustedRandIndex(L([0, 0, 1, 1]), L([0, 0, 1, 1])), 1);
    assert.equal(adjustedRandIndex(L([0, 0, 1, 1]), L([1, 1, 0, 0])), 1);
    assert.ok(Math.abs(adjustedRandIndex(L([0, 0, 1, 2]), L([0, 0, 1, 1])) - 0.5714285714285714) < 1e-15);
    assert.ok(Math.abs(adjustedRandIndex(L([0, 0, 1, 1]), L([0, 0, 1, 2])) - 0.5714285714285714) < 1e-15);
    assert.equal(adjustedRandIndex(L([0, 0, 0, 0]), L([0, 1, 2, 3])), 0);
    assert.equal(adjustedRandIndex(L([0, 0, 1, 1]), L([0, 1, 0, 1])), -0.5);
  });

  it('special cases: identical trivial partitions and empty input score 1', () => {
    assert.equal(adjustedRandIndex(L([5, 5, 5]), L([-1, -1, -1])), 1);
    assert.equal(adjustedRandIndex(L([0, 1, 2]), L([2, 0, 1])), 1);
    assert.equal(adjustedRandIndex(L([]), L([])), 1);
  });

  it('agrees with the textbook formula on random partitions', () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + rng.nextInt(200);
      const a = new Int32Array(n);
      const b = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = rng.nextInt(4) - 1;
        b[i] = rng.nextFloat() < 0.7 ? a[i] * 3 : rng.nextInt(6);
      }
      const ours = adjustedRandIndex(a, b);
      assert.ok(Math.abs(ours - textbookAri(a, b)) < 1e-12, `trial ${trial}`);
      assert.equal(ours, adjustedRandIndex(b, a), 'symmetric');
    }
  });

  it('equals scikit-learn’s ARI between k-means and ground truth on every fixture', () => {
    for (const fx of allFixtures()) {
      assert.ok(Math.abs(adjustedRandIndex(fx.trueLabels, fx.kmeansLabels) - fx.ariKmeansVsTrue) < 1e-12, fx.name);
    }
  });

  it('rejects arrays of different lengths', () => {
    assert.throws(() => adjustedRandIndex(L([0, 1]), L([0])), /differ in length/);
  });
});
