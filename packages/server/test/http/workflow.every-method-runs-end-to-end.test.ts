import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adjustedRandIndex } from '@centroid/engine';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
// Four well-separated blobs (unit spread, centres ~tens apart) in 6 dimensions.
const { vectors, truth } = blobs(4, 50, 6, 21);

before(async () => {
  server = await startTestServer({}, 'methods');
  await seedCollection(server, 'methods', vectors);
});
after(() => server.close());

async function execute(method: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], vector_config: { feature_uris: ['embedding'], clustering_method: method, algorithm_params: params, ...extra } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.cluster_id;
  const runId = (await server.call('POST', `/v1/clusters/${id}/execute`)).body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${id}/executions/${runId}`), (r) => ['completed', 'failed'].includes(r.body.status), 60_000);
  assert.equal(done.body.status, 'completed', `${method}: ${done.body.error_message}`);
  const members = (await server.call('GET', `/v1/clusters/${id}/executions/${runId}/artifacts?include_members=true&limit=1000`)).body.members as { document_id: string; cluster_id: string }[];
  const byDoc = new Map(members.map((m) => [m.document_id, Number(m.cluster_id.slice(3))]));
  const labels = Int32Array.from(vectors, (_, i) => byDoc.get(`doc${i}`)!);
  return { execution: done.body, labels };
}

// Parameters under which each method should recover the blobs exactly.
const METHODS: [string, Record<string, unknown>][] = [
  ['kmeans', { n_clusters: 4 }],
  ['dbscan', { eps: 5, min_samples: 5 }],
  ['hdbscan', { min_cluster_size: 10 }],
  ['agglomerative', { n_clusters: 4, linkage: 'ward' }],
  ['spectral', { n_clusters: 4, affinity: 'nearest_neighbors', n_neighbors: 10 }],
  ['gaussian_mixture', { n_components: 4, covariance_type: 'diag' }],
  ['mean_shift', { bandwidth: 6 }],
  ['optics', { min_samples: 10, cluster_method: 'dbscan', eps: 5 }],
];

for (const [method, params] of METHODS) {
  test(`${method} recovers well-separated blobs through the API`, async () => {
    const { execution, labels } = await execute(method, params);
    assert.ok(adjustedRandIndex(labels, Int32Array.from(truth)) > 0.99, `${method} ARI`);
    assert.equal(execution.num_clusters, 4);
    assert.equal(execution.algorithm_details.algorithm, method);
    assert.ok(execution.metrics.silhouette_score > 0.5);
  });

  test(`${method} fitted on a sample labels every document by its assignment rule`, async () => {
    const sampleParams = method === 'dbscan' ? { ...params, min_samples: 3 } : params;
    const { execution, labels } = await execute(method, sampleParams, { sample_size: 100 });
    assert.equal(execution.algorithm_details.fit_points, 100);
    assert.equal(typeof execution.algorithm_details.unsampled_rows_assigned_by, 'string');
    assert.equal(execution.num_points, vectors.length);
    assert.ok(adjustedRandIndex(labels, Int32Array.from(truth)) > 0.95, `${method} sampled ARI`);
  });
}

test('a fit that could not finish in reasonable time fails at once, saying why and what to change', async () => {
  // 200 documents of 2,400 dimensions: one EM iteration of a 50-component full-covariance
  // mixture costs 200·50·2400² ≈ 5.8·10¹⁰ operations, over the 5·10¹⁰ limit.
  const d = 2400;
  const rows = Array.from({ length: 200 }, (_, i) => ({ document_id: `wide${i}`, vectors: { wide: Array.from({ length: d }, (_, j) => Math.sin(i * 31 + j)) } }));
  await server.call('POST', '/v1/collections', { body: { collection_name: 'wide' } });
  const imported = await server.call('POST', '/v1/collections/wide/documents/import', { body: rows });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['wide'], vector_config: { feature_uris: ['wide'], clustering_method: 'gaussian_mixture', algorithm_params: { n_components: 50, covariance_type: 'full' } } },
  });
  const id = created.body.cluster_id;
  const runId = (await server.call('POST', `/v1/clusters/${id}/execute`)).body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${id}/executions/${runId}`), (r) => ['completed', 'failed'].includes(r.body.status));
  assert.equal(done.body.status, 'failed');
  assert.match(done.body.error_message, /covariance_type 'full'/);
  assert.match(done.body.error_message, /sample_size to at most \d+/);
  assert.match(done.body.error_message, /covariance_type 'diag'/);
});
