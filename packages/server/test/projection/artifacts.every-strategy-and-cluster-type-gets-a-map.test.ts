import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const text = blobs(3, 30, 6, 4);
const image = blobs(2, 45, 5, 8);

before(async () => {
  server = await startTestServer({}, 'strategies');
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'strategies' }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' } });
  const rows = text.vectors.map((v, i) => ({ document_id: `doc${i}`, metadata: { kind: i % 2 === 0 ? 'a' : 'b' }, vectors: { text: v, image: image.vectors[i] } }));
  const imported = await server.call('POST', '/v1/collections/docs/documents/import', { body: rows });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
});
after(() => server.close());

async function run(body: Record<string, unknown>) {
  const created = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], ...body } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id: string = created.body.cluster_id;
  const task = await server.call('POST', `/v1/clusters/${id}/execute`);
  const runId: string = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${id}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 120_000);
  assert.equal(done.body.status, 'completed', done.body.error_message);
  const artifacts = await server.call('GET', `/v1/clusters/${id}/executions/${runId}/artifacts?include_members=true&limit=10000&projection_method=3d`);
  assert.equal(artifacts.status, 200);
  return { execution: done.body, artifacts: artifacts.body };
}

function assertFinite(where: string, values: unknown[]): void {
  for (const v of values) assert.ok(typeof v === 'number' && Number.isFinite(v), `${where}: ${JSON.stringify(values)}`);
}

test("'independent' maps both features' clusters in the first feature's space; every member row has its document's point", async () => {
  const { execution, artifacts } = await run({
    vector_config: { feature_uris: ['text', 'image'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2, random_state: 1 }, multi_feature_strategy: 'independent', projection: { method: 'pca' } },
  });
  assert.equal(execution.algorithm_details.projection.method, 'pca');
  // One member row per document and feature.
  assert.equal(artifacts.members.length, 2 * text.vectors.length);
  const pointOf = new Map<string, number[]>();
  for (const m of artifacts.members) {
    assertFinite(m.document_id, [m.x, m.y, m.z]);
    const previous = pointOf.get(m.document_id);
    if (previous) assert.deepEqual([m.x, m.y, m.z], previous, 'both rows of a document share its point');
    pointOf.set(m.document_id, [m.x, m.y, m.z]);
  }
  const features = new Set(artifacts.centroids.map((c: any) => c.feature_uri));
  assert.deepEqual([...features].sort(), ['image', 'text']);
  for (const c of artifacts.centroids) assertFinite(c.cluster_id, [c.x, c.y, c.z]);
});

test('the execution view keeps its reference shape: coordinates live on the artifacts only', async () => {
  const { execution } = await run({ vector_config: { feature_uris: ['text'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 2 } } });
  for (const c of execution.centroids) {
    assert.equal(c.coordinates, undefined);
    assert.equal(c.x, undefined);
  }
});

test('attribute clusters have no map: null coordinates, no projection', async () => {
  const { execution, artifacts } = await run({ cluster_type: 'attribute', attribute_config: { attributes: ['metadata.kind'] } });
  assert.equal(execution.algorithm_details.projection, undefined);
  assert.equal(artifacts.projection, null);
  assert.equal(artifacts.members.length, text.vectors.length);
  for (const m of artifacts.members) assert.deepEqual([m.x, m.y, m.z], [null, null, null]);
  for (const c of artifacts.centroids) assert.deepEqual([c.x, c.y, c.z], [null, null, null]);
});
