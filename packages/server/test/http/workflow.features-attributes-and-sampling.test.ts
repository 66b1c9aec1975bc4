import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adjustedRandIndex } from '@centroid/engine';
import { blobs, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
// 'text' separates four groups; 'image' only two, each the union of two text groups, so text
// clusters nest inside image clusters. 'noise' carries no structure at all.
const text = blobs(4, 40, 8, 3);
const image = blobs(2, 80, 4, 11);
const noise = blobs(1, 160, 6, 5);
const n = text.vectors.length;
const categories = ['tv', 'phone', 'laptop'];

before(async () => {
  server = await startTestServer({}, 'multi');
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'multi' }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' } });
  const rows = text.vectors.map((v, i) => ({
    document_id: `doc${i}`,
    metadata: { category: categories[i % 3], brand: i % 2 === 0 ? 'acme' : 'globex', tags: i % 5 === 0 ? ['sale', 'new'] : ['new'] },
    vectors: { text: v, image: image.vectors[i], noise: noise.vectors[i] },
  }));
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
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${id}/executions/${runId}`), (r) => r.body.status === 'completed' || r.body.status === 'failed', 60_000);
  assert.equal(done.body.status, 'completed', done.body.error_message);
  const artifacts = await server.call('GET', `/v1/clusters/${id}/executions/${runId}/artifacts?include_members=true&limit=1000`);
  const cluster = await server.call('GET', `/v1/clusters/${id}`);
  return { id, execution: done.body, members: artifacts.body.members as { document_id: string; cluster_id: string; distance_to_centroid: number | null }[], cluster: cluster.body };
}

function labelsOf(members: { document_id: string; cluster_id: string }[]): Int32Array {
  const byDoc = new Map(members.map((m) => [m.document_id, Number(m.cluster_id.slice(3))]));
  return Int32Array.from({ length: n }, (_, i) => byDoc.get(`doc${i}`)!);
}

const kmeans = (k: number) => ({ clustering_method: 'kmeans', algorithm_params: { n_clusters: k, random_state: 1 } });

test('feature weights steer a concatenated clustering toward the weighted feature', async () => {
  const textOnly = await run({ vector_config: { feature_uris: ['text', 'image'], ...kmeans(4), feature_weights: { text: 1, image: 0 } } });
  assert.ok(adjustedRandIndex(labelsOf(textOnly.members), Int32Array.from(text.truth)) > 0.99);
  const imageOnly = await run({ vector_config: { feature_uris: ['text', 'image'], ...kmeans(2), feature_weights: { text: 0, image: 1 } } });
  assert.ok(adjustedRandIndex(labelsOf(imageOnly.members), Int32Array.from(image.truth)) > 0.99);
  assert.equal(textOnly.execution.algorithm_details.algorithm, 'kmeans');
});

test("the 'weighted' strategy learns to favour the informative feature and reports the weights", async () => {
  const r = await run({
    vector_config: {
      feature_uris: ['text', 'noise'],
      ...kmeans(4),
      multi_feature_strategy: 'weighted',
      weight_learning_config: { method: 'grid_search', max_iterations: 5, metric: 'silhouette' },
    },
  });
  const weights = r.execution.algorithm_details.learned_weights;
  assert.deepEqual(Object.keys(weights).sort(), ['noise', 'text']);
  assert.ok(weights.text > weights.noise, JSON.stringify(weights));
  assert.ok(Math.abs(weights.text + weights.noise - 1) < 1e-9);
  assert.equal(r.execution.algorithm_details.weight_learning_evaluations, 25);
  assert.deepEqual(r.cluster.learned_weights, weights);
  assert.equal(r.cluster.learning_quality_score, r.execution.algorithm_details.learning_quality_score);
  assert.ok(r.cluster.learning_quality_score > 0.5);
  assert.ok(adjustedRandIndex(labelsOf(r.members), Int32Array.from(text.truth)) > 0.99);
});

test("the 'independent' strategy clusters each feature separately and links nested clusters", async () => {
  const r = await run({ vector_config: { feature_uris: ['text', 'image'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 4, random_state: 1 }, multi_feature_strategy: 'independent' } });
  const e = r.execution;
  assert.equal(e.num_clusters, 8);
  assert.deepEqual(e.centroids.map((c: any) => c.feature_uri), ['text', 'text', 'text', 'text', 'image', 'image', 'image', 'image']);
  assert.equal(r.members.length, 2 * n, 'one assignment per document and feature');
  assert.equal(e.algorithm_details.per_feature.length, 2);
  assert.equal(e.metrics.silhouette_score, null);
  // Recompute the relationships by brute force from the member lists: a cluster is a child of a
  // larger cluster of the other feature holding at least 80% of its members.
  const membersOf = new Map<string, Set<string>>();
  for (const m of r.members) membersOf.set(m.cluster_id, (membersOf.get(m.cluster_id) ?? new Set()).add(m.document_id));
  const expected: string[] = [];
  for (const child of e.centroids) {
    for (const parent of e.centroids) {
      if (child.feature_uri === parent.feature_uri) continue;
      const c = membersOf.get(child.cluster_id)!;
      const p = membersOf.get(parent.cluster_id)!;
      const shared = [...c].filter((d) => p.has(d)).length;
      if (p.size > c.size && shared >= 0.8 * c.size) expected.push(`${parent.cluster_id}>${child.cluster_id}`);
    }
  }
  const actual = r.cluster.hierarchy_relationships.map((x: any) => `${x.parent_cluster_id}>${x.child_cluster_id}`);
  assert.deepEqual(actual.sort(), expected.sort());
  assert.equal(r.cluster.hierarchy_detected, expected.length > 0);
});

test('sample_size fits on a sample, assigns the rest, and medoid representatives are real members', async () => {
  const r = await run({ vector_config: { feature_uris: ['text'], ...kmeans(4), sample_size: 60, effective_feature_method: 'medoid' } });
  const details = r.execution.algorithm_details;
  assert.equal(details.fit_points, 60);
  assert.equal(details.unsampled_rows_assigned_by, 'nearest fitted centroid');
  assert.equal(r.members.length, n);
  assert.ok(adjustedRandIndex(labelsOf(r.members), Int32Array.from(text.truth)) > 0.99);
  for (const c of r.execution.centroids) {
    const own = r.members.filter((m) => m.cluster_id === c.cluster_id);
    assert.equal(own.length, c.num_members);
    assert.ok(own.some((m) => m.distance_to_centroid === 0), `cluster ${c.cluster_id} has its medoid among its members`);
  }
});

test('attribute clustering groups documents hierarchically by payload values', async () => {
  const r = await run({ cluster_type: 'attribute', attribute_config: { attributes: ['category', 'metadata.brand'], hierarchical_grouping: true } });
  const e = r.execution;
  const parents = e.centroids.filter((c: any) => c.parent_cluster_id === null);
  assert.deepEqual(parents.map((c: any) => c.label).sort(), ['laptop', 'phone', 'tv']);
  const children = e.centroids.filter((c: any) => c.parent_cluster_id !== null);
  assert.equal(children.length, 6);
  for (const child of children) {
    assert.match(child.cluster_id, /^cl_\d+_sub_\d+$/);
    assert.ok(child.cluster_id.startsWith(`${child.parent_cluster_id}_sub_`));
    const docs = r.members.filter((m) => m.cluster_id === child.cluster_id).map((m) => Number(m.document_id.slice(3)));
    assert.equal(docs.length, child.num_members);
    for (const i of docs) {
      assert.equal(categories[i % 3], child.attribute_values.category);
      assert.equal(i % 2 === 0 ? 'acme' : 'globex', child.attribute_values['metadata.brand']);
    }
  }
  assert.equal(e.num_points, n);
  assert.equal(e.metrics.silhouette_score, null);
  assert.equal(r.cluster.hierarchy_detected, true);
  assert.equal(r.cluster.algorithm, 'attribute_based');

  const flat = await run({ cluster_type: 'attribute', attribute_config: { attributes: ['tags'], aggregation_method: 'first' } });
  assert.deepEqual(flat.execution.centroids.map((c: any) => [c.label, c.num_members]), [['new', n - n / 5], ['sale', n / 5]]);
});

test('parameter combinations scikit-learn refuses are 422 at create time, naming the field', async () => {
  const refuse = async (vc: Record<string, unknown>, loc: string[], pattern: RegExp) => {
    const r = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['text'], ...vc } } });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.deepEqual(r.body.detail[0].loc, ['body', 'vector_config', ...loc]);
    assert.match(r.body.detail[0].msg, pattern);
  };
  await refuse({ clustering_method: 'agglomerative', algorithm_params: { linkage: 'ward', affinity: 'cosine' } }, ['algorithm_params', 'affinity'], /ward/);
  await refuse({ clustering_method: 'agglomerative', algorithm_params: { n_clusters: 3, distance_threshold: 2 } }, ['algorithm_params', 'distance_threshold'], /Exactly one/);
  await refuse({ clustering_method: 'spectral', algorithm_params: { eigen_solver: 'amg' } }, ['algorithm_params', 'eigen_solver'], /pyamg/);
  await refuse({ clustering_method: 'gaussian_mixture', algorithm_params: { warm_start: true } }, ['algorithm_params', 'warm_start'], /fresh model/);
  await refuse({ clustering_method: 'dbscan', algorithm_params: { metric: 'cosine', algorithm: 'kd_tree' } }, ['algorithm_params', 'algorithm'], /kd_tree/);
  await refuse({ clustering_method: 'optics', algorithm_params: { cluster_method: 'dbscan', eps: 3, max_eps: 1 } }, ['algorithm_params', 'eps'], /max_eps/);
  await refuse({ clustering_method: 'kmeans', multi_feature_strategy: 'weighted' }, ['multi_feature_strategy'], /at least two/);
  await refuse({ clustering_method: 'kmeans', feature_weights: { image: 1 } }, ['feature_weights', 'image'], /not one of feature_uris/);

  // A distance_threshold alone is enough: n_clusters' default gives way, as the user meant.
  const threshold = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['text'], clustering_method: 'agglomerative', algorithm_params: { distance_threshold: 5 } } } });
  assert.equal(threshold.status, 200, JSON.stringify(threshold.body));
  assert.equal(threshold.body.algorithm_params.n_clusters, null);
  const hdbscan = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['text'], clustering_method: 'hdbscan', algorithm_params: { min_cluster_size: 12 } } } });
  assert.equal(hdbscan.body.algorithm_params.min_samples, 12, 'min_samples defaults to min_cluster_size');
});
