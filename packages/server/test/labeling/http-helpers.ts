import assert from 'node:assert/strict';
import { blobs, waitFor, type TestServer } from '../helpers/test-server.ts';
import { topicText } from './fake-provider.ts';

/** 3 well-separated blobs of 30 documents; document i's text is about topic truth[i]. */
export async function seedTopics(server: TestServer, ns: string): Promise<number[]> {
  const { vectors, truth } = blobs(3, 30, 8, 3);
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: ns }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' } });
  const rows = vectors.map((v, i) => ({ document_id: `doc${i}`, metadata: { text: topicText(truth[i]!, i), sku: `sku-${i}` }, vectors: { embedding: v } }));
  const imported = await server.call('POST', '/v1/collections/docs/documents/import', { body: rows });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  return truth;
}

export async function createAndRun(server: TestServer, name: string, extra: Record<string, unknown>): Promise<{ clusterId: string; execution: any }> {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: name, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 1 } }, ...extra },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const clusterId = created.body.cluster_id as string;
  return { clusterId, execution: await execute(server, clusterId) };
}

export async function execute(server: TestServer, clusterId: string): Promise<any> {
  const task = await server.call('POST', `/v1/clusters/${clusterId}/execute`);
  assert.equal(task.status, 200, JSON.stringify(task.body));
  const runId = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed');
  return done.body;
}
