import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  const reference = JSON.parse(readFileSync(new URL('../../../../../shared/reference/mixpeek-clustering-openapi.json', import.meta.url), 'utf8'));
  const wanted = Object.keys(reference.paths).filter((p) => /^\/v1\/(clusters(\/\{cluster_id\}\/(execute|executions)|\/list$|$|\/\{cluster_identifier\})|tasks)/.test(p));
  assert.ok(wanted.length >= 10);
  const ours = new Set(Object.keys(doc.paths).map((p) => p.replace('{cluster_identifier}', '{cluster_id}')));
  for (const path of wanted) assert.ok(ours.has(path.replace('{cluster_identifier}', '{cluster_id}')), `missing ${path}`);
  const docs = await fetch(server.url + '/docs/');
  assert.equal(docs.status, 200);
});
