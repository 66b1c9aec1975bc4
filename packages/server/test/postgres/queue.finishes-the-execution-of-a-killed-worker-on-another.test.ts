import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs, freshTestDatabase, seedCollection, waitFor } from '../helpers/test-server.ts';
import { apiClient, FAST_QUEUE, logsAbout, requirePostgres, startProcess, stopAll, type CentroidProcess } from './processes.ts';

test('a worker SIGKILLed mid-execution: the other worker takes the execution over after the lease and completes it', async (t) => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const server = await startProcess(database, 'serve', ['--no-workers']);
    processes.push(server);
    const api = apiClient(server.url!, 'killed');
    await seedCollection(api as never, 'killed', blobs(30, 300, 32).vectors);
    const workers = await Promise.all([startProcess(database, 'worker'), startProcess(database, 'worker')]);
    processes.push(...workers);

    // Long enough (seconds) that the kill lands while it runs.
    const c = await api.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'long', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 30, n_init: 40, random_state: 1 } } } });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    const task = await api.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
    assert.equal(task.status, 200, JSON.stringify(task.body));
    const runId: string = task.body.additional_data.run_id;

    const [claimed] = await waitFor(
      () => database.query<{ status: string; lease_owner: string | null }>('SELECT status, lease_owner FROM executions WHERE run_id = $1', [runId]),
      (rows) => rows[0]?.status === 'processing' && rows[0].lease_owner !== null,
    );
    const owner = workers.find((w) => claimed!.lease_owner!.split(':')[1] === String(w.pid));
    assert.ok(owner, `the lease owner ${claimed!.lease_owner} is one of the two workers`);
    const survivor = workers.find((w) => w !== owner)!;
    await owner.kill('SIGKILL');
    const killedAt = Date.now();

    // The survivor's reaper sees the lease expire, re-queues the execution and claims it itself.
    const [retaken] = await waitFor(
      () => database.query<{ status: string; lease_owner: string | null; attempts: number }>('SELECT status, lease_owner, attempts FROM executions WHERE run_id = $1', [runId]),
      (rows) => rows[0]?.lease_owner?.split(':')[1] === String(survivor.pid) || rows[0]?.status === 'completed' || rows[0]?.status === 'failed',
      60_000,
    );
    t.diagnostic(`taken over ${Date.now() - killedAt} ms after the kill (lease ${FAST_QUEUE.CENTROID_LEASE_MS} ms)`);
    assert.notEqual(retaken!.status, 'failed');

    const final = await waitFor(() => api.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 120_000);
    assert.equal(final.body.status, 'completed', final.body.error_message);
    assert.equal(final.body.num_points, 9000);
    const [row] = await database.query<{ attempts: number; members: string }>('SELECT attempts, (SELECT count(*) FROM execution_members m WHERE m.run_id = e.run_id) AS members FROM executions e WHERE run_id = $1', [runId]);
    assert.equal(Number(row!.attempts), 2, 'the killed attempt counted, the second one finished');
    assert.equal(Number(row!.members), 9000, 'one member set, written once');
    const recoveries = logsAbout([survivor], 'execution started', runId);
    assert.equal(recoveries.length, 1, 'the survivor started it once');
    assert.equal(recoveries[0]!.line.attempt, 2);
    assert.equal(logsAbout([survivor], 'execution completed', runId).length, 1);
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});

test('an execution whose workers keep dying is failed with a clear message after its last attempt', async () => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const server = await startProcess(database, 'serve', ['--no-workers'], { CENTROID_MAX_ATTEMPTS: '1' });
    processes.push(server);
    const api = apiClient(server.url!, 'doomed');
    await seedCollection(api as never, 'doomed', blobs(30, 300, 32).vectors);
    const c = await api.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'long', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 30, n_init: 40, random_state: 1 } } } });
    const task = await api.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
    const runId: string = task.body.additional_data.run_id;
    const first = await startProcess(database, 'worker');
    processes.push(first);
    await waitFor(() => database.query<{ status: string }>('SELECT status FROM executions WHERE run_id = $1', [runId]), (rows) => rows[0]?.status === 'processing');
    await first.kill('SIGKILL');
    // Only this worker's reaper is left to notice; with one attempt allowed it must fail the execution.
    const second = await startProcess(database, 'worker');
    processes.push(second);
    const final = await waitFor(() => api.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 60_000);
    assert.equal(final.body.status, 'failed');
    assert.match(final.body.error_message, /stopped responding on each of 1 attempts/);
    assert.equal(logsAbout([second], 'execution started', runId).length, 0, 'it was not run again');
    // The cluster is free for a new execution.
    const again = await api.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});
