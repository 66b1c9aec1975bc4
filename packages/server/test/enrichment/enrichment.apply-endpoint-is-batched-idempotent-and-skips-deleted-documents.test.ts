import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';
import { allMembers, execute, listDocuments, runCluster } from './helpers.ts';

let server: TestServer;
const { vectors } = blobs(4, 60, 5, 21);

before(async () => {
  server = await startTestServer({}, 'apply');
  await seedCollection(server, 'apply', vectors);
});
after(() => server.close());

const enrich = (body: Record<string, unknown>) => server.call('POST', '/v1/clusters/enrich', { body });

test('POST /v1/clusters/enrich writes in batches, twice gives the same documents, and a later execution overwrites', async () => {
  const { clusterId, runId } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'manual',
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 4, random_state: 1 } },
  });
  // Not enriched automatically: the cluster did not ask for it.
  assert.ok((await listDocuments(server, 'docs')).every((d) => d.metadata.cluster_id === undefined));

  // A document added after the execution is not one of its members and is left alone.
  const extra = await server.call('POST', '/v1/collections/docs/documents', { body: { document_id: 'late', metadata: { cluster_id: 'mine' } } });
  assert.equal(extra.status, 200, JSON.stringify(extra.body));

  const first = await enrich({ clustering_ids: [runId], source_collection_id: 'docs', batch_size: 50 });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(
    { processed: first.body.processed, enriched: first.body.enriched, failed: first.body.failed, batches: first.body.batches, skipped: first.body.skipped },
    { processed: vectors.length, enriched: vectors.length, failed: 0, batches: Math.ceil(vectors.length / 50), skipped: 0 },
  );
  assert.deepEqual(first.body.run_ids, [runId]);
  const members = await allMembers(server, clusterId, runId);
  const afterFirst = await listDocuments(server, 'docs');
  for (const doc of afterFirst) {
    if (doc.document_id === 'late') assert.equal(doc.metadata.cluster_id, 'mine');
    else assert.equal(doc.metadata.cluster_id, members.get(doc.document_id)!.cluster_id);
  }

  const second = await enrich({ clustering_ids: [runId], source_collection_id: 'docs', batch_size: 50 });
  assert.equal(second.status, 200);
  assert.equal(second.body.enriched, vectors.length);
  assert.deepEqual(await listDocuments(server, 'docs'), afterFirst, 'metadata and updated_at unchanged by a repeat');

  // A later execution with another k, applied by cluster name (its latest completed run), overwrites.
  const other = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'coarser',
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2, random_state: 9 } },
  });
  const overwrite = await enrich({ clustering_ids: ['coarser'], source_collection_id: 'docs' });
  assert.equal(overwrite.status, 200, JSON.stringify(overwrite.body));
  assert.equal(overwrite.body.batches, 1);
  assert.deepEqual(overwrite.body.run_ids, [other.runId]);
  const coarse = await allMembers(server, other.clusterId, other.runId);
  for (const doc of await listDocuments(server, 'docs')) {
    if (doc.document_id !== 'late') assert.equal(doc.metadata.cluster_id, coarse.get(doc.document_id)!.cluster_id);
  }
  const inSecond = await listDocuments(server, 'docs', { AND: [{ field: 'metadata.cluster_id', operator: 'in', value: ['cl_0', 'cl_1'] }] });
  assert.equal(inSecond.length, vectors.length);

  // Several executions in one request apply in order: the last one's values win.
  const both = await enrich({ clustering_ids: [other.runId, runId], source_collection_id: 'docs', batch_size: 100 });
  assert.equal(both.body.processed, 2 * vectors.length);
  assert.equal(both.body.batches, 2 * Math.ceil(vectors.length / 100));
  assert.deepEqual((await listDocuments(server, 'docs')).map((d) => d.metadata.cluster_id), afterFirst.map((d) => d.metadata.cluster_id));
});

test('documents deleted since the execution are skipped and counted, not recreated', async () => {
  const { clusterId, runId } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'deletions',
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 4 } },
  });
  for (const id of ['doc3', 'doc77', 'doc200']) {
    assert.equal((await server.call('DELETE', `/v1/collections/docs/documents/${id}`)).status, 200);
  }
  const result = await enrich({ clustering_id: clusterId, source_collection_id: 'docs', batch_size: 64 });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.equal(result.body.processed, vectors.length);
  assert.equal(result.body.skipped, 3);
  assert.equal(result.body.enriched, vectors.length - 3);
  assert.equal(result.body.failed, 0);
  assert.equal(result.body.batches, Math.ceil(vectors.length / 64));
  const docs = await listDocuments(server, 'docs');
  assert.ok(!docs.some((d) => ['doc3', 'doc77', 'doc200'].includes(d.document_id)));
  const members = await allMembers(server, clusterId, runId);
  for (const doc of docs) if (doc.document_id !== 'late') assert.equal(doc.metadata.cluster_id, members.get(doc.document_id)!.cluster_id);
});

test('a later execution of an enriching cluster overwrites its earlier values automatically', async () => {
  const { clusterId } = await runCluster(server, {
    collection_ids: ['docs'],
    cluster_name: 'rerun',
    enrich_source_collection: true,
    source_enrichment_config: { field_mappings: [{ source_field: 'run_id', target_field: 'rerun.run' }, { source_field: 'cluster_id', target_field: 'rerun.cluster' }] },
    vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: null } },
  });
  const second = await execute(server, clusterId);
  const docs = await waitFor(() => listDocuments(server, 'docs'), (d) => d.filter((x) => x.document_id !== 'late').every((x) => x.metadata.rerun?.run === second.runId));
  const members = await allMembers(server, clusterId, second.runId);
  for (const doc of docs) if (doc.document_id !== 'late') assert.equal(doc.metadata.rerun.cluster, members.get(doc.document_id)!.cluster_id);
});
