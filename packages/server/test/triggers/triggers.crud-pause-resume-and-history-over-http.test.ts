import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let clusterId: string;

before(async () => {
  server = await startTestServer({ triggerTickMs: 50 }, 'trig');
  await seedCollection(server, 'trig', blobs(3, 20, 4).vectors);
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'nightly', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 1 } } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  clusterId = created.body.cluster_id;
});
after(() => server.close());

test('create, get, list, update, pause, resume and delete a cron trigger', async () => {
  const created = await server.call('POST', '/v1/clusters/triggers', {
    body: { cluster_id: 'nightly', trigger_type: 'cron', schedule_config: { cron_expression: '0 2 * * *', timezone: 'Europe/Paris' }, description: 'Nightly at 2am Paris' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const t = created.body;
  assert.match(t.trigger_id, /^trig_[0-9a-f]+$/);
  assert.equal(t.cluster_id, clusterId, 'the cluster name resolved to its id');
  assert.equal(t.status, 'active');
  assert.deepEqual(t.schedule_config, { cron_expression: '0 2 * * *', timezone: 'Europe/Paris', cooldown_seconds: 0, max_consecutive_failures: 5 });
  assert.deepEqual(t.execution_config.collection_ids.length, 1);
  assert.equal(t.execution_config.config.algorithm, 'kmeans');
  assert.equal(t.execution_config.config.algorithm_params.n_clusters, 3);
  assert.deepEqual(t.execution_config.config.feature_uris, ['embedding']);
  assert.equal(t.execution_count, 0);
  assert.equal(t.consecutive_failures, 0);
  assert.equal(t.last_execution_status, null);
  const next = new Date(t.next_scheduled_at);
  assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 25 * 3_600_000);
  const parisHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: 'numeric', hourCycle: 'h23' }).format(next));
  assert.equal(parisHour, 2);
  assert.equal(next.getUTCMinutes(), 0);

  const got = await server.call('GET', `/v1/clusters/triggers/${t.trigger_id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, t);

  const patched = await server.call('PATCH', `/v1/clusters/triggers/${t.trigger_id}`, { body: { schedule_config: { cron_expression: '*/5 * * * *' }, description: 'Every five minutes' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.description, 'Every five minutes');
  assert.equal(patched.body.schedule_config.timezone, 'UTC', 'a replaced schedule gets its defaults again');
  const nextPatched = Date.parse(patched.body.next_scheduled_at);
  assert.ok(nextPatched - Date.now() <= 5 * 60_000 && new Date(nextPatched).getUTCMinutes() % 5 === 0, 'next time recomputed for the new expression');

  const paused = await server.call('POST', `/v1/clusters/triggers/${t.trigger_id}/pause`);
  assert.equal(paused.status, 200);
  assert.equal(paused.body.status, 'paused');
  assert.equal(paused.body.status_reason, 'Paused by request');
  assert.equal(paused.body.next_scheduled_at, null);
  const resumed = await server.call('POST', `/v1/clusters/triggers/${t.trigger_id}/resume`);
  assert.equal(resumed.body.status, 'active');
  assert.equal(resumed.body.status_reason, null);
  assert.ok(Date.parse(resumed.body.next_scheduled_at) > Date.now());

  const deleted = await server.call('DELETE', `/v1/clusters/triggers/${t.trigger_id}`);
  assert.equal(deleted.status, 204);
  assert.equal(deleted.body, undefined);
  const gone = await server.call('GET', `/v1/clusters/triggers/${t.trigger_id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 'trigger_not_found');
  assert.equal((await server.call('POST', `/v1/clusters/triggers/${t.trigger_id}/pause`)).status, 404);
});

test('list filters by cluster, type and status, sorts, and paginates', async () => {
  const ids: string[] = [];
  for (const [type, schedule, status] of [
    ['interval', { interval_seconds: 3600 }, 'active'],
    ['interval', { interval_seconds: 7200 }, 'paused'],
    ['event', { event_threshold: 1000 }, 'active'],
    ['conditional', { metric: 'total', threshold: 1_000_000 }, 'active'],
  ] as const) {
    const r = await server.call('POST', '/v1/clusters/triggers', { body: { cluster_id: clusterId, trigger_type: type, schedule_config: schedule, status } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.trigger_id);
  }
  const all = await server.call('POST', '/v1/clusters/triggers/list', { body: {} });
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 4);
  assert.deepEqual([all.body.offset, all.body.limit], [0, 50]);
  assert.deepEqual(all.body.results.map((r: any) => r.trigger_id), [...ids].reverse(), 'newest first by default');

  const intervals = await server.call('POST', '/v1/clusters/triggers/list', { body: { trigger_type: 'interval', sort_by: 'created_at', direction: 'asc' } });
  assert.deepEqual(intervals.body.results.map((r: any) => r.trigger_id), ids.slice(0, 2));
  const active = await server.call('POST', '/v1/clusters/triggers/list', { body: { status: 'active', cluster_id: 'nightly' } });
  assert.equal(active.body.total, 3);
  const page = await server.call('POST', '/v1/clusters/triggers/list', { body: { offset: 1, limit: 2, direction: 'asc' } });
  assert.deepEqual(page.body.results.map((r: any) => r.trigger_id), ids.slice(1, 3));
  assert.equal(page.body.total, 4);
  const none = await server.call('POST', '/v1/clusters/triggers/list', { body: { cluster_id: 'clust_unknown' } });
  assert.equal(none.body.total, 0);
  for (const id of ids) assert.equal((await server.call('DELETE', `/v1/clusters/triggers/${id}`)).status, 204);
});

test('bad requests are refused with 422s that name the field and say how to fix it', async () => {
  const create = (body: unknown) => server.call('POST', '/v1/clusters/triggers', { body });
  const clustersBefore = (await server.call('POST', '/v1/clusters/list', { body: {} })).body.total_count;
  const cases: Array<[unknown, (string | number)[], RegExp]> = [
    [{ cluster_id: clusterId, trigger_type: 'cron', schedule_config: { cron_expression: '61 * * * *' } }, ['body', 'schedule_config', 'cron_expression'], /Invalid cron expression '61 \* \* \* \*'.*minute/],
    [{ cluster_id: clusterId, trigger_type: 'cron', schedule_config: { cron_expression: '0 2 * * *', timezone: 'Mars/Olympus' } }, ['body', 'schedule_config', 'timezone'], /IANA/],
    [{ cluster_id: clusterId, trigger_type: 'cron', schedule_config: {} }, ['body', 'schedule_config', 'cron_expression'], /Field required/],
    [{ cluster_id: clusterId, trigger_type: 'interval', schedule_config: { interval_seconds: 0 } }, ['body', 'schedule_config', 'interval_seconds'], /between 1 and/],
    [{ cluster_id: clusterId, trigger_type: 'interval', schedule_config: { interval_seconds: 60, intervall: 5 } }, ['body', 'schedule_config', 'intervall'], /Extra inputs/],
    [{ cluster_id: clusterId, trigger_type: 'event', schedule_config: { event_type: 'documents_deleted', event_threshold: 5 } }, ['body', 'schedule_config', 'event_type'], /documents_added/],
    [{ cluster_id: clusterId, trigger_type: 'event', schedule_config: { event_threshold: 5, collection_id: 'nope' } }, ['body', 'schedule_config', 'collection_id'], /not found/],
    [{ cluster_id: clusterId, trigger_type: 'conditional', schedule_config: { condition_type: 'drift', metric: 'cosine_drift', threshold: 0.3 } }, ['body', 'schedule_config', 'condition_type'], /not supported.*document_count/],
    [{ cluster_id: clusterId, trigger_type: 'weekly', schedule_config: {} }, ['body', 'trigger_type'], /cron|interval/],
    [{ trigger_type: 'interval', schedule_config: { interval_seconds: 60 } }, ['body', 'cluster_id'], /cluster_id .* or execution_config/],
    [{ cluster_id: clusterId, execution_config: { collection_ids: ['docs'], config: { algorithm: 'kmeans' } }, trigger_type: 'interval', schedule_config: { interval_seconds: 60 } }, ['body', 'execution_config'], /not both/],
    [{ execution_config: { collection_ids: ['docs'], config: { algorithm: 'kmeans', n_clusters: 2 } }, trigger_type: 'interval', schedule_config: { interval_seconds: 60 } }, ['body', 'execution_config', 'config', 'feature_uris'], /Field required/],
    [{ execution_config: { collection_ids: ['docs'], config: { algorithm: 'birch', feature_uris: ['embedding'] } }, trigger_type: 'interval', schedule_config: { interval_seconds: 60 } }, ['body', 'execution_config', 'config', 'algorithm'], /Unknown algorithm 'birch'/],
    [{ execution_config: { collection_ids: ['docs'], config: { algorithm: 'kmeans', feature_uris: ['embedding'], n_cluster: 2 } }, trigger_type: 'interval', schedule_config: { interval_seconds: 60 } }, ['body', 'execution_config', 'config', 'n_cluster'], /did you mean 'n_clusters'/],
  ];
  for (const [body, loc, msg] of cases) {
    const r = await create(body);
    assert.equal(r.status, 422, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    const item = r.body.detail.find((d: any) => JSON.stringify(d.loc) === JSON.stringify(loc));
    assert.ok(item, `expected an error at ${loc.join('.')}, got ${JSON.stringify(r.body.detail)}`);
    assert.match(item.msg, msg);
  }
  const missingCluster = await create({ cluster_id: 'no-such-cluster', trigger_type: 'interval', schedule_config: { interval_seconds: 60 } });
  assert.equal(missingCluster.status, 404);
  assert.equal(missingCluster.body.error.code, 'cluster_not_found');
  const listed = await server.call('POST', '/v1/clusters/triggers/list', { body: { sort_by: 'colour' } });
  assert.equal(listed.status, 422);
  assert.deepEqual(listed.body.detail[0].loc, ['body', 'sort_by']);
  assert.equal((await server.call('POST', '/v1/clusters/triggers/list', { body: {} })).body.total, 0, 'nothing was created by a refused request');
  assert.equal((await server.call('POST', '/v1/clusters/list', { body: {} })).body.total_count, clustersBefore, 'no cluster was left behind by a refused execution_config');
});

test('an interval trigger fires on time, its execution runs on the worker, and the history shows the result', async () => {
  const created = await server.call('POST', '/v1/clusters/triggers', {
    body: { execution_config: { collection_ids: ['docs'], config: { algorithm: 'kmeans', feature_uris: ['embedding'], n_clusters: 3, random_state: 3 } }, trigger_type: 'interval', schedule_config: { interval_seconds: 3600, start_immediately: true } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const t = created.body;
  assert.notEqual(t.cluster_id, clusterId, 'a cluster was created from execution_config');
  const cluster = await server.call('GET', `/v1/clusters/${t.cluster_id}`);
  assert.equal(cluster.status, 200);
  assert.equal(cluster.body.algorithm, 'kmeans');

  const done = await waitFor(() => server.call('GET', `/v1/clusters/triggers/${t.trigger_id}`), (r) => r.body.last_execution_status === 'completed' || r.body.last_execution_status === 'failed');
  assert.equal(done.body.last_execution_status, 'completed', JSON.stringify(done.body));
  assert.equal(done.body.execution_count, 1);
  assert.match(done.body.last_execution_job_id, /^task_/);
  assert.ok(Date.parse(done.body.next_scheduled_at) - Date.parse(done.body.last_triggered_at) === 3_600_000 || Date.parse(done.body.next_scheduled_at) > Date.now() + 3_500_000);

  const history = await server.call('POST', `/v1/clusters/triggers/${t.trigger_id}/history`, { body: {} });
  assert.equal(history.status, 200);
  assert.equal(history.body.total, 1);
  const item = history.body.executions[0];
  assert.equal(item.status, 'completed');
  assert.equal(item.job_id, done.body.last_execution_job_id);
  assert.equal(item.num_clusters, 3);
  assert.equal(item.num_documents, 60);
  assert.ok(item.execution_time_ms >= 0);
  const execution = await server.call('GET', `/v1/clusters/${t.cluster_id}/executions/${item.run_id}`);
  assert.equal(execution.body.status, 'completed');
  assert.equal(execution.body.num_clusters, 3);
  const filtered = await server.call('POST', `/v1/clusters/triggers/${t.trigger_id}/history`, { body: { status_filter: 'failed' } });
  assert.equal(filtered.body.total, 0);
  assert.equal((await server.call('DELETE', `/v1/clusters/triggers/${t.trigger_id}`)).status, 204);
});

test('a trigger whose executions keep failing is paused with the reason (real worker, deleted collection)', async () => {
  await server.call('POST', '/v1/collections', { body: { collection_name: 'doomed' } });
  const rows = blobs(2, 5, 4, 9).vectors.map((v, i) => ({ document_id: `x${i}`, vectors: { embedding: v } }));
  assert.equal((await server.call('POST', '/v1/collections/doomed/documents/import', { body: rows })).status, 200);
  const cluster = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['doomed'], cluster_name: 'doomed-cluster', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } } } });
  assert.equal(cluster.status, 200);
  const doomed = await server.call('GET', '/v1/collections/doomed');
  assert.equal((await server.call('DELETE', `/v1/collections/${doomed.body.collection_id}`)).status, 200);

  const created = await server.call('POST', '/v1/clusters/triggers', { body: { cluster_id: 'doomed-cluster', trigger_type: 'interval', schedule_config: { interval_seconds: 1, start_immediately: true, max_consecutive_failures: 2 } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const failed = await waitFor(() => server.call('GET', `/v1/clusters/triggers/${created.body.trigger_id}`), (r) => r.body.status !== 'active', 20_000);
  assert.equal(failed.body.status, 'failed');
  assert.equal(failed.body.consecutive_failures, 2);
  assert.match(failed.body.last_execution_error, /no longer exists/);
  assert.match(failed.body.status_reason, /^Paused automatically after 2 consecutive failed executions; last error: Collection .* no longer exists/);
  const history = await server.call('POST', `/v1/clusters/triggers/${created.body.trigger_id}/history`, { body: { status_filter: 'failed' } });
  assert.equal(history.body.total, 2);
});

test('openapi.json documents every trigger and analytics path of the reference', async () => {
  const doc = (await (await fetch(server.url + '/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  const wanted: Array<[string, string]> = [
    ['post', '/v1/clusters/triggers'], ['post', '/v1/clusters/triggers/list'], ['get', '/v1/clusters/triggers/{trigger_id}'],
    ['patch', '/v1/clusters/triggers/{trigger_id}'], ['delete', '/v1/clusters/triggers/{trigger_id}'], ['post', '/v1/clusters/triggers/{trigger_id}/pause'],
    ['post', '/v1/clusters/triggers/{trigger_id}/resume'], ['post', '/v1/clusters/triggers/{trigger_id}/history'],
    ['get', '/v1/analytics/clusters/{cluster_id}/execution-history'], ['get', '/v1/analytics/clusters/{cluster_id}/failures'],
  ];
  for (const [method, path] of wanted) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} missing`);
});
