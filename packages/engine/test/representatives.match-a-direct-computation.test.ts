import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRepresentatives } from '../src/cluster/representatives.ts';

// 7 points in 2-D, clusters 0 (rows 0-3), 1 (rows 4-5), noise (row 6).
const data = Float32Array.from([0, 0, 1, 0, 10, 0, 1, 3, 5, 5, 7, 9, 100, 100]);
const labels = Int32Array.from([0, 0, 0, 0, 1, 1, -1]);

test('mean is the average of each cluster’s members, ignoring noise', () => {
  const { vectors, medoidRows } = clusterRepresentatives(data, 7, 2, labels, 2, 'mean');
  assert.deepEqual([...vectors], [3, 0.75, 6, 7]);
  assert.equal(medoidRows, null);
});

test('median is taken per coordinate, averaging the middle pair for even sizes', () => {
  const { vectors } = clusterRepresentatives(data, 7, 2, labels, 2, 'median');
  // Cluster 0 x: 0,1,1,10 → 1; y: 0,0,0,3 → 0. Cluster 1: (5+7)/2, (5+9)/2.
  assert.deepEqual([...vectors], [1, 0, 6, 7]);
});

test('medoid is the member nearest the mean, so it is a real row', () => {
  const { vectors, medoidRows } = clusterRepresentatives(data, 7, 2, labels, 2, 'medoid');
  // Mean of cluster 0 is (3, 0.75): squared distances 9.56, 4.56, 49.56, 9.06 → row 1.
  // Cluster 1's members tie at equal distance from (6, 7); the first row wins.
  assert.deepEqual([...medoidRows!], [1, 4]);
  assert.deepEqual([...vectors], [1, 0, 5, 5]);
});

test('an empty cluster gets NaN, and labels outside -1..k-1 are refused', () => {
  const { vectors } = clusterRepresentatives(data, 7, 2, labels, 3, 'mean');
  assert.ok(Number.isNaN(vectors[4]) && Number.isNaN(vectors[5]));
  assert.throws(() => clusterRepresentatives(data, 7, 2, labels, 1, 'mean'), /outside -1..0/);
  assert.throws(() => clusterRepresentatives(data, 7, 2, labels, 2, 'mode' as never), /effective_feature_method/);
});
