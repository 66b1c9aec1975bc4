import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blobs, seedCollection, startTestServer, TEST_KEY, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({}, 'errs');
  await seedCollection(server, 'errs', blobs(2, 10, 4).vectors);
});
after(() => server.close());

const envelope = (body: any, status: number, type: string) => {
  assert.equal(body.success, false);
  assert.equal(body.status, status);
  assert.equal(body.error.type, type);
  assert.equal(typeof body.error.message, 'string');
};

test('a missing or wrong key is 401 before any validation', async () => {
  const r = await fetch(server.url + '/v1/clusters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nonsense": true}' });
  assert.equal(r.status, 401);
  envelope(await r.json(), 401, 'AuthenticationError');
  const wrong = await server.call('GET', '/v1/namespaces/errs', { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  assert.ok(TEST_KEY);
});

test('namespaces are required, resolved by id or name, and isolated', async () => {
  const missing = await server.call('POST', '/v1/collections/list', { body: {}, namespace: null });
  assert.equal(missing.status, 400);
  envelope(missing.body, 400, 'BadRequestError');
  const unknown = await server.call('POST', '/v1/collections/list', { body: {}, namespace: 'nowhere' });
  assert.equal(unknown.status, 404);
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'other' }, namespace: null });
  const isolated = await server.call('GET', '/v1/collections/docs', { namespace: 'other' });
  assert.equal(isolated.status, 404);
  envelope(isolated.body, 404, 'NotFoundError');
  const dup = await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'other' }, namespace: null });
  assert.equal(dup.status, 409);
});

test('an import with one bad row is rejected whole, naming the row, and stores nothing', async () => {
  const before = await server.call('GET', '/v1/collections/docs');
  const rows = [
    { document_id: 'new1', vectors: { embedding: [1, 2, 3, 4] } },
    { document_id: 'new2', vectors: { embedding: [1, 2, 3] } },
    { document_id: 'new3', vectors: { embedding: [1, 'x', 3, 4] } },
  ];
  const r = await server.call('POST', '/v1/collections/docs/documents/import', { body: rows });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  const locs = r.body.detail.map((d: any) => d.loc.slice(0, 2));
  assert.deepEqual(locs, [['body', 1], ['body', 2]]);
  assert.match(r.body.detail[0].msg, /4/);
  const after = await server.call('GET', '/v1/collections/docs');
  assert.equal(after.body.document_count, before.body.document_count);
  assert.equal((await server.call('GET', '/v1/collections/docs/documents/new1')).status, 404);

  const ndjson = await server.call('POST', '/v1/collections/docs/documents/import', { raw: '{"vectors":{"embedding":[1,2,3,4]}}\n{not json}\n', headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(ndjson.status, 422);
  assert.deepEqual(ndjson.body.detail[0].loc.slice(0, 2), ['body', 1]);
  assert.equal((await server.call('GET', '/v1/collections/docs')).body.document_count, before.body.document_count);
});

test('cluster requests are validated field by field', async () => {
  const unknownMethod = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['embedding'], clustering_method: 'birch' } } });
  assert.equal(unknownMethod.status, 422);
  assert.deepEqual(unknownMethod.body.detail[0].loc, ['body', 'vector_config', 'clustering_method']);
  const badParam = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: '5' } } } });
  assert.equal(badParam.status, 422);
  assert.deepEqual(badParam.body.detail[0].loc, ['body', 'vector_config', 'algorithm_params', 'n_clusters']);
  const missing = await server.call('POST', '/v1/clusters', { body: { vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans' } } });
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.body.detail[0], { loc: ['body', 'collection_ids'], msg: 'Field required', type: 'missing' });
  const llm = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans' }, llm_labeling: { enabled: true, provider: 'openai', model_name: 'claude-3-5-haiku-20241022' } } });
  assert.equal(llm.status, 422);
  assert.deepEqual(llm.body.detail[0].loc, ['body', 'llm_labeling', 'model_name']);
  const badJson = await server.call('POST', '/v1/clusters', { raw: '{"collection_ids": [' });
  assert.equal(badJson.status, 422);
  assert.equal(badJson.body.detail[0].type, 'json_invalid');
  const unknownCollection = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['ghost'], vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans' } } });
  assert.equal(unknownCollection.status, 404);
  const list = await server.call('POST', '/v1/clusters/list', { body: {} });
  assert.equal(list.body.total_count, 0, 'no refused request created a cluster');
});

test('unknown ids of every kind are 404 envelopes', async () => {
  for (const path of ['/v1/clusters/clust_nope', '/v1/clusters/clust_nope/executions', '/v1/tasks/task_nope', '/v1/collections/docs/documents/nope', '/v1/namespaces/ns_nope', '/v1/no-such-route']) {
    const r = await server.call('GET', path);
    assert.equal(r.status, 404, path);
    envelope(r.body, 404, 'NotFoundError');
  }
});

test('too few documents fail the execution with a clear message; a second execute while one runs is 409', async () => {
  await server.call('POST', '/v1/collections', { body: { collection_name: 'tiny' } });
  await server.call('POST', '/v1/collections/tiny/documents', { body: { metadata: { a: 1 }, features: [{ feature_extractor_id: 'text', payload: { t: 'x' }, vectors: { emb: [1, 2] } }] } });
  const c = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['tiny'], cluster_name: 'tiny', vector_config: { feature_uris: ['mixpeek://text/emb'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } } } });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const first = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
  const second = await server.call('POST', `/v1/clusters/${c.body.cluster_id}/execute`);
  if (second.status !== 200) {
    assert.equal(second.status, 409);
    assert.match(second.body.error.message, new RegExp(first.body.additional_data.run_id));
  }
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${c.body.cluster_id}/executions/${first.body.additional_data.run_id}`), (r) => r.body.status === 'failed' || r.body.status === 'completed');
  assert.equal(done.body.status, 'failed');
  assert.equal(done.body.error_message, 'Insufficient documents for clustering: need at least 2 documents, found 1');
  assert.equal(done.body.metrics, null);
  const task = await server.call('GET', `/v1/tasks/${first.body.task_id}`);
  assert.equal(task.body.status, 'FAILED');
  assert.equal(task.body.error, done.body.error_message);
});
