import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs, freshTestDatabase, seedCollection, waitFor } from '../helpers/test-server.ts';
import { apiClient, logsAbout, requirePostgres, startProcess, stopAll, type CentroidProcess } from './processes.ts';

const CLUSTERS = 8;
const ROUNDS = 3;
const POINTS = 1600;

test('two API processes and two workers on one database run every execution exactly once', async (t) => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    // API processes only at first, so that nothing runs while the in-flight rule is checked.
    const apis = await Promise.all([startProcess(database, 'serve', ['--no-workers']), startProcess(database, 'serve', ['--no-workers'])]);
    processes.push(...apis);
    const [a, b] = apis.map((p) => apiClient(p.url!, 'multi'));
    await seedCollection(a as never, 'multi', blobs(8, POINTS / 8, 16, 7).vectors);
    const clusterIds: string[] = [];
    for (let i = 0; i < CLUSTERS; i++) {
      const api = i % 2 === 0 ? a! : b!;
      const created = await api.call('POST', '/v1/clusters', {
        body: { collection_ids: ['docs'], cluster_name: `c${i}`, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 8, n_init: 3, random_state: i } } },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      clusterIds.push(created.body.cluster_id);
    }

    // Round 1: every cluster is executed through both API processes at the same moment.
    // Exactly one request per cluster wins; the other is refused by the database's rule.
    const runIds: string[] = [];
    const duels = await Promise.all(clusterIds.map((id) => Promise.all([a!.call('POST', `/v1/clusters/${id}/execute`), b!.call('POST', `/v1/clusters/${id}/execute`)])));
    for (const pair of duels) {
      const statuses = pair.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409], JSON.stringify(pair.map((r) => r.body)));
      const refused = pair.find((r) => r.status === 409)!;
      assert.equal(refused.body.error.code, 'execution_in_flight');
      runIds.push(pair.find((r) => r.status === 200)!.body.additional_data.run_id);
    }

    const workers = await Promise.all([
      startProcess(database, 'worker', [], { CENTROID_EXECUTION_CONCURRENCY: '2' }),
      startProcess(database, 'worker', [], { CENTROID_EXECUTION_CONCURRENCY: '2' }),
    ]);
    processes.push(...workers);
    const settle = async (ids: string[]) => {
      for (const [i, runId] of ids.entries()) {
        const clusterId = clusterIds[i % CLUSTERS]!;
        await waitFor(() => a!.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 120_000);
      }
    };
    await settle(runIds);

    // Rounds 2…: all clusters at once again, alternating the API process that accepts them.
    for (let round = 1; round < ROUNDS; round++) {
      const accepted = await Promise.all(clusterIds.map((id, i) => ((i + round) % 2 === 0 ? a! : b!).call('POST', `/v1/clusters/${id}/execute`)));
      const ids = accepted.map((r) => {
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.additional_data.run_id as string;
      });
      await settle(ids);
      runIds.push(...ids);
    }

    assert.equal(new Set(runIds).size, CLUSTERS * ROUNDS);
    const rows = await database.query<{ run_id: string; status: string; attempts: number; members: string; documents: string; last_index: number | null; error_message: string | null }>(
      `SELECT e.run_id, e.status, e.attempts, e.error_message,
              (SELECT count(*) FROM execution_members m WHERE m.run_id = e.run_id) AS members,
              (SELECT count(DISTINCT document_id) FROM execution_members m WHERE m.run_id = e.run_id) AS documents,
              (SELECT max(member_index) FROM execution_members m WHERE m.run_id = e.run_id) AS last_index
         FROM executions e`,
    );
    assert.equal(rows.length, CLUSTERS * ROUNDS, 'no execution was created twice or lost');
    for (const row of rows) {
      assert.ok(runIds.includes(row.run_id));
      assert.equal(row.status, 'completed', row.error_message ?? '');
      assert.equal(Number(row.attempts), 1, `${row.run_id} ran once`);
      assert.equal(Number(row.members), POINTS, `${row.run_id} has one member set`);
      assert.equal(Number(row.documents), POINTS);
      assert.equal(Number(row.last_index), POINTS - 1);
    }
    // Every execution was started by exactly one worker process, and the work was shared.
    const perWorker = new Map<number, number>(workers.map((w) => [w.pid, 0]));
    for (const runId of runIds) {
      const starts = logsAbout(workers, 'execution started', runId);
      assert.equal(starts.length, 1, `${runId} started ${starts.length} times`);
      const completions = logsAbout(workers, 'execution completed', runId);
      assert.equal(completions.length, 1);
      assert.equal(completions[0]!.pid, starts[0]!.pid, 'the worker that started it completed it');
      perWorker.set(starts[0]!.pid, perWorker.get(starts[0]!.pid)! + 1);
    }
    t.diagnostic(`executions per worker: ${[...perWorker.values()].join(', ')}`);
    assert.ok([...perWorker.values()].every((n) => n > 0), `both workers took executions: ${[...perWorker.values()].join(', ')}`);
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});
