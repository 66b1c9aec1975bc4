import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({}, null);
});
after(() => server.close());

test('openapi.json is OpenAPI 3.1 and covers every executions path of the reference', async () => {
  const response = await fetch(server.url + '/openapi.json');
  assert.equal(response.status, 200);
  const doc = (await response.json()) as any;
  assert.match(doc.openapi, /^3\.1/);
  // The reference's cluster, execution and task paths (listed here so the test needs no files outside the repo).
  const wanted = [
    '/v1/clusters', '/v1/clusters/list', '/v1/clusters/{cluster_identifier}', '/v1/clusters/{cluster_id}/execute',
    '/v1/clusters/{cluster_id}/executions', '/v1/clusters/{cluster_id}/executions/list', '/v1/clusters/{cluster_id}/executions/{run_id}',
    '/v1/clusters/{cluster_id}/executions/{run_id}/cancel', '/v1/tasks/{task_id}', '/v1/tasks/list',
  ];
  const ours = new Set(Object.keys(doc.paths).map((p) => p.replace('{cluster_identifier}', '{cluster_id}')));
  for (const path of wanted) assert.ok(ours.has(path.replace('{cluster_identifier}', '{cluster_id}')), `missing ${path}`);
  const docs = await fetch(server.url + '/docs/');
  assert.equal(docs.status, 200);
});

test('every error code of the catalogue is named in the OpenAPI document', async () => {
  const { ERROR_CODES } = await import('../../src/domain/errors.ts');
  const doc = (await (await fetch(server.url + '/openapi.json')).json()) as any;
  const text = JSON.stringify(doc);
  const missing = Object.keys(ERROR_CODES).filter((code) => !new RegExp(`\\b${code}\\b`).test(text));
  assert.deepEqual(missing, []);
  assert.ok(Object.keys(ERROR_CODES).length > 20);
});
