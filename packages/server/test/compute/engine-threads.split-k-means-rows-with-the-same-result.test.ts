import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { agglomerative, hdbscan, installRowPool, kmeans, miniBatchKMeans, silhouetteScore, type KMeansResult, type RowPool } from '@centroid/engine';
import { blobs } from '../../../engine/test/helpers/random-data.ts';
import { WorkerRowPool } from '../../src/compute/row-threads.ts';

const workers = new WorkerRowPool();
after(() => installRowPool(null, 1));

/** The worker pool with a count of the tasks each name was sent, and an optional sabotage. */
function observedPool(fail?: (task: string) => boolean): { pool: RowPool; sent: Map<string, number> } {
  const sent = new Map<string, number>();
  const doomed = new Set<number>();
  const pool: RowPool = {
    helpers: (count) => workers.helpers(count),
    post(helper, task, args) {
      sent.set(task, (sent.get(task) ?? 0) + 1);
      const id = workers.post(helper, task, args);
      if (fail?.(task)) doomed.add(id);
      return id;
    },
    await(helper, id) {
      const result = workers.await(helper, id);
      if (doomed.has(id)) throw new Error('sabotaged');
      return result;
    },
  };
  return { pool, sent };
}

function assertSameFit(actual: KMeansResult, expected: KMeansResult, what: string): void {
  assert.deepEqual(Array.from(actual.labels), Array.from(expected.labels), `${what}: labels`);
  assert.deepEqual(Array.from(actual.centroids), Array.from(expected.centroids), `${what}: centroids`);
  assert.equal(actual.inertia, expected.inertia, `${what}: inertia`);
  assert.equal(actual.nIter, expected.nIter, `${what}: iterations`);
}

const { data } = blobs(12_000, 24, 10, 7, 2.5);
const options = { nClusters: 10, nInit: 3, randomState: 11 };

test('k-means on 2 and 3 threads (Elkan and Lloyd) gives the fit of one thread, bit for bit', () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 3);
  for (const algorithm of ['elkan', 'lloyd'] as const) {
    const single = kmeans(data, 12_000, 24, { ...options, algorithm, threads: 1 });
    for (const threads of [2, 3]) {
      const before = sent.get('kmeans.assign') ?? 0;
      const split = kmeans(data, 12_000, 24, { ...options, algorithm, threads });
      assertSameFit(split, single, `${algorithm} on ${threads} threads`);
      // Every iteration of every run went through the helpers.
      assert.ok((sent.get('kmeans.assign') ?? 0) - before >= split.nIter * (threads - 1), `${algorithm}: helpers took assign steps`);
    }
  }
  assert.equal(sent.get('kmeans.open'), sent.get('kmeans.close'), 'every shard opened on a helper was closed');
});

test('mini-batch k-means labels every row on 2 threads exactly as on one', () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 2);
  const single = miniBatchKMeans(data, 12_000, 24, { nClusters: 10, randomState: 3, threads: 1 });
  const split = miniBatchKMeans(data, 12_000, 24, { nClusters: 10, randomState: 3, threads: 2 });
  assertSameFit(split, single, 'mini-batch');
  assert.equal(split.threads, 2);
  assert.equal(sent.get('kmeans.assign'), 1, 'one labelling pass went through the helper');
});

test('the exact silhouette shared over 2 and 3 threads equals the one-thread score to rounding', () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 3);
  const labels = kmeans(data, 12_000, 24, { ...options, threads: 1 }).labels;
  const single = silhouetteScore(data, 12_000, 24, labels, { threads: 1 });
  for (const threads of [2, 3]) {
    const before = sent.get('silhouette.sums') ?? 0;
    const shared = silhouetteScore(data, 12_000, 24, labels, { threads });
    assert.ok(Math.abs(shared - single) <= 1e-12, `${threads} threads: ${shared} vs ${single}`);
    assert.equal((sent.get('silhouette.sums') ?? 0) - before, threads - 1, 'each helper took one share');
  }
  // A failed share is computed by the calling thread instead.
  installRowPool(observedPool((task) => task === 'silhouette.sums').pool, 2);
  assert.ok(Math.abs(silhouetteScore(data, 12_000, 24, labels, { threads: 2 }) - single) <= 1e-12);
});

test("HDBSCAN's core-distance search on 2 threads gives the one-thread result, bit for bit", () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 2);
  const low = blobs(9_000, 5, 12, 21, 1.5).data;
  for (const metric of ['euclidean', 'manhattan'] as const) {
    const single = hdbscan(low, 9_000, 5, { minClusterSize: 15, metric, threads: 1 });
    const before = sent.get('hdbscan.knnHalf') ?? 0;
    const split = hdbscan(low, 9_000, 5, { minClusterSize: 15, metric, threads: 2 });
    assert.equal((sent.get('hdbscan.knnHalf') ?? 0) - before, 1, `${metric}: the helper took half the rows`);
    assert.deepEqual(Array.from(split.coreDistances), Array.from(single.coreDistances), `${metric}: core distances`);
    assert.deepEqual(Array.from(split.labels), Array.from(single.labels), `${metric}: labels`);
  }
  // A helper that fails leaves its half to the calling thread, with the same result.
  installRowPool(observedPool((task) => task === 'hdbscan.knnHalf').pool, 2);
  const fallback = hdbscan(low, 9_000, 5, { minClusterSize: 15, threads: 2 });
  assert.deepEqual(Array.from(fallback.coreDistances), Array.from(hdbscan(low, 9_000, 5, { minClusterSize: 15, threads: 1 }).coreDistances));
});

test('agglomerative clustering fills its distance matrix on 2 threads with the one-thread result', () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 2);
  for (const [d, linkage, metric] of [[20, 'ward', 'euclidean'], [8, 'average', 'manhattan'], [20, 'complete', 'cosine']] as const) {
    const rows = blobs(3_000, d, 9, 13, 2).data;
    const options = { nClusters: 9, linkage, metric, computeDistances: true } as const;
    const single = agglomerative(rows, 3_000, d, { ...options, threads: 1 });
    const before = sent.get('agglomerative.tileRows') ?? 0;
    const split = agglomerative(rows, 3_000, d, { ...options, threads: 2 });
    assert.equal((sent.get('agglomerative.tileRows') ?? 0) - before, 1, `${linkage}: the helper filled its tile rows`);
    assert.deepEqual(Array.from(split.labels), Array.from(single.labels), `${linkage} ${metric}: labels`);
    assert.deepEqual(Array.from(split.distances!), Array.from(single.distances!), `${linkage} ${metric}: merge heights`);
  }
});

test('rows in shared memory are handed to helpers as they are, with the same result', () => {
  installRowPool(observedPool().pool, 2);
  const shared = new Float32Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  assertSameFit(kmeans(shared, 12_000, 24, { ...options, threads: 2 }), kmeans(data, 12_000, 24, { ...options, threads: 1 }), 'shared rows');
});

test('a helper that cannot take its shard leaves the rows to the calling thread: same result', () => {
  const { pool } = observedPool((task) => task === 'kmeans.open');
  installRowPool(pool, 2);
  assertSameFit(kmeans(data, 12_000, 24, { ...options, threads: 2 }), kmeans(data, 12_000, 24, { ...options, threads: 1 }), 'fallback');
});

test('a helper failing mid-fit fails the fit with its error instead of hanging', () => {
  const { pool, sent } = observedPool((task) => task === 'kmeans.moved');
  installRowPool(pool, 2);
  assert.throws(() => kmeans(data, 12_000, 24, { ...options, threads: 2 }), /sabotaged/);
  assert.equal(sent.get('kmeans.open'), sent.get('kmeans.close'), 'the failed fit still closed its shards');
  // The pool stays usable for the next fit.
  installRowPool(observedPool().pool, 2);
  assertSameFit(kmeans(data, 12_000, 24, { ...options, threads: 2 }), kmeans(data, 12_000, 24, { ...options, threads: 1 }), 'after a failure');
});

test('without a pool, or on small data by default, k-means stays on the calling thread', () => {
  const { pool, sent } = observedPool();
  installRowPool(pool, 2);
  kmeans(data, 12_000, 24, options); // 12,000 × 10 × 24 is below the work worth splitting
  assert.equal(sent.size, 0);
  installRowPool(null, 2);
  assertSameFit(kmeans(data, 12_000, 24, { ...options, threads: 2 }), kmeans(data, 12_000, 24, { ...options, threads: 1 }), 'no pool');
});
