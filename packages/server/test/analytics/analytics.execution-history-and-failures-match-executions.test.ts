import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let clusterId: string;
let doomedId: string;
const completed: any[] = [];
const failed: any[] = [];

async function runToEnd(cluster: string) {
  const task = await server.call('POST', `/v1/clusters/${cluster}/execute`);
  assert.equal(task.status, 200, JSON.stringify(task.body));
  const runId = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${cluster}/executions/${runId}`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed');
  return done.body;
}

before(async () => {
  server = await startTestServer({}, 'stats');
  await seedCollection(server, 'stats', blobs(3, 30, 4, 5).vectors);
  const good = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'good', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 1 } } } });
  clusterId = good.body.cluster_id;
  // Two completed runs with different k, then one that fails: a feature no document has.
  completed.push(await runToEnd(clusterId));
  const other = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'bad', vector_config: { feature_uris: ['missing_vector'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } } } });
  doomedId = other.body.cluster_id;
  failed.push(await runToEnd(doomedId));
  failed.push(await runToEnd(doomedId));
  completed.push(await runToEnd(clusterId));
});
after(() => server.close());

test('execution history lists each execution with its duration, size and algorithm, newest first, and a summary', async () => {
  const r = await server.call('GET', `/v1/analytics/clusters/${clusterId}/execution-history`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const body = r.body;
  assert.equal(body.cluster_id, clusterId);
  const span = Date.parse(body.time_range.end) - Date.parse(body.time_range.start);
  assert.equal(span, 168 * 3_600_000, 'default window: 168 hours');
  assert.deepEqual(body.results.map((m: any) => m.execution_id), [completed[1].run_id, completed[0].run_id]);
  for (const metric of body.results) {
    const e = completed.find((c) => c.run_id === metric.execution_id);
    assert.equal(metric.status, 'completed');
    assert.equal(metric.algorithm, 'kmeans');
    assert.equal(metric.num_documents, e.num_points);
    assert.equal(metric.num_clusters, e.num_clusters);
    assert.equal(metric.started_at, e.started_at);
    assert.equal(metric.duration_seconds, (Date.parse(e.completed_at) - Date.parse(e.started_at)) / 1000);
  }
  const s = body.summary;
  assert.equal(s.total_executions, 2);
  assert.deepEqual(s.executions_by_status, { pending: 0, processing: 0, completed: 2, failed: 0 });
  assert.equal(s.success_rate, 1);
  assert.equal(s.avg_num_documents, 90);
  assert.equal(s.avg_num_clusters, 3);
  const durations = body.results.map((m: any) => m.duration_seconds);
  assert.ok(Math.abs(s.avg_duration_seconds - (durations[0] + durations[1]) / 2) < 1e-9);

  const limited = await server.call('GET', `/v1/analytics/clusters/${clusterId}/execution-history?limit=1&hours=1`);
  assert.equal(limited.body.results.length, 1);
  assert.equal(limited.body.results[0].execution_id, completed[1].run_id);
  assert.equal(limited.body.summary.total_executions, 2, 'totals cover the whole window, not just the page');
});

test('failure analysis lists failed executions with message and kind; success rate counts them', async () => {
  const r = await server.call('GET', `/v1/analytics/clusters/${doomedId}/failures?hours=24`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.total_failures, 2);
  assert.deepEqual(r.body.failures.map((f: any) => f.execution_id), [failed[1].run_id, failed[0].run_id]);
  for (const f of r.body.failures) {
    const e = failed.find((x) => x.run_id === f.execution_id);
    assert.equal(f.error_message, e.error_message);
    assert.match(f.error_message, /missing_vector/);
    assert.equal(f.error_type, 'missing_input');
    assert.equal(f.timestamp, e.completed_at);
  }
  const history = await server.call('GET', `/v1/analytics/clusters/${doomedId}/execution-history`);
  assert.equal(history.body.summary.success_rate, 0);
  assert.deepEqual(history.body.summary.executions_by_status, { pending: 0, processing: 0, completed: 0, failed: 2 });
  assert.equal(history.body.summary.avg_duration_seconds, null, 'no completed executions to average');
  const none = await server.call('GET', `/v1/analytics/clusters/${clusterId}/failures`);
  assert.deepEqual([none.body.total_failures, none.body.failures], [0, []]);
});

test('query bounds and unknown clusters are refused like the reference', async () => {
  for (const [query, loc] of [['hours=0', 'hours'], ['hours=721', 'hours'], ['limit=0', 'limit'], ['limit=1001', 'limit'], ['hours=abc', 'hours']] as const) {
    const r = await server.call('GET', `/v1/analytics/clusters/${clusterId}/execution-history?${query}`);
    assert.equal(r.status, 422, query);
    assert.deepEqual(r.body.detail[0].loc, ['query', loc]);
  }
  assert.equal((await server.call('GET', `/v1/analytics/clusters/${clusterId}/failures?hours=721`)).status, 422);
  const missing = await server.call('GET', '/v1/analytics/clusters/clust_nope/failures');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'cluster_not_found');
});
