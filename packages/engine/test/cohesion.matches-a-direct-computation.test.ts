import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterCohesion } from '../src/index.ts';

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('cluster cohesion matches a direct computation', () => {
  // Six 2-d points, three clusters (cluster 2 empty), one noise point and one zero vector.
  const d = 2;
  const data = new Float32Array([
    1, 0, // 0 → cluster 0
    0, 1, // 1 → cluster 0
    3, 4, // 2 → cluster 1
    0, 0, // 3 → cluster 1 (zero vector)
    -2, 5, // 4 → noise
    6, 8, // 5 → cluster 1
  ]);
  const labels = new Int32Array([0, 0, 1, 1, -1, 1]);
  const centroids = new Float32Array([0.5, 0.5, 3, 4, 9, 9]);
  const result = clusterCohesion(data, 6, d, labels, centroids, 3);

  it('counts members and ignores noise', () => {
    assert.deepEqual([...result.counts], [2, 3, 0]);
  });

  it('cosine similarities, with zero vectors counted as 0 and empty clusters as NaN', () => {
    // Cluster 0: both points are at 45° to (0.5, 0.5).
    close(result.meanCosineSimilarity[0], Math.SQRT1_2, 'mean cos 0');
    close(result.minCosineSimilarity[0], Math.SQRT1_2, 'min cos 0');
    // Cluster 1: (3,4) and (6,8) are parallel to (3,4): cos 1; (0,0) counts as 0.
    close(result.meanCosineSimilarity[1], 2 / 3, 'mean cos 1');
    assert.equal(result.minCosineSimilarity[1], 0);
    assert.ok(Number.isNaN(result.meanCosineSimilarity[2]));
    assert.ok(Number.isNaN(result.minCosineSimilarity[2]));
  });

  it('euclidean distance of every point to its own centroid, NaN for noise', () => {
    const expected = [Math.SQRT1_2, Math.SQRT1_2, 0, 5, NaN, 5];
    for (let i = 0; i < 6; i++) {
      if (Number.isNaN(expected[i])) assert.ok(Number.isNaN(result.distanceToCentroid[i]), `point ${i}`);
      else close(result.distanceToCentroid[i], expected[i], `distance ${i}`);
    }
  });

  it('rejects labels outside -1..k-1 and mis-sized centroids', () => {
    assert.throws(() => clusterCohesion(data, 6, d, new Int32Array([0, 0, 3, 1, -1, 1]), centroids, 3), /label 3/);
    assert.throws(() => clusterCohesion(data, 6, d, labels, new Float32Array(4), 3), /centroids/);
  });
});
