import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ComputationCanceledError, kmeans } from '../src/index.ts';
import { uniformMatrix } from './helpers/random-data.ts';

describe('k-means shouldStop cancels the computation', () => {
  const data = uniformMatrix(2000, 8, 1);

  it('throws ComputationCanceledError when asked to stop up front', () => {
    assert.throws(
      () => kmeans(data, 2000, 8, { nClusters: 5, randomState: 0, shouldStop: () => true }),
      (err: unknown) => err instanceof ComputationCanceledError && err instanceof Error && err.name === 'ComputationCanceledError',
    );
  });

  for (const algorithm of ['lloyd', 'elkan'] as const) {
    it(`stops mid-run after a few polls (${algorithm})`, () => {
      let polls = 0;
      assert.throws(
        () =>
          kmeans(data, 2000, 8, {
            nClusters: 5,
            nInit: 10,
            tol: 0,
            randomState: 0,
            algorithm,
            shouldStop: () => ++polls > 12,
          }),
        ComputationCanceledError,
      );
      assert.equal(polls, 13, 'no work continues after the stop request');
    });
  }

  it('a callback that never fires leaves the result untouched', () => {
    let polls = 0;
    const a = kmeans(data, 2000, 8, { nClusters: 5, nInit: 2, randomState: 0, shouldStop: () => (polls++, false) });
    const b = kmeans(data, 2000, 8, { nClusters: 5, nInit: 2, randomState: 0 });
    assert.ok(polls > 2);
    assert.deepEqual(a.labels, b.labels);
  });
});
