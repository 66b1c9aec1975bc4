import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbscan } from '../src/cluster/dbscan.ts';
import { createRng } from '../src/rng.ts';
import { blobs } from './helpers/random-data.ts';

// The brute-force path keeps the pairs within eps from its counting pass up
// to 2^23 of them and recomputes distances beyond that. Two dense blobs of
// 3000 rows make some 9 million pairs, forcing the recomputing passes.
describe('DBSCAN brute force with too many pairs to keep equals the kd-tree', () => {
  it('gives the kd-tree path’s labels and core samples', () => {
    const n = 6000;
    const d = 21;
    const data = blobs(n, d, 2, 3, 1).data;
    const rng = createRng(4);
    // Every 50th row becomes scattered noise, some of it near enough to be border.
    for (let i = 0; i < n; i += 50) for (let k = 0; k < d; k++) data[i * d + k] += (rng.nextFloat() * 2 - 1) * 4;
    const options = { eps: 9, minSamples: 40 };
    const brute = dbscan(data, n, d, { ...options, algorithm: 'brute' });
    const tree = dbscan(data, n, d, { ...options, algorithm: 'kd_tree' });
    assert.equal(tree.nClusters, 2);
    const noise = tree.labels.filter((l) => l === -1).length;
    const border = n - tree.coreSampleIndices.length - noise;
    assert.ok(noise > 0 && border > 0, `expected some noise and border rows, got ${noise} and ${border}`);
    assert.deepEqual(Array.from(brute.labels), Array.from(tree.labels));
    assert.deepEqual(Array.from(brute.coreSampleIndices), Array.from(tree.coreSampleIndices));
  });
});
