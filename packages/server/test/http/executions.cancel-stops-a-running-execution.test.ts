import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({}, 'cancel');
  await seedCollection(server, 'cancel', blobs(40, 400, 32).vectors);
});
after(() => server.close());

test('cancel ends a processing execution as failed within seconds and its task as CANCELED', async () => {
  // Many restarts with a tiny tolerance keep this execution busy far longer than the test waits.
  const c = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'slow', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 200, n_init: 500, tol: 1e-12, max_iter: 1000 } } },
  });
  const task = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
  const runId = task.body.additional_data.run_id;
  await waitFor(() => server.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'processing');
  const started = Date.now();
  const canceled = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/executions/${runId}/cancel`);
  assert.equal(canceled.status, 200);
  const final = await waitFor(() => server.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'failed', 5000);
  assert.ok(Date.now() - started < 3000, 'stopped within a few seconds');
  assert.match(final.body.error_message, /cancel/i);
  assert.notEqual(final.body.completed_at, null);
  assert.equal((await server.call('GET', `/v1/tasks/${task.body.task_id}`)).body.status, 'CANCELED');
  const again = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/executions/${runId}/cancel`);
  assert.equal(again.status, 200, 'canceling twice is harmless');

  // The cluster is free again: a new execution can start, and a pending one cancels at once.
  const next = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
  assert.equal(next.status, 200);
  const killed = await server.call('DELETE', `/v1/tasks/${next.body.task_id}`);
  assert.equal(killed.status, 200);
  await waitFor(() => server.call('GET', `/v1/tasks/${next.body.task_id}`), (r) => r.body.status === 'CANCELED', 5000);
});
