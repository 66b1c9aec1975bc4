import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blobs, seedCollection, startTestServer, TEST_KEY, testDatabase, waitFor } from '../helpers/test-server.ts';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

test('an execution whose server is killed mid-run is recovered by the next start, never left processing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'centroid-crash-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const database = await testDatabase(dataDir);
  const env = { ...process.env, ...database.env, PORT: String(port), CENTROID_API_KEY: TEST_KEY, CENTROID_LOG_LEVEL: 'silent', CENTROID_LEASE_MS: '2000', CENTROID_HEARTBEAT_MS: '200' };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, namespace: string | null = 'crash') => {
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' };
    if (namespace) headers['x-namespace'] = namespace;
    const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  try {
    await waitFor(() => fetch(url + '/health').then((r) => r.status).catch(() => 0), (s) => s === 200, 20_000);
    await seedCollection({ call: (method: string, path: string, o: { body?: unknown; namespace?: string | null } = {}) => call(method, path, o.body, o.namespace === undefined ? 'crash' : o.namespace) } as never, 'crash', blobs(30, 300, 32).vectors);
    const c = await call('POST', '/v1/clusters', { collection_ids: ['docs'], cluster_name: 'crashy', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 30, n_init: 40, random_state: 1 } } });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    const task = await call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
    assert.equal(task.status, 200, JSON.stringify(task.body));
    const runId = task.body.additional_data.run_id;
    await waitFor(() => call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'processing');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const restarted = await startTestServer({ ...database.settings, leaseMs: 2000, heartbeatMs: 200 }, 'crash');
    try {
      const final = await waitFor(() => restarted.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 60_000);
      assert.equal(final.body.status, 'completed', final.body.error_message);
      assert.equal(final.body.num_points, 9000);
      const t = await restarted.call('GET', `/v1/tasks/${task.body.task_id}`);
      assert.equal(t.body.additional_data.attempts, 2, 'the killed attempt counted, the second one finished');
    } finally {
      await restarted.close();
    }
  } finally {
    child.kill('SIGKILL');
    await database.drop();
  }
});
