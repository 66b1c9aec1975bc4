import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CenterUpdater } from '../src/cluster/kmeans-steps.ts';
import { kernels } from '../src/linalg/kernels.ts';

function update(data: Float32Array, d: number, k: number, labels: Int32Array, centersOld: Float32Array) {
  const n = labels.length;
  const ws = kernels().open(d);
  try {
    const updater = new CenterUpdater(ws, data, n, d, k);
    const centersNew = new Float32Array(k * d);
    updater.update(labels, centersOld, centersNew);
    return { centersNew, shift: updater.shift };
  } finally {
    ws.close();
  }
}

describe('the k-means update relocates empty clusters to far-away points', () => {
  it('moves the point farthest from its center into the empty cluster', () => {
    // 1-d points; cluster 1 has no members. Point 3 (x=10) is farthest from
    // its center (0) and must seed cluster 1, leaving cluster 0 with the rest.
    const data = new Float32Array([0, 1, -1, 10]);
    const labels = new Int32Array([0, 0, 0, 0]);
    const { centersNew, shift } = update(data, 1, 2, labels, new Float32Array([0, 100]));
    assert.deepEqual([...centersNew], [0, 10]);
    assert.deepEqual([...shift], [0, 90]);
    assert.deepEqual([...labels], [0, 0, 0, 0], 'labels are left for the next E-step');
  });

  it('fills several empty clusters with distinct points, farthest first', () => {
    const data = new Float32Array([0, 0, 0.5, 0, 7, 0, 0, -3]);
    const labels = new Int32Array([0, 0, 0, 0]);
    const { centersNew } = update(data, 2, 3, labels, new Float32Array([0, 0, 50, 50, 60, 60]));
    assert.deepEqual([...centersNew], [0.25, 0, 7, 0, 0, -3]);
  });

  it('keeps the label sums intact for the next step', () => {
    // Relocation edits one step's centers only: when the labels then change,
    // the incremental sums must still be those of the labels.
    const data = new Float32Array([0, 1, -1, 10]);
    const ws = kernels().open(1);
    try {
      const updater = new CenterUpdater(ws, data, 4, 1, 2);
      const centers = new Float32Array(2);
      updater.update(new Int32Array([0, 0, 0, 0]), new Float32Array([0, 100]), centers);
      updater.update(new Int32Array([0, 0, 0, 1]), centers.slice(), centers);
      assert.deepEqual([...centers], [0, 10]);
      updater.update(new Int32Array([0, 1, 0, 1]), centers.slice(), centers);
      assert.deepEqual([...centers], [-0.5, 5.5]);
    } finally {
      ws.close();
    }
  });
});
