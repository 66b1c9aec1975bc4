import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adjustedRandIndex } from '@centroid/engine';
import { seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';
import { allMembers, listDocuments, runCluster } from '../enrichment/helpers.ts';
import { nestedBlobs } from './helpers.ts';

let server: TestServer;
const { vectors, group, blob } = nestedBlobs(2, 3, 25, 6, 7);
const kmeans2 = { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2, random_state: 3 } };

before(async () => {
  server = await startTestServer({}, 'tree');
  await seedCollection(server, 'tree', vectors);
});
after(() => server.close());

test("'auto' sub-clusters find the blobs inside each cluster; children partition their parent; top-level results are unchanged", async () => {
  const flat = await runCluster(server, { collection_ids: ['docs'], cluster_name: 'flat', vector_config: kmeans2 });
  const tree = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'tree',
    enrich_source_collection: true,
    source_enrichment_config: { field_mappings: [{ source_field: 'cluster_id', target_field: 'leaf' }, { source_field: 'top_level_cluster_id', target_field: 'top' }] },
    vector_config: { ...kmeans2, hierarchy: { max_depth: 1, min_cluster_size: 10 } },
  });
  const e = tree.execution;
  assert.equal(e.num_clusters, 2, 'num_clusters counts top-level clusters only');
  assert.deepEqual(e.metrics, flat.execution.metrics, 'top-level metrics are those of the flat clustering');
  const top = e.centroids.filter((c: any) => !c.parent_cluster_id);
  const children = e.centroids.filter((c: any) => c.parent_cluster_id);
  assert.deepEqual(top.map((c: any) => [c.cluster_id, c.num_members]), flat.execution.centroids.map((c: any) => [c.cluster_id, c.num_members]));
  assert.equal(children.length, 6, 'three blobs under each of the two clusters');
  for (const c of children) {
    assert.match(c.cluster_id, /^cl_\d+_sub_\d+$/);
    assert.ok(c.cluster_id.startsWith(`${c.parent_cluster_id}_sub_`));
  }
  for (const parent of top) {
    const own = children.filter((c: any) => c.parent_cluster_id === parent.cluster_id);
    assert.equal(own.reduce((s: number, c: any) => s + c.num_members, 0), parent.num_members);
  }
  // Children are listed right after their parent.
  assert.deepEqual(e.centroids.map((c: any) => c.cluster_id), ['cl_0', 'cl_0_sub_0', 'cl_0_sub_1', 'cl_0_sub_2', 'cl_1', 'cl_1_sub_0', 'cl_1_sub_1', 'cl_1_sub_2']);

  // Members carry their leaf; each leaf's members are exactly its count, and sit inside the parent's flat members.
  const leafOf = await allMembers(server, tree.clusterId, tree.runId);
  const flatOf = await allMembers(server, flat.clusterId, flat.runId);
  assert.equal(leafOf.size, vectors.length);
  for (const child of children) {
    const ids = [...leafOf].filter(([, m]) => m.cluster_id === child.cluster_id).map(([id]) => id);
    assert.equal(ids.length, child.num_members);
    assert.ok(ids.every((id) => flatOf.get(id)!.cluster_id === child.parent_cluster_id));
  }
  for (const [, m] of leafOf) assert.ok(m.distance_to_centroid !== null && m.distance_to_centroid < 10, 'distance to the leaf centroid, inside a tight blob');
  const leafLabels = Int32Array.from(vectors.map((_, i) => children.findIndex((c: any) => c.cluster_id === leafOf.get(`doc${i}`)!.cluster_id)));
  assert.ok(adjustedRandIndex(leafLabels, Int32Array.from(blob)) > 0.99, 'leaves recover the blobs');
  const topLabels = Int32Array.from(vectors.map((_, i) => Number(flatOf.get(`doc${i}`)!.cluster_id.slice(3))));
  assert.ok(adjustedRandIndex(topLabels, Int32Array.from(group)) > 0.99);

  // The execution explains the tree, including the silhouette of each candidate k.
  const h = e.algorithm_details.hierarchy;
  assert.equal(h.depth_reached, 1);
  assert.equal(h.num_subclusters, 6);
  assert.deepEqual(h.splits.map((s: any) => s.cluster_id), ['cl_0', 'cl_1']);
  for (const split of h.splits) {
    const scores = Object.entries(split.silhouette_by_k as Record<string, number>);
    const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
    assert.equal(best[0], '3');
    assert.equal(split.children.length, 3);
  }

  // Enrichment writes the leaf and, on request, the top-level cluster.
  const docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.every((x) => x.metadata.leaf !== undefined));
  for (const doc of docs) {
    assert.equal(doc.metadata.leaf, leafOf.get(doc.document_id)!.cluster_id);
    assert.equal(doc.metadata.top, flatOf.get(doc.document_id)!.cluster_id);
  }
  const underCl0 = await listDocuments(server, 'docs', { AND: [{ field: 'metadata.top', operator: 'eq', value: 'cl_0' }] });
  assert.equal(underCl0.length, top[0].num_members);
});

test('a fixed n_subclusters gives that many children per split', async () => {
  const { execution } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'fixed',
    vector_config: { ...kmeans2, hierarchy: { n_subclusters: 2, min_cluster_size: 10 } },
  });
  const children = execution.centroids.filter((c: any) => c.parent_cluster_id);
  assert.deepEqual(children.map((c: any) => c.cluster_id), ['cl_0_sub_0', 'cl_0_sub_1', 'cl_1_sub_0', 'cl_1_sub_1']);
  assert.ok(execution.algorithm_details.hierarchy.splits.every((s: any) => s.silhouette_by_k === undefined));
  const disabled = await runCluster(server, { collection_ids: ['docs'], cluster_name: 'off', vector_config: { ...kmeans2, hierarchy: { enabled: false } } });
  assert.ok(disabled.execution.centroids.every((c: any) => !c.parent_cluster_id));
  assert.equal(disabled.execution.algorithm_details.hierarchy, undefined);
});
