import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/index.ts';

const take = (seed: number, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.nextFloat());
};

describe('seeded rng gives the same stream for the same seed', () => {
  it('repeats exactly for equal seeds and differs for different ones', () => {
    assert.deepEqual(take(42, 100), take(42, 100));
    assert.notDeepEqual(take(42, 100), take(43, 100));
    assert.notDeepEqual(take(1, 100), take(1 + 2 ** 32, 100), 'high bits of the seed matter');
    assert.notDeepEqual(take(0, 100), take(-0.5 - 1, 100));
  });

  it('floats lie in [0, 1) and look uniform', () => {
    const xs = take(7, 100000);
    let sum = 0;
    const bins = new Array(10).fill(0);
    for (const x of xs) {
      assert.ok(x >= 0 && x < 1);
      sum += x;
      bins[Math.floor(x * 10)]++;
    }
    assert.ok(Math.abs(sum / xs.length - 0.5) < 0.01);
    for (const b of bins) assert.ok(Math.abs(b - 10000) < 500, `bin count ${b}`);
  });

  it('ints lie in [0, max) and hit every value', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.nextInt(7);
      assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
      seen.add(v);
    }
    assert.equal(seen.size, 7);
    assert.throws(() => rng.nextInt(0), RangeError);
    assert.throws(() => createRng(NaN), RangeError);
  });
});
