import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { blobs, seedCollection, startTestServer, waitFor, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const { vectors, truth } = blobs(4, 50, 8, 3);

before(async () => {
  server = await startTestServer({}, 'maps');
  await seedCollection(server, 'maps', vectors);
});
after(() => server.close());

async function executed(name: string, projection: Record<string, unknown> | undefined): Promise<{ clusterId: string; runId: string; execution: any }> {
  const created = await server.call('POST', '/v1/clusters', {
    body: { collection_ids: ['docs'], cluster_name: name, vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 4, random_state: 5 }, ...(projection ? { projection } : {}) } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const clusterId: string = created.body.cluster_id;
  const task = await server.call('POST', `/v1/clusters/${clusterId}/execute`);
  const runId: string = task.body.additional_data.run_id;
  const done = await waitFor(() => server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}`), (r) => r.body?.status === 'completed' || r.body?.status === 'failed', 120_000);
  assert.equal(done.body.status, 'completed', done.body.error_message);
  return { clusterId, runId, execution: done.body };
}

/** Every member through the JSON cursor, `limit` at a time. */
async function allMembers(clusterId: string, runId: string, projection: '2d' | '3d', limit: number): Promise<any[]> {
  const members: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query = `include_members=true&include_centroids=false&limit=${limit}&projection_method=${projection}${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    members.push(...r.body.members);
    cursor = r.body.next_cursor;
    if (!cursor) break;
  }
  return members;
}

function dist(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
}

/** Closest pair of truth-blob centres in the map over the widest blob (mean distance of its points to its centre). */
function separation(points: Map<string, number[]>): number {
  const dims = [...points.values()][0]!.length;
  const centres = Array.from({ length: 4 }, () => new Array(dims).fill(0));
  const counts = new Array(4).fill(0);
  points.forEach((p, doc) => {
    const t = truth[Number(doc.slice(3))]!;
    counts[t]++;
    p.forEach((v, i) => (centres[t]![i] += v));
  });
  centres.forEach((c, t) => c.forEach((_, i) => (c[i] /= counts[t])));
  const spread = new Array(4).fill(0);
  points.forEach((p, doc) => {
    const t = truth[Number(doc.slice(3))]!;
    spread[t] += dist(p, centres[t]!) / counts[t];
  });
  let closest = Infinity;
  for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) closest = Math.min(closest, dist(centres[a]!, centres[b]!));
  return closest / Math.max(...spread);
}

for (const [name, projection, method] of [
  ['auto', undefined, 'umap'],
  ['pca', { method: 'pca' }, 'pca'],
  ['umap', { method: 'umap', n_neighbors: 10, min_dist: 0.2 }, 'umap'],
] as const) {
  describe(`projection ${name}`, () => {
    test(`records the method and gives every member and centroid finite 2-D and 3-D coordinates that keep blobs apart`, async () => {
      const { clusterId, runId, execution } = await executed(`map-${name}`, projection);
      const details = execution.algorithm_details.projection;
      assert.equal(details.method, method);
      assert.deepEqual(details.dimensions, [2, 3]);
      assert.equal(details.fitted_points, vectors.length);
      if (method === 'pca') {
        assert.equal(details.explained_variance_ratio.length, 3);
        const total = details.explained_variance_ratio.reduce((s: number, v: number) => s + v, 0);
        assert.ok(total > 0.5 && total <= 1 + 1e-9, `explained ${total}`);
      }
      if (name === 'umap') assert.equal(details.n_neighbors, 10);

      for (const [projectionMethod, dims] of [['2d', 2], ['3d', 3]] as const) {
        const members = await allMembers(clusterId, runId, projectionMethod, 37);
        // The cursor visits every member exactly once.
        assert.equal(members.length, vectors.length);
        assert.equal(new Set(members.map((m) => m.document_id)).size, vectors.length);
        const points = new Map<string, number[]>();
        for (const m of members) {
          const p = dims === 2 ? [m.x, m.y] : [m.x, m.y, m.z];
          for (const v of p) assert.ok(typeof v === 'number' && Number.isFinite(v), `${m.document_id}: ${JSON.stringify(m)}`);
          if (dims === 2) assert.equal(m.z, undefined);
          points.set(m.document_id, p);
        }
        const ratio = separation(points);
        assert.ok(ratio > 3, `${projectionMethod}: closest blob centres only ${ratio.toFixed(2)}× the blob spread apart`);

        const art = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?projection_method=${projectionMethod}`);
        assert.equal(art.status, 200);
        assert.equal(art.body.projection_method, projectionMethod);
        assert.equal(art.body.projection.method, method);
        assert.equal(art.body.centroids.length, 4);
        for (const c of art.body.centroids) {
          const p = dims === 2 ? [c.x, c.y] : [c.x, c.y, c.z];
          for (const v of p) assert.ok(Number.isFinite(v), `${c.cluster_id}: ${JSON.stringify(c)}`);
          // The centre sits among its own members: nearer their mean than any other cluster's.
          const own = members.filter((m) => m.cluster_id === c.cluster_id).map((m) => points.get(m.document_id)!);
          const mean = p.map((_, i) => own.reduce((s, q) => s + q[i]!, 0) / own.length);
          const spread = own.reduce((s, q) => s + dist(q, mean), 0) / own.length;
          assert.ok(dist(p, mean) < 1.5 * spread + 1e-6, `${c.cluster_id} is ${dist(p, mean)} from its members' mean (spread ${spread})`);
        }
      }
    });
  });
}

test('representatives are the members nearest each centroid, nearest first, N per query', async () => {
  const { clusterId, runId } = await executed('reps', { method: 'pca' });
  const members = await allMembers(clusterId, runId, '2d', 500);
  const five = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts`);
  const three = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?representatives=3`);
  const none = await server.call('GET', `/v1/clusters/${clusterId}/executions/${runId}/artifacts?representatives=0`);
  for (const c of none.body.centroids) assert.equal(c.representatives, undefined);
  for (const [body, n] of [[five.body, 5], [three.body, 3]] as const) {
    for (const c of body.centroids) {
      const expected = members
        .filter((m) => m.cluster_id === c.cluster_id)
        .sort((a, b) => a.distance_to_centroid - b.distance_to_centroid)
        .slice(0, n)
        .map((m) => m.distance_to_centroid);
      assert.equal(c.representatives.length, n);
      assert.deepEqual(c.representatives.map((r: any) => r.distance_to_centroid), expected);
      for (const r of c.representatives) assert.equal(members.find((m) => m.document_id === r.document_id)!.cluster_id, c.cluster_id);
    }
  }
});
