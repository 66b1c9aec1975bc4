import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../../src/domain/errors.ts';
import { openStore } from '../../src/storage/kysely/index.ts';
import type { Store } from '../../src/storage/store.ts';
import { freshTestDatabase, type TestDatabase } from '../helpers/test-server.ts';

// The same queue contract on whichever database this pass runs (SQLite, or PostgreSQL when
// CENTROID_TEST_DATABASE_URL is set): claims, leases, recovery and limits live in SQL.
let database: TestDatabase;
let store: Store;
let seq = 0;

before(async () => {
  database = await freshTestDatabase();
  store = await openStore({ dataDir: database.settings.dataDir!, databaseUrl: database.settings.databaseUrl ?? null, databasePoolSize: 8 });
});
after(async () => {
  await store.close();
  await database.drop();
});

async function namespaceWithClusters(count: number): Promise<{ namespaceId: string; clusterIds: string[] }> {
  const ns = await store.namespaces.create({ namespaceName: `ns${++seq}`, description: null, settings: {} });
  const clusterIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const clusterId = `clust_${seq}_${i}`;
    await store.clusters.create({ clusterId, namespaceId: ns.namespaceId, clusterName: `c${i}`, description: null, config: {}, metadata: {} });
    clusterIds.push(clusterId);
  }
  return { namespaceId: ns.namespaceId, clusterIds };
}

async function enqueue(namespaceId: string, clusterId: string, maxAttempts = 3) {
  const runId = `run_${++seq}`;
  return store.executions.create({ runId, taskId: `task_${seq}`, clusterId, namespaceId, config: {}, maxAttempts });
}

test('concurrent claims hand each pending execution to exactly one owner', async () => {
  const { namespaceId, clusterIds } = await namespaceWithClusters(12);
  const runIds = new Set<string>();
  for (const clusterId of clusterIds) runIds.add((await enqueue(namespaceId, clusterId)).runId);
  const now = Date.now();
  const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => store.executions.claimNext(`owner${i}`, now, now + 60_000)));
  const claimed = claims.filter((c) => c !== null && runIds.has(c.runId));
  // Claims that lost a race come back empty; every execution went to one owner only.
  assert.equal(new Set(claimed.map((c) => c!.runId)).size, claimed.length, 'no execution claimed twice');
  for (;;) {
    const more = await store.executions.claimNext('late', now, now + 60_000);
    if (!more) break;
    if (runIds.has(more.runId)) claimed.push(more);
  }
  assert.deepEqual(new Set(claimed.map((c) => c!.runId)), runIds);
  for (const c of claimed) assert.equal(c!.attempts, 1);
});

test('one execution in flight per cluster is a database rule', async () => {
  const { namespaceId, clusterIds } = await namespaceWithClusters(1);
  await enqueue(namespaceId, clusterIds[0]!);
  const results = await Promise.allSettled([enqueue(namespaceId, clusterIds[0]!), enqueue(namespaceId, clusterIds[0]!)]);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof AppError && r.reason.code === 'execution_in_flight', String(r.reason));
  }
});

test('a namespace at its limit is skipped while others are claimed', async () => {
  const busy = await namespaceWithClusters(3);
  const idle = await namespaceWithClusters(1);
  const now = Date.now() + 1_000_000; // after every other test's executions were enqueued, before none
  for (const clusterId of busy.clusterIds) await enqueue(busy.namespaceId, clusterId);
  const idleRun = await enqueue(idle.namespaceId, idle.clusterIds[0]!);
  // Drain whatever earlier tests left pending so only this test's rows are claimable.
  const got: string[] = [];
  for (;;) {
    const c = await store.executions.claimNext('w', now, now + 60_000, 1);
    if (!c) break;
    got.push(c.namespaceId);
  }
  assert.equal(got.filter((n) => n === busy.namespaceId).length, 1, 'only one of the busy namespace');
  assert.ok(got.includes(idleRun.namespaceId), 'the other namespace was not held up');
  const processing = await store.executions.listTasks([busy.namespaceId], { filter: null, search: [], sort: { field: 'created_at', direction: 'asc' }, window: { limit: 10, offset: 0 } });
  assert.deepEqual(processing.rows.map((r) => r.status).sort(), ['pending', 'pending', 'processing']);
});

test('expired leases are recovered once, renewed ones never, and the last attempt fails with the reason', async () => {
  const { namespaceId, clusterIds } = await namespaceWithClusters(3);
  const t0 = Date.now() + 2_000_000;
  const renewed = await enqueue(namespaceId, clusterIds[0]!);
  const expired = await enqueue(namespaceId, clusterIds[1]!);
  const last = await enqueue(namespaceId, clusterIds[2]!, 1);
  const owners = new Map<string, string>();
  for (;;) {
    const c = await store.executions.claimNext('w1', t0, t0 + 1000);
    if (!c) break;
    owners.set(c.runId, 'w1');
  }
  for (const e of [renewed, expired, last]) assert.ok(owners.has(e.runId));
  assert.ok(await store.executions.heartbeat(renewed.runId, 'w1', t0 + 10_000));
  // Two reapers at the same moment: each expired execution is recovered by one of them.
  const [a, b] = await Promise.all([store.executions.recoverExpired(t0 + 5000, 0), store.executions.recoverExpired(t0 + 5000, 0)]);
  const requeued = [...a.requeued, ...b.requeued].filter((id) => [renewed.runId, expired.runId, last.runId].includes(id));
  const failed = [...a.failed, ...b.failed].filter((id) => [renewed.runId, expired.runId, last.runId].includes(id));
  assert.deepEqual(requeued, [expired.runId]);
  assert.deepEqual(failed, [last.runId]);
  const failedRow = await store.executions.get(clusterIds[2]!, last.runId);
  assert.equal(failedRow!.status, 'failed');
  assert.match(failedRow!.errorMessage!, /stopped responding on each of 1 attempts/);
  assert.equal((await store.executions.get(clusterIds[0]!, renewed.runId))!.status, 'processing');
  // The re-queued one is claimable again, by someone else, as its second attempt; the old owner lost it.
  // (Earlier tests' executions, long expired by now, come back to the queue too: pass over them.)
  let again = await store.executions.claimNext('w2', t0 + 5000, t0 + 9000);
  while (again && again.runId !== expired.runId) again = await store.executions.claimNext('w2', t0 + 5000, t0 + 9000);
  assert.equal(again?.runId, expired.runId);
  assert.equal(again?.attempts, 2);
  assert.equal(await store.executions.heartbeat(expired.runId, 'w1', t0 + 9000), null);
  // Handing back at shutdown does not use up an attempt.
  assert.ok(await store.executions.release(expired.runId, 'w2'));
  const released = await store.executions.get(clusterIds[1]!, expired.runId);
  assert.equal(released!.status, 'pending');
  assert.equal(released!.attempts, 1);
});

test('text operators on numeric fields and case folding give the same rows on either dialect', async () => {
  const { namespaceId, clusterIds } = await namespaceWithClusters(3);
  const t0 = Date.now() + 3_000_000;
  const points = [1234, 5678, 9123];
  const labels = ['Alpha Topic', 'beta topic', 'GAMMA'];
  for (const [i, clusterId] of clusterIds.entries()) {
    const e = await enqueue(namespaceId, clusterId);
    let c = await store.executions.claimNext('w', t0, t0 + 60_000);
    while (c && c.runId !== e.runId) c = await store.executions.claimNext('w', t0, t0 + 60_000);
    const metrics = { silhouette_score: 0.5, davies_bouldin_index: 1, calinski_harabasz_score: 10, silhouette_sample_size: null };
    const centroids = [{ cluster_id: 'cl_0', num_members: 1, label: labels[i]!, summary: null, keywords: null, mean_cosine_similarity: 1, min_cosine_similarity: 1 }];
    assert.ok(await store.executions.complete(e.runId, 'w', { numClusters: 2, numPoints: points[i]!, metrics, centroids, llmLabelingErrors: null, details: { algorithm: 'kmeans' } } as never, [], t0));
  }
  const list = async (filter: unknown, search: string[] = []) =>
    (await store.executions.listTasks([namespaceId], { filter: filter as never, search, sort: { field: 'num_points', direction: 'asc' }, window: { limit: 10, offset: 0 } })).rows.map((r) => r.numPoints);
  const condition = (field: string, fieldKind: string, operator: string, value: unknown, caseSensitive = false) => ({ kind: 'condition', field, fieldKind, operator, value, caseSensitive });
  assert.deepEqual(await list(condition('num_points', 'number', 'contains', '23')), [1234, 9123]);
  assert.deepEqual(await list(condition('num_points', 'number', 'starts_with', '5')), [5678]);
  assert.deepEqual(await list(condition('num_points', 'number', 'regex', '^9')), [9123]);
  assert.deepEqual(await list(condition('num_points', 'number', 'gte', 5678)), [5678, 9123]);
  assert.deepEqual(await list(condition('status', 'string', 'eq', 'COMPLETED')), points, 'case-insensitive by default');
  assert.deepEqual(await list(condition('status', 'string', 'eq', 'COMPLETED', true)), [], 'case_sensitive honoured');
  assert.deepEqual(await list(condition('status', 'string', 'starts_with', 'Comp', true)), [], 'case-sensitive LIKE on both');
  assert.deepEqual(await list(condition('status', 'string', 'starts_with', 'comp', true)), points);
  assert.deepEqual(await list(null, ['TOPIC']), [1234, 5678], 'search ignores case');
});
