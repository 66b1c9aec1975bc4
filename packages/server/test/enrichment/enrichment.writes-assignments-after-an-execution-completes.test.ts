import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';
import { allMembers, listDocuments, runCluster } from './helpers.ts';

let server: TestServer;
const { vectors } = blobs(3, 40, 6, 11);

before(async () => {
  server = await startTestServer({}, 'auto');
  await seedCollection(server, 'auto', vectors);
});
after(() => server.close());

test('a cluster with enrich_source_collection writes the default fields onto every member document', async () => {
  const { clusterId, runId, execution } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'auto-default',
    enrich_source_collection: true,
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 3 } },
  });
  const cluster = await server.call('GET', `/v1/clusters/${clusterId}`);
  assert.equal(cluster.body.enrich_source, true);
  assert.deepEqual(cluster.body.source_enrichment_config.field_mappings.map((m: any) => m.source_field), ['cluster_id', 'cluster_label', 'distance_to_centroid']);

  const members = await allMembers(server, clusterId, runId);
  // Enrichment follows completion: wait until the last document carries its cluster.
  const docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.every((doc) => doc.metadata.cluster_id !== undefined));
  assert.equal(docs.length, vectors.length);
  const labels = new Map(execution.centroids.map((c: any) => [c.cluster_id, c.label]));
  for (const doc of docs) {
    const m = members.get(doc.document_id)!;
    assert.equal(doc.metadata.cluster_id, m.cluster_id);
    assert.equal(doc.metadata.distance_to_centroid, m.distance_to_centroid);
    assert.equal(doc.metadata.cluster_label, labels.get(m.cluster_id) ?? null);
    assert.equal(doc.metadata.index, Number(doc.document_id.slice(3)), 'existing metadata is kept');
    assert.ok(doc.metadata.parity === 'even' || doc.metadata.parity === 'odd');
  }

  // Documents can now be selected by cluster.
  for (const c of execution.centroids) {
    const selected = await listDocuments(server, 'docs', { AND: [{ field: 'metadata.cluster_id', operator: 'eq', value: c.cluster_id }] });
    assert.equal(selected.length, c.num_members);
    assert.ok(selected.every((d) => members.get(d.document_id)!.cluster_id === c.cluster_id));
  }
  const combined = await listDocuments(server, 'docs', { AND: [{ field: 'cluster_id', operator: '==', value: 'cl_0' }, { field: 'metadata.parity', operator: 'eq', value: 'even' }] });
  const expected = [...members].filter(([id, m]) => m.cluster_id === 'cl_0' && Number(id.slice(3)) % 2 === 0).length;
  assert.equal(combined.length, expected);
});

test('field_mappings choose the fields and their metadata keys, nested paths included', async () => {
  // doc0 already has a `clustering` object: mapped keys are merged into it, its other keys stay.
  const replaced = await server.call('POST', '/v1/collections/docs/documents/import', {
    body: [{ document_id: 'doc0', metadata: { index: 0, parity: 'even', clustering: { owner: 'kept', size: 'stale' } }, vectors: { embedding: vectors[0] } }],
  });
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  const { clusterId, runId, execution } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'auto-mapped',
    enrich_source_collection: true,
    source_enrichment_config: {
      field_mappings: [
        { source_field: 'cluster_id', target_field: 'segment' },
        { source_field: 'member_count', target_field: 'clustering.size' },
        { source_field: 'run_id', target_field: 'metadata.clustering.run' },
        { source_field: 'keywords', target_field: 'clustering.keywords' },
      ],
    },
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2, random_state: 5 } },
  });
  const members = await allMembers(server, clusterId, runId);
  const sizes = new Map(execution.centroids.map((c: any) => [c.cluster_id, c.num_members]));
  const keywords = new Map(execution.centroids.map((c: any) => [c.cluster_id, c.keywords ?? null]));
  const docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.every((doc) => doc.metadata.clustering?.run === runId));
  for (const doc of docs) {
    const m = members.get(doc.document_id)!;
    assert.equal(doc.metadata.segment, m.cluster_id);
    assert.equal(doc.metadata.clustering.size, sizes.get(m.cluster_id));
    assert.deepEqual(doc.metadata.clustering.keywords, keywords.get(m.cluster_id));
    assert.deepEqual(Object.keys(doc.metadata.clustering).sort(), doc.document_id === 'doc0' ? ['keywords', 'owner', 'run', 'size'] : ['keywords', 'run', 'size']);
  }
  assert.equal(docs.find((d) => d.document_id === 'doc0').metadata.clustering.owner, 'kept');
  const bySegment = await listDocuments(server, 'docs', { AND: [{ field: 'metadata.segment', operator: 'eq', value: 'cl_1' }] });
  assert.equal(bySegment.length, sizes.get('cl_1'));
});

test('x and y write the 2-D map coordinates; mapping z switches x, y, z to the 3-D projection', async () => {
  const flat = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'coords-2d',
    enrich_source_collection: true,
    source_enrichment_config: { field_mappings: [{ source_field: 'x', target_field: 'viz2.x' }, { source_field: 'y', target_field: 'viz2.y' }] },
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 3 } },
  });
  const members2d = await allMembers(server, flat.clusterId, flat.runId, '2d');
  let docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.every((doc) => doc.metadata.viz2 !== undefined));
  for (const doc of docs) {
    const m = members2d.get(doc.document_id)!;
    assert.equal(typeof m.x, 'number', 'the execution has map coordinates');
    assert.deepEqual(doc.metadata.viz2, { x: m.x, y: m.y });
  }

  const solid = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'coords-3d',
    enrich_source_collection: true,
    source_enrichment_config: { field_mappings: [{ source_field: 'x', target_field: 'viz3.x' }, { source_field: 'y', target_field: 'viz3.y' }, { source_field: 'z', target_field: 'viz3.z' }] },
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 3 } },
  });
  const members3d = await allMembers(server, solid.clusterId, solid.runId, '3d');
  docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.every((doc) => doc.metadata.viz3 !== undefined));
  for (const doc of docs) {
    const m = members3d.get(doc.document_id)!;
    assert.equal(typeof m.z, 'number');
    assert.deepEqual(doc.metadata.viz3, { x: m.x, y: m.y, z: m.z });
  }
});

test('vector_config.enrich_source is accepted as the older spelling', async () => {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'legacy-flag', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', enrich_source: true, algorithm_params: { n_clusters: 2 } } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.enrich_source, true);
  const plain = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'no-enrich', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } } },
  });
  assert.equal(plain.body.enrich_source, false);
  assert.equal(plain.body.source_enrichment_config, null);
});
