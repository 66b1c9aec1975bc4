/**
 * The server's binary scatter encoder against the dashboard's decoder, on members with made-up
 * coordinates (a fake execution store), plus the normalisation the plot relies on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeScatter, normalizeCoordinates } from '../../../dashboard/src/scatter/decode.ts';
import type { ExecutionRecord, MemberRow } from '../../src/domain/records.ts';
import { encodeScatter } from '../../src/http/routes/scatter.ts';
import type { ExecutionStore } from '../../src/storage/store.ts';

type FakeMember = MemberRow & { memberIndex: number };

function fakeStore(members: FakeMember[]): { store: ExecutionStore; pages: number[] } {
  const pages: number[] = [];
  const store = {
    async membersPage(_runId: string, afterIndex: number, limit: number) {
      const page = members.filter((m) => m.memberIndex > afterIndex).slice(0, limit);
      pages.push(page.length);
      return page;
    },
    async memberCount() {
      return members.length;
    },
  } as unknown as ExecutionStore;
  return { store, pages };
}

function execution(centroids: Array<{ cluster_id: string; num_members: number; label: string | null }>): ExecutionRecord {
  return {
    runId: 'run_fake', clusterId: 'clust_fake', centroids: centroids.map((c) => ({ ...c, summary: null, keywords: null, mean_cosine_similarity: null, min_cosine_similarity: null })),
  } as unknown as ExecutionRecord;
}

async function body(generator: AsyncGenerator<Buffer>): Promise<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of generator) chunks.push(chunk);
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

test('points, clusters and bounds survive encoding page by page and decoding', async () => {
  const n = 45_001; // more than two pages of 20,000
  const members: FakeMember[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = i % 7 === 0 ? 'cl_-1' : `cl_${i % 3}`;
    members.push({ memberIndex: i, documentId: `doc${i}`, clusterId: cluster, distanceToCentroid: null, x: Math.sin(i) * 10 + i / 1000, y: Math.cos(i) * 5 - 2 });
  }
  const { store, pages } = fakeStore(members);
  const run = execution([
    { cluster_id: 'cl_0', num_members: 1, label: 'zero' },
    { cluster_id: 'cl_1', num_members: 2, label: null },
    { cluster_id: 'cl_2', num_members: 3, label: 'two' },
  ]);
  const decoded = decodeScatter(await body(encodeScatter((e, after, limit) => store.membersPage(e.runId, after, limit), run, n)));

  assert.deepEqual(pages, [20_000, 20_000, 5_001]);
  assert.equal(decoded.count, n);
  assert.equal(decoded.has_coordinates, true);
  // Listed clusters keep their order and counts; the noise id seen only in members is appended and counted.
  const noise = members.filter((m) => m.clusterId === 'cl_-1').length;
  assert.deepEqual(decoded.clusters, [
    { cluster_id: 'cl_0', label: 'zero', num_members: 1 },
    { cluster_id: 'cl_1', label: null, num_members: 2 },
    { cluster_id: 'cl_2', label: 'two', num_members: 3 },
    { cluster_id: 'cl_-1', label: null, num_members: noise },
  ]);
  for (const i of [0, 1, 7, 20_000, 39_999, 45_000]) {
    assert.equal(decoded.x[i], Math.fround(members[i]!.x!));
    assert.equal(decoded.y[i], Math.fround(members[i]!.y!));
    assert.equal(decoded.clusters[decoded.cluster[i]!]!.cluster_id, members[i]!.clusterId);
  }
  const xs = members.map((m) => m.x!);
  const ys = members.map((m) => m.y!);
  assert.deepEqual(decoded.bounds, { min_x: Math.min(...xs), max_x: Math.max(...xs), min_y: Math.min(...ys), max_y: Math.max(...ys) });

  const normalized = normalizeCoordinates(decoded);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(normalized.x[i]!), Math.abs(normalized.y[i]!));
  assert.ok(maxAbs <= 0.95 + 1e-6 && maxAbs > 0.9, `normalised extent ${maxAbs}`);
});

test('members without coordinates decode as NaN and say so', async () => {
  const members: FakeMember[] = [0, 1, 2].map((i) => ({ memberIndex: i, documentId: `d${i}`, clusterId: 'cl_0', distanceToCentroid: 0.5 }));
  const { store } = fakeStore(members);
  const decoded = decodeScatter(await body(encodeScatter((e, after, limit) => store.membersPage(e.runId, after, limit), execution([{ cluster_id: 'cl_0', num_members: 3, label: null }]), 3)));
  assert.equal(decoded.count, 3);
  assert.equal(decoded.has_coordinates, false);
  assert.equal(decoded.bounds, null);
  assert.ok(Number.isNaN(decoded.x[1]!) && Number.isNaN(decoded.y[2]!));
  const normalized = normalizeCoordinates(decoded);
  assert.deepEqual([...normalized.x], [0, 0, 0]);
});

test('a body that is cut short or not a scatter body is refused', async () => {
  const members: FakeMember[] = [{ memberIndex: 0, documentId: 'd', clusterId: 'cl_0', distanceToCentroid: null, x: 1, y: 2 }];
  const whole = await body(encodeScatter((e, after, limit) => fakeStore(members).store.membersPage(e.runId, after, limit), execution([]), 1));
  assert.throws(() => decodeScatter(whole.slice(0, whole.byteLength - 8)), /length does not match|JSON|too short/);
  const wrong = new Uint8Array(whole.slice(0));
  wrong[0] = 0x58;
  assert.throws(() => decodeScatter(wrong.buffer), /not a scatter body/);
});
