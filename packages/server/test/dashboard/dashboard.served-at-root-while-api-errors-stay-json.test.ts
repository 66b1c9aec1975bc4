/** The server serves the built dashboard at `/`, falls back to index.html, and leaves the API's answers alone. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { ensureDashboardBuilt } from '../../../dashboard/scripts/ensure-built.mjs';
import { registerErrorHandling } from '../../src/http/plugins/errors.ts';
import { DASHBOARD_DIST, registerDashboard } from '../../src/http/plugins/dashboard.ts';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => {
  ensureDashboardBuilt({ quiet: true });
  server = await startTestServer({}, null);
});
after(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });

test('/ and unknown app paths get index.html; hashed assets are cached for good', async () => {
  for (const path of ['/', '/clusters/clust_x/executions/run_y', '/some/deep/link?x=1']) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type')!, /text\/html/);
    assert.match(await response.text(), /<div id="app"><\/div>/);
  }
  const script = readdirSync(join(DASHBOARD_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
  const asset = await get(`/assets/${script}`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type')!, /javascript/);
  assert.match(asset.headers.get('cache-control')!, /immutable/);
});

test('API misses stay JSON: unknown /v1 routes, missing files, and auth come first', async () => {
  const unauthenticated = await get('/v1/no-such-route');
  assert.equal(unauthenticated.status, 401);
  const missing = await get('/v1/no-such-route', { authorization: `Bearer ${TEST_KEY}` });
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as any).error.code, 'route_not_found');
  const file = await get('/assets/not-there.js');
  assert.equal(file.status, 404);
  assert.equal(((await file.json()) as any).error.code, 'route_not_found');
  // Nothing outside dist/ is reachable, and a malformed path is refused, never answered with the app.
  for (const sneaky of ['/..%2F..%2Fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2F..%2Fpackage.json']) {
    assert.equal((await get(sneaky)).status, 404, sneaky);
  }
  assert.equal((await get('/%E0%A4%A.js')).status, 400);
  const health = await get('/health');
  assert.equal(((await health.json()) as any).status, 'ok');
});

test('the OpenAPI document describes the binary scatter format', async () => {
  const doc = (await (await get('/openapi.json')).json()) as any;
  const route = doc.paths['/v1/clusters/{cluster_id}/executions/{run_id}/scatter'];
  assert.ok(route?.get, 'scatter route missing from /openapi.json');
  assert.match(route.get.description, /CSCT/);
  assert.ok(doc.paths['/v1/clusters/{cluster_id}/executions/{run_id}/scatter/points/{index}']?.get);
});

test('without a build, / explains how to make one and the API still answers', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'centroid-no-dist-'));
  const app = Fastify();
  registerErrorHandling(app);
  app.get('/v1/ping', async () => ({ ok: true }));
  await registerDashboard(app, empty);
  try {
    const root = await app.inject({ url: '/' });
    assert.equal(root.statusCode, 503);
    assert.match(root.body, /npm run build -w @centroid\/dashboard/);
    assert.equal((await app.inject({ url: '/v1/ping' })).json().ok, true);
    assert.equal((await app.inject({ url: '/v1/other' })).json().error.code, 'route_not_found');
  } finally {
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
