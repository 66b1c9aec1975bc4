import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs, freshTestDatabase, seedCollection, waitFor } from '../helpers/test-server.ts';
import { apiClient, requirePostgres, startProcess, stopAll, type CentroidProcess } from './processes.ts';

const LIMIT = 2;

test('CENTROID_NAMESPACE_CONCURRENCY caps processing executions per namespace across worker processes', async (t) => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const server = await startProcess(database, 'serve', ['--no-workers']);
    processes.push(server);
    const busy = apiClient(server.url!, 'busy');
    const other = apiClient(server.url!, 'other');
    const vectors = blobs(10, 300, 16, 3).vectors;
    await seedCollection(busy as never, 'busy', vectors);
    await seedCollection(other as never, 'other', vectors);
    const config = (i: number) => ({ collection_ids: ['docs'], cluster_name: `c${i}`, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 10, n_init: 10, random_state: i } } });
    const started: Array<{ api: typeof busy; clusterId: string; runId: string }> = [];
    for (const [api, count] of [[busy, 6], [other, 2]] as const) {
      for (let i = 0; i < count; i++) {
        const c = await api.call('POST', '/v1/clusters', { body: config(i) });
        const task = await api.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
        assert.equal(task.status, 200, JSON.stringify(task.body));
        started.push({ api, clusterId: c.body.cluster_id, runId: task.body.additional_data.run_id });
      }
    }

    // Two workers with room for 3 each: without the limit, 'busy' could have 6 running at once.
    const env = { CENTROID_EXECUTION_CONCURRENCY: '3', CENTROID_NAMESPACE_CONCURRENCY: String(LIMIT) };
    processes.push(...(await Promise.all([startProcess(database, 'worker', [], env), startProcess(database, 'worker', [], env)])));

    const peak = new Map<string, number>();
    let samples = 0;
    for (;;) {
      const rows = await database.query<{ namespace_id: string; processing: string; open: string }>(
        `SELECT namespace_id, count(*) FILTER (WHERE status = 'processing') AS processing, count(*) FILTER (WHERE status IN ('pending', 'processing')) AS open
           FROM executions GROUP BY namespace_id`,
      );
      samples++;
      for (const r of rows) peak.set(r.namespace_id, Math.max(peak.get(r.namespace_id) ?? 0, Number(r.processing)));
      if (rows.every((r) => Number(r.open) === 0)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    t.diagnostic(`${samples} samples; peak processing per namespace: ${JSON.stringify(Object.fromEntries(peak))}`);
    for (const [namespaceId, n] of peak) assert.ok(n <= LIMIT, `namespace ${namespaceId} had ${n} executions processing at once (limit ${LIMIT})`);
    assert.ok(Math.max(...peak.values()) >= 1, 'the sampling saw executions running');

    for (const s of started) {
      const final = await waitFor(() => s.api.call('GET', `/v1/clusters/${s.clusterId}/executions/${s.runId}`), (r) => r.body.status !== 'pending' && r.body.status !== 'processing');
      assert.equal(final.body.status, 'completed', final.body.error_message);
    }
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});
