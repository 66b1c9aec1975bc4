import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUpdateScratch, updateCenters } from '../src/cluster/kmeans-steps.ts';

describe('the k-means update relocates empty clusters to far-away points', () => {
  it('moves the point farthest from its center into the empty cluster', () => {
    // 1-d points; cluster 1 has no members. Point 3 (x=10) is farthest from
    // its center (0) and must seed cluster 1, leaving cluster 0 with the rest.
    const data = new Float32Array([0, 1, -1, 10]);
    const labels = new Int32Array([0, 0, 0, 0]);
    const centersOld = new Float32Array([0, 100]);
    const centersNew = new Float32Array(2);
    const scratch = createUpdateScratch(2, 1);
    updateCenters(data, 4, 1, 2, labels, centersOld, centersNew, scratch);
    assert.deepEqual([...centersNew], [0, 10]);
    assert.deepEqual([...scratch.shift], [0, 90]);
    assert.deepEqual([...labels], [0, 0, 0, 0], 'labels are left for the next E-step');
  });

  it('fills several empty clusters with distinct points, farthest first', () => {
    const data = new Float32Array([0, 0, 0.5, 0, 7, 0, 0, -3]);
    const labels = new Int32Array([0, 0, 0, 0]);
    const centersOld = new Float32Array([0, 0, 50, 50, 60, 60]);
    const centersNew = new Float32Array(6);
    updateCenters(data, 4, 2, 3, labels, centersOld, centersNew, createUpdateScratch(3, 2));
    assert.deepEqual([...centersNew], [0.25, 0, 7, 0, 0, -3]);
  });
});
