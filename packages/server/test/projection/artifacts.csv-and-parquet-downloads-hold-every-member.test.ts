import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { blobs, seedCollection, startTestServer, TEST_KEY, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let clusterId: string;
let runId: string;
let jsonMembers: Map<string, any>;
const { vectors } = blobs(3, 40, 6, 9);

async function download(path: string): Promise<Response> {
  return fetch(server.url + path, { headers: { authorization: `Bearer ${TEST_KEY}`, 'x-namespace': 'exports' } });
}

/** Minimal RFC 4180 reader: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ''), i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

before(async () => {
  server = await startTestServer({}, 'exports');
  await seedCollection(server, 'exports', vectors);
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'exported', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3, random_state: 1 }, projection: { method: 'pca' } } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  clusterId = created.body.cluster_id;
  const task = await server.call('POST', `/v1/clusters/${clusterId}/execute`);
  runId = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed', 120_000);
  assert.equal(done.body.status, 'completed', done.body.error_message);
  const page = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?include_members=true&limit=10000&projection_method=3d`);
  jsonMembers = new Map(page.body.members.map((m: any) => [m.document_id, m]));
});
after(() => server.close());

test('CSV holds a header and one row per member with the JSON values', async () => {
  const response = await download(`/v1/clusters/${clusterId}/executions/${runId}/artifacts?format=csv`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(response.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="${runId}.csv"`));
  const rows = parseCsv(await response.text());
  assert.deepEqual(rows[0], ['document_id', 'cluster_id', 'cluster_label', 'distance_to_centroid', 'x', 'y']);
  assert.equal(rows.length - 1, vectors.length);
  const twoD = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?include_members=true&limit=10000`);
  const byId = new Map(twoD.body.members.map((m: any) => [m.document_id, m]));
  assert.equal(new Set(rows.slice(1).map((r) => r[0])).size, vectors.length);
  for (const [documentId, cluster, , distance, x, y] of rows.slice(1)) {
    const m: any = byId.get(documentId!);
    assert.equal(cluster, m.cluster_id);
    assert.equal(Number(distance), m.distance_to_centroid);
    assert.equal(Number(x), m.x);
    assert.equal(Number(y), m.y);
  }
});

test('Parquet reads back with every member and the 3-D columns', async () => {
  const response = await download(`/v1/clusters/${clusterId}/executions/${runId}/artifacts?format=parquet&projection_method=3d`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/vnd.apache.parquet');
  const file = await response.arrayBuffer();
  const metadata = parquetMetadata(file);
  assert.equal(Number(metadata.num_rows), vectors.length);
  assert.deepEqual(metadata.schema.slice(1).map((s) => s.name), ['document_id', 'cluster_id', 'cluster_label', 'distance_to_centroid', 'x', 'y', 'z']);
  const rows = await parquetReadObjects({ file });
  assert.equal(rows.length, vectors.length);
  for (const row of rows) {
    const m = jsonMembers.get(row.document_id as string);
    assert.ok(m, `unknown document ${String(row.document_id)}`);
    assert.equal(row.cluster_id, m.cluster_id);
    assert.equal(row.x, m.x);
    assert.equal(row.y, m.y);
    assert.equal(row.z, m.z);
    assert.equal(row.distance_to_centroid, m.distance_to_centroid);
  }
});

test('the cluster-level route serves the newest completed run with the same options', async () => {
  const latest = await server.call('GET', `/v1/clusters/${clusterId}/artifacts?projection_method=3d&include_members=true&limit=10000`);
  assert.equal(latest.status, 200);
  assert.equal(latest.body.run_id, runId);
  assert.deepEqual(new Map(latest.body.members.map((m: any) => [m.document_id, m])), jsonMembers);
  const csv = await download(`/v1/clusters/${clusterId}/artifacts?format=csv`);
  assert.equal(parseCsv(await csv.text()).length - 1, vectors.length);
});

test('bad query values are refused with 422 naming the field, and runs without results with 404 / 409', async () => {
  const base = `/v1/clusters/${clusterId}/executions/${runId}/artifacts`;
  for (const [query, field] of [
    ['projection_method=4d', 'projection_method'],
    ['format=xml', 'format'],
    ['representatives=101', 'representatives'],
    ['representatives=-1', 'representatives'],
    ['format=csv&cursor=bTox', 'cursor'],
  ] as const) {
    const r = await server.call('GET', `${base}?${query}`);
    assert.equal(r.status, 422, `${query}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.detail.some((d: any) => d.loc.join('.') === `query.${field}`), `${query}: ${JSON.stringify(r.body.detail)}`);
  }

  // A cluster whose only run fails (more clusters than documents) has no artifacts to serve.
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: 'too-many', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 500 } } },
  });
  const failing = created.body.cluster_id;
  const none = await server.call('GET', `/v1/clusters/${failing}/artifacts`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'no_completed_execution');
  const task = await server.call('POST', `/v1/clusters/${failing}/execute`);
  const failedRun = task.body.additional_data.run_id;
  await waitFor(() => server.call('GET', `/v1/clusters/${failing}/executions/${failedRun}`), (r) => r.body?.status === 'failed', 60_000);
  const refused = await download(`/v1/clusters/${failing}/executions/${failedRun}/artifacts?format=parquet`);
  assert.equal(refused.status, 409);
  assert.equal(((await refused.json()) as any).error.code, 'export_unavailable');
  assert.equal((await server.call('GET', `/v1/clusters/${failing}/artifacts?format=csv`)).status, 404);
});

test('projection options of a cluster are validated with 422s', async () => {
  for (const [projection, field] of [
    [{ method: 'tsne' }, 'method'],
    [{ method: 'umap', n_neighbors: 1 }, 'n_neighbors'],
    [{ method: 'umap', min_dist: 1.5 }, 'min_dist'],
    [{ method: 'pca', n_neighbors: 15 }, 'n_neighbors'],
    [{ method: 'umap', perplexity: 30 }, 'perplexity'],
  ] as const) {
    const r = await server.call('POST', '/v1/clusters', {
      body: { collection_ids: ['docs'], cluster_name: `bad-${field}-${JSON.stringify(projection).length}`, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', projection } },
    });
    assert.equal(r.status, 422, `${JSON.stringify(projection)}: ${JSON.stringify(r.body)}`);
    const locs = r.body.detail.map((d: any) => d.loc.join('.'));
    assert.ok(locs.some((l: string) => l.startsWith('body.vector_config.projection') && (l.endsWith(field) || l === 'body.vector_config.projection')), `${JSON.stringify(projection)}: ${locs}`);
  }
});
