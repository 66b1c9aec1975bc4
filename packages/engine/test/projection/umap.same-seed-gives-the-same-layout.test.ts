import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { umap, umapLayouts } from '../../src/projection/umap.ts';
import { blobs } from '../helpers/random-data.ts';

describe('umap determinism', () => {
  const n = 240;
  const d = 40;
  const { data } = blobs(n, d, 3, 21);
  // A small fitted sample and a PCA step: every stage of the pipeline runs.
  const options = { nNeighbors: 10, minDist: 0.1, maxFitPoints: 150, pcaDimensions: 8, nEpochs: 60 };

  it('gives bit-identical layouts for the same seed', () => {
    const a = umap(data, n, d, { ...options, randomState: 7 });
    const b = umap(data, n, d, { ...options, randomState: 7 });
    assert.equal(a.fittedPoints, 150);
    assert.equal(a.searchDimensions, 8);
    assert.equal(a.embedding.length, n * 2);
    assert.deepEqual(Array.from(a.embedding), Array.from(b.embedding));
    for (const v of a.embedding) assert.ok(Number.isFinite(v));
  });

  it('gives a different layout for another seed', () => {
    const a = umap(data, n, d, { ...options, randomState: 7 });
    const b = umap(data, n, d, { ...options, randomState: 8 });
    assert.notDeepEqual(Array.from(a.embedding), Array.from(b.embedding));
  });

  it('makes 2-D and 3-D layouts in one call, each as wide as asked', () => {
    const both = umapLayouts(data, n, d, [2, 3], { ...options, randomState: 7 });
    assert.equal(both.embeddings[0]!.length, n * 2);
    assert.equal(both.embeddings[1]!.length, n * 3);
    // The 2-D layout equals a lone 2-D call with the same seed.
    assert.deepEqual(Array.from(both.embeddings[0]!), Array.from(umap(data, n, d, { ...options, randomState: 7 }).embedding));
  });

  it('rejects invalid options', () => {
    assert.throws(() => umap(data, n, d, { nNeighbors: 1 }), /nNeighbors/);
    assert.throws(() => umap(data, n, d, { minDist: 2 }), /minDist/);
    assert.throws(() => umap(new Float32Array(4), 2, 2), /at least 3 rows/);
  });
});
