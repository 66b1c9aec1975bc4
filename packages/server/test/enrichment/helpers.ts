import assert from 'node:assert/strict';
import { waitFor, type TestServer } from '../helpers/test-server.ts';

/** Creates a cluster, executes it and waits for the completed execution. */
export async function runCluster(server: TestServer, body: Record<string, unknown>): Promise<{ clusterId: string; runId: string; execution: any }> {
  const created = await server.call('POST', '/v1/clusters', { body });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const clusterId: string = created.body.cluster_id;
  return { clusterId, ...(await execute(server, clusterId)) };
}

export async function execute(server: TestServer, clusterId: string): Promise<{ runId: string; execution: any }> {
  const task = await server.call('POST', `/v1/clusters/${clusterId}/execute`);
  assert.equal(task.status, 200, JSON.stringify(task.body));
  const runId: string = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed');
  assert.equal(done.body.status, 'completed', done.body.error_message);
  return { runId, execution: done.body };
}

export interface Member {
  cluster_id: string;
  distance_to_centroid: number | null;
  x?: number | null;
  y?: number | null;
  z?: number | null;
}

/** Every member of an execution by document id, with 2-D (or, asked for, 3-D) map coordinates. */
export async function allMembers(server: TestServer, clusterId: string, runId: string, projection: '2d' | '3d' = '2d'): Promise<Map<string, Member>> {
  const out = new Map<string, Member>();
  let cursor: string | null = null;
  do {
    const page = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?include_members=true&limit=1000&projection_method=${projection}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    for (const m of page.body.members) out.set(m.document_id, m);
    cursor = page.body.next_cursor;
  } while (cursor);
  return out;
}

/** Every document of a collection matching `filters` (through the documents list endpoint). */
export async function listDocuments(server: TestServer, collection: string, filters?: unknown): Promise<any[]> {
  const response = await server.call('POST', `/v1/collections/${collection}/documents/list?limit=1000`, { body: filters ? { filters } : {} });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.ok(response.body.total_count <= 1000, 'test collections fit one page');
  return response.body.results;
}
