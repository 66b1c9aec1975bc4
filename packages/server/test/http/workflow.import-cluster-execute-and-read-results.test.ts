import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adjustedRandIndex } from '@centroid/engine';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const { vectors, truth } = blobs(4, 60, 8);

before(async () => {
  server = await startTestServer({}, 'flow');
  await seedCollection(server, 'flow', vectors);
});
after(() => server.close());

test('a cluster executes asynchronously and its results read back through every endpoint', async () => {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'topics', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 4, random_state: 7 } } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const clusterId: string = created.body.cluster_id;
  assert.match(clusterId, /^clust_[a-zA-Z0-9]+$/);
  assert.equal(created.body.algorithm_params.n_init, 10, 'defaults are filled in');

  const none = await server.call('GET', `/v1/clusters/${clusterId}/executions`);
  assert.equal(none.status, 200);
  assert.equal(none.body, null);

  const task = await server.call('POST', `/v1/clusters/${clusterId}/execute`);
  assert.equal(task.status, 200);
  assert.equal(task.body.task_type, 'engine_cluster_build');
  assert.equal(task.body.status, 'PENDING');
  const runId: string = task.body.additional_data.run_id;
  assert.match(runId, /^run_[a-zA-Z0-9]+$/);

  const done = await waitFor(() => server.call('GET', `/v1/clusters/${clusterId}/executions`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed');
  const e = done.body;
  assert.equal(e.status, 'completed', e.error_message);
  assert.equal(e.run_id, runId);
  assert.equal(e.num_clusters, 4);
  assert.equal(e.num_points, vectors.length);
  assert.ok(e.metrics.silhouette_score > 0.5 && e.metrics.silhouette_score <= 1);
  assert.ok(e.metrics.davies_bouldin_index > 0);
  assert.ok(e.metrics.calinski_harabasz_score > 0);
  assert.deepEqual(e.centroids.map((c: any) => c.cluster_id).sort(), ['cl_0', 'cl_1', 'cl_2', 'cl_3']);
  assert.equal(e.centroids.reduce((s: number, c: any) => s + c.num_members, 0), vectors.length);
  for (const c of e.centroids) {
    assert.ok(c.min_cosine_similarity <= c.mean_cosine_similarity && c.mean_cosine_similarity <= 1 + 1e-9);
    assert.equal(c.label, null);
  }
  assert.ok(Date.parse(e.completed_at) >= Date.parse(e.created_at));

  const byRun = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`);
  assert.deepEqual(byRun.body, e);

  const taskStatus = await server.call('GET', `/v1/tasks/${task.body.task_id}`);
  assert.equal(taskStatus.body.status, 'COMPLETED');

  // Every document's assignment, page by page through the cursor.
  const assigned = new Map<string, string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?include_members=true&limit=70${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    for (const m of page.body.members) assigned.set(m.document_id, m.cluster_id);
    cursor = page.body.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(pages, Math.ceil(vectors.length / 70));
  assert.equal(assigned.size, vectors.length);
  const labels = Int32Array.from(vectors.map((_, i) => Number(assigned.get(`doc${i}`)!.slice(3))));
  assert.ok(adjustedRandIndex(labels, Int32Array.from(truth)) > 0.99, 'well-separated blobs are recovered');

  const cluster = await server.call('GET', '/v1/clusters/topics');
  assert.equal(cluster.body.num_clusters, 4);
  assert.equal(cluster.body.last_execution_task_id, task.body.task_id);
});

test('the execution history lists, filters, sorts, searches and paginates', async () => {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'history', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2, n_init: 1 } } },
  });
  const id = created.body.cluster_id;
  const runs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const t = await server.call('POST', `/v1/clusters/${id}/execute`);
    runs.push(t.body.additional_data.run_id);
    await waitFor(() => server.call('GET', `/v1/clusters/${id}/executions/${runs[i]}`), (r) => r.body.status === 'completed');
  }
  const all = await server.call('POST', `/v1/clusters/${id}/executions/list?page_size=2`, { body: {} });
  assert.equal(all.status, 200);
  assert.equal(all.body.total_count, 3);
  assert.deepEqual(all.body.results.map((r: any) => r.run_id), [runs[2], runs[1]], 'newest first by default');
  assert.equal(all.body.pagination.total_pages, 2);
  assert.equal(all.body.pagination.previous_page, null);
  assert.ok(all.body.pagination.next_page.includes('page=2'));
  assert.equal(all.body.stats.total_executions, 2);
  assert.equal(all.body.stats.executions_by_status.completed, 2);
  assert.equal(all.body.stats.total_documents_clustered, 2 * vectors.length);

  const next = await server.call('POST', `/v1/clusters/${id}/executions/list?cursor=${all.body.pagination.next_cursor}&limit=2`, { body: {} });
  assert.deepEqual(next.body.results.map((r: any) => r.run_id), [runs[0]]);
  assert.equal(next.body.pagination.next_cursor, null);

  const asc = await server.call('POST', `/v1/clusters/${id}/executions/list`, { body: { sort: { field: 'created_at', direction: 'asc' } } });
  assert.deepEqual(asc.body.results.map((r: any) => r.run_id), runs);

  const filtered = await server.call('POST', `/v1/clusters/${id}/executions/list`, {
    body: { filters: { AND: [{ field: 'status', operator: 'eq', value: 'COMPLETED' }, { field: 'num_clusters', operator: 'gte', value: 2 }] } },
  });
  assert.equal(filtered.body.total_count, 3, 'status matching ignores case by default');
  const none = await server.call('POST', `/v1/clusters/${id}/executions/list`, { body: { filters: { operator: 'AND', conditions: [{ field: 'status', operator: '==', value: 'failed' }] } } });
  assert.equal(none.body.total_count, 0);
  assert.deepEqual(none.body.results, []);

  const searched = await server.call('POST', `/v1/clusters/${id}/executions/list`, { body: { search: runs[1]!.slice(4, 12).toUpperCase() } });
  assert.deepEqual(searched.body.results.map((r: any) => r.run_id), [runs[1]]);

  const bad = await server.call('POST', `/v1/clusters/${id}/executions/list`, { body: { filters: { AND: [{ field: 'colour', operator: 'eq', value: 1 }] } } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.detail[0].loc, ['body', 'filters', 'AND', 0, 'field']);
});
