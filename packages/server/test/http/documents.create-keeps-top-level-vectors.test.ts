import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/test-server.ts';

const server = await startTestServer({}, 'docs-ns');
after(() => server.close());

test('a document created with top-level vectors keeps them, and re-posting replaces them', async () => {
  await server.call('POST', '/v1/namespaces', { body: { namespace_name: 'docs-ns' }, namespace: null });
  await server.call('POST', '/v1/collections', { body: { collection_name: 'docs' } });
  const created = await server.call('POST', '/v1/collections/docs/documents', { body: { document_id: 'a', metadata: { t: 1 }, vectors: { embedding: [1, 2, 3] } } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const read = await server.call('GET', '/v1/collections/docs/documents/a?return_vectors=true');
  assert.deepEqual(read.body.vectors, { embedding: [1, 2, 3] });

  const replaced = await server.call('POST', '/v1/collections/docs/documents', { body: { document_id: 'a', metadata: { t: 2 }, vectors: { embedding: [4, 5, 6] } } });
  assert.equal(replaced.status, 200);
  const reread = await server.call('GET', '/v1/collections/docs/documents/a?return_vectors=true');
  assert.deepEqual(reread.body.vectors, { embedding: [4, 5, 6] });
  assert.equal(reread.body.metadata.t, 2);

  const wrongSize = await server.call('POST', '/v1/collections/docs/documents', { body: { document_id: 'b', vectors: { embedding: [1, 2] } } });
  assert.equal(wrongSize.status, 422);
  assert.equal(wrongSize.body.detail[0].loc[0], 'body');
});
