import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs, freshTestDatabase, seedCollection, waitFor, type TestDatabase } from '../helpers/test-server.ts';
import { apiClient, logsAbout, requirePostgres, startProcess, stopAll, type CentroidProcess } from './processes.ts';

type Row = { status: string; attempts: number; lease_owner: string | null; error_message: string | null };
const rowOf = async (database: TestDatabase, runId: string) =>
  (await database.query<Row>('SELECT status, attempts, lease_owner, error_message FROM executions WHERE run_id = $1', [runId]))[0]!;

async function startRun(database: TestDatabase, server: CentroidProcess, namespace: string) {
  const api = apiClient(server.url!, namespace);
  await seedCollection(api as never, namespace, blobs(30, 300, 32).vectors);
  const c = await api.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'long', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 30, n_init: 30, random_state: 1 } } } });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const task = await api.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
  assert.equal(task.status, 200, JSON.stringify(task.body));
  const runId: string = task.body.additional_data.run_id;
  await waitFor(() => rowOf(database, runId), (r) => r.status === 'processing');
  return { api, clusterId: c.body.cluster_id as string, runId };
}

test('SIGTERM lets the running execution finish before the process exits', async () => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const server = await startProcess(database, 'serve', [], { CENTROID_SHUTDOWN_GRACE_MS: '300000' });
    processes.push(server);
    const { runId } = await startRun(database, server, 'drain');
    const code = await server.kill('SIGTERM');
    assert.equal(code, 0, server.output());
    // By the time the process is gone, its execution is done, on its first attempt.
    const row = await rowOf(database, runId);
    assert.equal(row.status, 'completed', row.error_message ?? '');
    assert.equal(Number(row.attempts), 1);
    assert.match(server.output(), /SIGTERM: finishing running executions/);
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});

test('SIGTERM past the grace period hands the execution back; the restarted server runs it to completion', async () => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const server = await startProcess(database, 'serve', [], { CENTROID_SHUTDOWN_GRACE_MS: '0' });
    processes.push(server);
    const { runId, clusterId } = await startRun(database, server, 'handback');
    const code = await server.kill('SIGTERM');
    assert.equal(code, 0, server.output());
    const handedBack = await rowOf(database, runId);
    assert.equal(handedBack.status, 'pending', 'back in the queue, not stuck in processing');
    assert.equal(Number(handedBack.attempts), 0, 'a handed-back attempt does not count');
    assert.equal(handedBack.lease_owner, null);

    const restarted = await startProcess(database, 'serve');
    processes.push(restarted);
    const api = apiClient(restarted.url!, 'handback');
    const final = await waitFor(() => api.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 120_000);
    assert.equal(final.body.status, 'completed', final.body.error_message);
    assert.equal(final.body.num_points, 9000);
    assert.equal(Number((await rowOf(database, runId)).attempts), 1);
    assert.equal(logsAbout([restarted], 'execution completed', runId).length, 1);
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});
