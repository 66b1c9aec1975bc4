import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { allMembers, runCluster } from '../enrichment/helpers.ts';
import { nestedBlobs } from './helpers.ts';

let server: TestServer;
const MIN_SIZE = 30;
const depthOf = (id: string) => id.split('_sub_').length - 1;

/** Two groups of 80 (four blobs of 20 each), a small far group of 12, and 8 scattered outliers. */
function data(): number[][] {
  const { vectors } = nestedBlobs(2, 4, 20, 6, 3);
  for (let i = 0; i < 12; i++) vectors.push([-300, -300, 0, 0, 0, i * 0.1]);
  for (let i = 0; i < 8; i++) vectors.push(Array.from({ length: 6 }, (_, j) => (j === i % 6 ? 900 + 150 * i : -700 - 90 * i)));
  return vectors;
}

before(async () => {
  server = await startTestServer({}, 'depth');
  const vectors = data();
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'depth' }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' } });
  const rows = vectors.map((v, i) => ({ document_id: `doc${i}`, metadata: { index: i }, vectors: { embedding: v } }));
  const imported = await server.call('POST', '/v1/collections/docs/documents/import', { body: rows });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
});
after(() => server.close());

function checkTree(centroids: any[], maxDepth: number, minSize: number) {
  const byId = new Map(centroids.map((c) => [c.cluster_id, c]));
  const childrenOf = (id: string) => centroids.filter((c) => c.parent_cluster_id === id);
  for (const c of centroids) {
    const depth = depthOf(c.cluster_id);
    assert.ok(depth <= maxDepth, `${c.cluster_id} is deeper than max_depth ${maxDepth}`);
    if (depth > 0) {
      assert.match(c.cluster_id, /^cl_\d+(_sub_\d+)+$/);
      assert.equal(c.parent_cluster_id, c.cluster_id.replace(/_sub_\d+$/, ''));
      assert.ok(byId.has(c.parent_cluster_id));
    }
    const kids = childrenOf(c.cluster_id);
    if (kids.length > 0) {
      assert.ok(c.num_members >= minSize, `${c.cluster_id} was split with only ${c.num_members} members`);
      assert.equal(kids.reduce((s, k) => s + k.num_members, 0), c.num_members, `children of ${c.cluster_id} partition it`);
    } else if (c.cluster_id !== 'cl_-1' && depth < maxDepth) {
      assert.ok(c.num_members < minSize, `${c.cluster_id} has ${c.num_members} members but was not split`);
    }
  }
}

test('max_depth 2 with two children per split: splits stop at depth 2 and below min_cluster_size', async () => {
  const { clusterId, runId, execution } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'deep',
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 2 }, hierarchy: { max_depth: 2, n_subclusters: 2, min_cluster_size: MIN_SIZE } },
  });
  const centroids: any[] = execution.centroids;
  checkTree(centroids, 2, MIN_SIZE);
  assert.equal(execution.num_clusters, 3);
  assert.ok(centroids.some((c) => /^cl_\d+_sub_\d+_sub_\d+$/.test(c.cluster_id)), 'some depth-2 children exist');
  assert.ok(centroids.some((c) => depthOf(c.cluster_id) === 0 && c.num_members < MIN_SIZE && !centroids.some((k) => k.parent_cluster_id === c.cluster_id)), 'the small group stays whole');
  assert.equal(execution.algorithm_details.hierarchy.depth_reached, 2);
  // Members sit in leaves only, each leaf holding exactly its count.
  const members = await allMembers(server, clusterId, runId);
  const leaves = centroids.filter((c) => !centroids.some((k) => k.parent_cluster_id === c.cluster_id));
  const counts = new Map<string, number>();
  for (const [, m] of members) counts.set(m.cluster_id, (counts.get(m.cluster_id) ?? 0) + 1);
  assert.deepEqual(new Map(leaves.map((c) => [c.cluster_id, c.num_members])), counts);
});

test('noise (cl_-1) is never sub-clustered and is not counted in num_clusters', async () => {
  const { clusterId, runId, execution } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'noisy',
    vector_config: { feature_uris: ['embedding'], clustering_method: 'hdbscan', algorithm_params: { min_cluster_size: 8 }, hierarchy: { min_cluster_size: 10, max_depth: 1 } },
  });
  const centroids: any[] = execution.centroids;
  const noise = centroids.find((c) => c.cluster_id === 'cl_-1');
  assert.ok(noise && noise.num_members >= 8, 'the scattered outliers are noise');
  assert.ok(!centroids.some((c) => c.parent_cluster_id === 'cl_-1' || c.cluster_id.startsWith('cl_-1_')));
  assert.equal(execution.num_clusters, centroids.filter((c) => c.cluster_id !== 'cl_-1' && !c.parent_cluster_id).length);
  assert.ok(centroids.some((c) => c.parent_cluster_id), 'the real clusters were split');
  checkTree(centroids, 1, 10);
  const members = await allMembers(server, clusterId, runId);
  assert.equal([...members.values()].filter((m) => m.cluster_id === 'cl_-1').length, noise.num_members);
});

test('invalid hierarchy settings are refused with 422 naming the field', async () => {
  const base = { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...base, hierarchy: { max_depth: 4 } }, 'body.vector_config.hierarchy.max_depth'],
    [{ ...base, hierarchy: { n_subclusters: 'many' } }, 'body.vector_config.hierarchy.n_subclusters'],
    [{ ...base, hierarchy: { n_subclusters: 5, min_cluster_size: 8 } }, 'body.vector_config.hierarchy.min_cluster_size'],
    [{ ...base, hierarchy: { min_cluster_size: 3 } }, 'body.vector_config.hierarchy.min_cluster_size'],
    [{ ...base, hierarchy: { depth: 2 } }, 'body.vector_config.hierarchy.depth'],
    [{ ...base, feature_uris: ['embedding', 'other'], multi_feature_strategy: 'independent', hierarchy: {} }, 'body.vector_config.hierarchy'],
  ];
  for (const [vectorConfig, loc] of cases) {
    const response = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'invalid', vector_config: vectorConfig } });
    assert.equal(response.status, 422, JSON.stringify(vectorConfig));
    assert.ok(response.body.detail.some((d: any) => d.loc.join('.') === loc), `${JSON.stringify(response.body.detail)} names ${loc}`);
  }
  const stored = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'valid', vector_config: { ...base, hierarchy: {} } } });
  assert.equal(stored.status, 200, JSON.stringify(stored.body));
});
