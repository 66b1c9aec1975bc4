import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownsBlock } from '../src/linalg/kernel-types.ts';
import { kernels, useKernels } from '../src/linalg/kernels.ts';
import { uniformMatrix } from './helpers/random-data.ts';

test('every block row belongs to exactly one part, dealt back and forth', () => {
  for (const count of [1, 2, 3, 4, 7]) {
    for (let block = 0; block < 50; block++) {
      const owners = Array.from({ length: count }, (_, index) => index).filter((index) => ownsBlock(block, { index, count }));
      assert.equal(owners.length, 1, `block ${block} of ${count} parts`);
    }
  }
  const order = Array.from({ length: 8 }, (_, block) => [0, 1].find((index) => ownsBlock(block, { index, count: 2 })));
  assert.deepEqual(order, [0, 1, 1, 0, 0, 1, 1, 0]);
  assert.ok(ownsBlock(5, undefined));
});

for (const backend of ['wasm', 'typescript'] as const) {
  test(`${backend}: the parts' distance sums add up to the whole`, () => {
    useKernels(backend);
    try {
      const m = 1100;
      const d = 13;
      const x = uniformMatrix(m, d, 4);
      const codes = Int32Array.from({ length: m }, (_, i) => (i * 7) % 5);
      const ws = kernels().open(d);
      try {
        const rows = ws.matrix(x, m, null, 'always');
        const whole = rows.distanceSumsByLabel(codes, 5);
        for (const count of [2, 3]) {
          const added = new Float64Array(whole.length);
          for (let index = 0; index < count; index++) {
            const share = rows.distanceSumsByLabel(codes, 5, undefined, { index, count });
            assert.ok(share.some((v) => v > 0), `part ${index} of ${count} did some work`);
            for (let i = 0; i < added.length; i++) added[i] += share[i]!;
          }
          for (let i = 0; i < whole.length; i++) assert.ok(Math.abs(added[i]! - whole[i]!) <= 1e-9 * whole[i]!, `${count} parts, sum ${i}`);
        }
      } finally {
        ws.close();
      }
    } finally {
      useKernels('wasm');
    }
  });
}
