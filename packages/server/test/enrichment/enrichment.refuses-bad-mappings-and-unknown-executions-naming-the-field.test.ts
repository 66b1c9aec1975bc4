import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { listDocuments, runCluster } from './helpers.ts';

let server: TestServer;
const { vectors } = blobs(2, 20, 4, 5);

before(async () => {
  server = await startTestServer({}, 'refuse');
  await seedCollection(server, 'refuse', vectors);
});
after(() => server.close());

const vectorConfig = { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } };
const locs = (body: any) => body.detail.map((d: any) => d.loc.join('.'));

test('bad field_mappings are refused with 422 naming each mapping and field, and nothing is created', async () => {
  const cases: Array<[unknown[], string, RegExp]> = [
    [[{ source_field: 'cluster_name', target_field: 'x' }], 'body.source_enrichment_config.field_mappings.0.source_field', /cluster_id, cluster_label/],
    [[{ source_field: 'cluster_id', target_field: 'a' }, { source_field: 'cluster_label', target_field: 'metadata.a' }], 'body.source_enrichment_config.field_mappings.1.target_field', /already written by mapping 0/],
    [[{ source_field: 'cluster_id', target_field: 'seg' }, { source_field: 'keywords', target_field: 'seg.words' }], 'body.source_enrichment_config.field_mappings.1.target_field', /overlaps mapping 0/],
    [[{ source_field: 'x', target_field: 'viz..x' }], 'body.source_enrichment_config.field_mappings.0.target_field', /dot path/],
    [[], 'body.source_enrichment_config.field_mappings', /omit field_mappings/],
  ];
  for (const [mappings, loc, msg] of cases) {
    const response = await server.call('POST', '/v1/clusters', {
      body: { collection_ids: ['docs'], cluster_name: 'bad', enrich_source_collection: true, source_enrichment_config: { field_mappings: mappings }, vector_config: vectorConfig },
    });
    assert.equal(response.status, 422, JSON.stringify(mappings));
    assert.deepEqual(locs(response.body), [loc]);
    assert.match(response.body.detail[0].msg, msg);
  }
  const missingTarget = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'bad', source_enrichment_config: { field_mappings: [{ source_field: 'cluster_id' }] }, vector_config: vectorConfig },
  });
  assert.equal(missingTarget.status, 422);
  assert.deepEqual(locs(missingTarget.body), ['body.source_enrichment_config.field_mappings.0.target_field']);
  assert.equal((await server.call('GET', '/v1/clusters/bad')).status, 404);
});

test('POST /v1/clusters/enrich refuses unknown or unfinished executions with 422 on the clustering id, and unknown collections with 404', async () => {
  const { clusterId, runId } = await runCluster(server, { collection_ids: ['docs'], cluster_name: 'done', vector_config: vectorConfig });
  const idle = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'never-run', vector_config: vectorConfig } });

  const unknown = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId, 'run_doesnotexist', 'never-run'], source_collection_id: 'docs' } });
  assert.equal(unknown.status, 422);
  assert.deepEqual(locs(unknown.body), ['body.clustering_ids.1', 'body.clustering_ids.2']);
  assert.match(unknown.body.detail[0].msg, /No execution or cluster 'run_doesnotexist'/);
  assert.match(unknown.body.detail[1].msg, new RegExp(`no completed execution yet; run POST /v1/clusters/${idle.body.cluster_id}/execute`));
  assert.ok((await listDocuments(server, 'docs')).every((d) => d.metadata.cluster_id === undefined), 'a refused request writes nothing');

  const missing = await server.call('POST', '/v1/clusters/enrich', { body: { source_collection_id: 'docs' } });
  assert.equal(missing.status, 422);
  assert.deepEqual(locs(missing.body), ['body.clustering_ids']);

  const noCollection = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId], source_collection_id: 'nope' } });
  assert.equal(noCollection.status, 404);
  assert.equal(noCollection.body.error.code, 'collection_not_found');

  const elsewhere = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId], source_collection_id: 'docs', target_collection_id: 'other' } });
  assert.equal(elsewhere.status, 422);
  assert.deepEqual(locs(elsewhere.body), ['body.target_collection_id']);

  const badBatch = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId], source_collection_id: 'docs', batch_size: 0 } });
  assert.equal(badBatch.status, 422);
  assert.deepEqual(locs(badBatch.body), ['body.batch_size']);

  // Other namespaces' executions are invisible.
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'elsewhere' }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' }, namespace: 'elsewhere' });
  const foreign = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId, clusterId], source_collection_id: 'docs' }, namespace: 'elsewhere' });
  assert.equal(foreign.status, 422);
  assert.deepEqual(locs(foreign.body), ['body.clustering_ids.0', 'body.clustering_ids.1']);

  const ok = await server.call('POST', '/v1/clusters/enrich', { body: { clustering_ids: [runId], source_collection_id: 'docs', target_collection_id: 'docs' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.enriched, vectors.length);
});
