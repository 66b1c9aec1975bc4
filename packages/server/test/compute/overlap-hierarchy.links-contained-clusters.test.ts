import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlapHierarchy } from '../../src/compute/overlap-hierarchy.ts';

test('a cluster mostly inside a larger cluster of another feature becomes its child', () => {
  // Feature A: coarse (two clusters of 5); feature B: fine (clusters of 3, 2, 3, 2).
  const coarse = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  const fine = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 3, -1]);
  const rel = overlapHierarchy([coarse, fine], [['cl_0', 'cl_1'], ['cl_2', 'cl_3', 'cl_4', 'cl_5']]);
  assert.deepEqual(
    rel.map((r) => [r.parent_cluster_id, r.child_cluster_id, r.containment]),
    [['cl_0', 'cl_2', 1], ['cl_0', 'cl_3', 1], ['cl_1', 'cl_4', 1], ['cl_1', 'cl_5', 1]],
  );
});

test('clusters that straddle parents, or are as large as them, are not linked', () => {
  const a = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  const b = Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual(overlapHierarchy([a, b], [['cl_0', 'cl_1'], ['cl_2', 'cl_3']]), []);
});
