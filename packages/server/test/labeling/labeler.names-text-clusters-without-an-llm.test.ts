import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterLabeler } from '../../src/labeling/labeler.ts';
import { distinctLabels, labelSimilarity } from '../../src/labeling/distinct-labels.ts';
import { byDistance, evenSample, representativeCandidates } from '../../src/labeling/samples.ts';
import { TOPICS } from './fake-provider.ts';
import { centroid, doc, memorySource, topicCorpus } from './helpers.ts';

const topicWords = (t: number) => new Set(TOPICS[t]!.flatMap((w) => [w, ...w.split(' ')]));

test('without llm_labeling, each text cluster is named by its own distinguishing keywords', async () => {
  const { docs, members, centroids } = topicCorpus(60);
  const labeler = new ClusterLabeler({}, null);
  const errors = await labeler.label({ llmLabeling: null, centroids, members, documents: memorySource(docs) });
  assert.equal(errors, null, 'nothing was asked of an LLM, so nothing is reported');
  centroids.forEach((c, t) => {
    assert.ok(c.label !== null && c.label.includes(' · '), `cl_${t}: ${c.label}`);
    for (const part of c.label!.split(' · ')) for (const w of part.split(' ')) assert.ok(topicWords(t).has(w), `cl_${t} label '${c.label}' has '${w}'`);
    assert.ok(c.keywords!.length >= 3);
    for (const k of c.keywords!.slice(0, 3)) for (const w of k.split(' ')) assert.ok(topicWords(t).has(w), `cl_${t} keyword '${k}'`);
    assert.ok(!c.keywords!.some((k) => k.startsWith('sku') || k === 'even' || k === 'odd'), 'codes and categories are not text');
    assert.equal(c.summary, null);
  });
});

test('with llm_labeling enabled but no provider configured: keyword labels plus one error naming every cluster', async () => {
  const { docs, members, centroids } = topicCorpus(20);
  const errors = await new ClusterLabeler({}, null).label({ llmLabeling: { enabled: true }, centroids, members, documents: memorySource(docs) });
  assert.equal(errors!.length, 1);
  const e = JSON.parse(errors![0]!);
  assert.deepEqual(e.clusters, ['cl_0', 'cl_1', 'cl_2']);
  assert.match(e.error, /no provider is configured: set OPENAI_API_KEY/);
  for (const c of centroids) assert.ok(c.label && !c.label.startsWith('Cluster'), c.label ?? 'null');
});

test('documents without any text: no label unless labeling was asked for, then "Cluster N"', async () => {
  const docs = [doc('a', { n: 1 }), doc('b', { n: 2 }), doc('c', { n: 3 })];
  const members = docs.map((d, i) => ({ documentId: d.documentId, clusterId: i < 2 ? 'cl_0' : 'cl_1', distanceToCentroid: 0.1 }));
  const plain = [centroid('cl_0', 2), centroid('cl_1', 1)];
  await new ClusterLabeler({}, null).label({ llmLabeling: null, centroids: plain, members, documents: memorySource(docs) });
  assert.deepEqual(plain.map((c) => [c.label, c.keywords]), [[null, null], [null, null]]);
  const asked = [centroid('cl_0', 2), centroid('cl_1', 1)];
  await new ClusterLabeler({}, null).label({ llmLabeling: { enabled: true }, centroids: asked, members, documents: memorySource(docs) });
  assert.deepEqual(asked.map((c) => c.label), ['Cluster 0', 'Cluster 1']);
});

test('attribute clusters keep their value labels and gain keywords; noise is left alone', async () => {
  const { docs, members } = topicCorpus(20, 2);
  const centroids = [centroid('cl_0', 20, 'chargers'), centroid('cl_1', 20, 'kitchen'), centroid('cl_-1', 0)];
  await new ClusterLabeler({}, null).label({ llmLabeling: { enabled: true }, centroids, members, documents: memorySource(docs), keepLabels: true });
  assert.deepEqual(centroids.map((c) => c.label), ['chargers', 'kitchen', null]);
  assert.ok(topicWords(0).has(centroids[0]!.keywords![0]!.split(' ')[0]!));
  assert.equal(centroids[2]!.keywords, null);
});

test('input_mappings choose the fields read, from metadata or feature payloads', async () => {
  const docs = [
    doc('a', { title: 'solar panel installation', body: 'pasta pasta pasta' }),
    doc('b', { title: 'solar panel roof' }),
    doc('c', {}, { headline: 'espresso machine descaling' }),
    doc('d', {}, { headline: 'espresso machine grinder' }),
  ];
  const members = ['a', 'b', 'c', 'd'].map((id, i) => ({ documentId: id, clusterId: i < 2 ? 'cl_0' : 'cl_1', distanceToCentroid: i * 0.1 }));
  const centroids = [centroid('cl_0', 2), centroid('cl_1', 2)];
  const mappings = [{ input_key: 'title', path: 'title', source_type: 'payload' }, { input_key: 'headline', path: 'headline' }];
  await new ClusterLabeler({}, null).label({ llmLabeling: { labeling_inputs: { input_mappings: mappings } }, centroids, members, documents: memorySource(docs) });
  assert.equal(centroids[0]!.keywords!.includes('pasta'), false, 'body is not mapped');
  assert.match(centroids[0]!.label!, /solar/);
  assert.match(centroids[1]!.label!, /espresso/);
});

test('representative samples: the nearest members first, then a spread over the distance range, then reserves', () => {
  const sorted = byDistance(Array.from({ length: 100 }, (_, i) => ({ documentId: `m${99 - i}`, distance: (99 - i) / 100 })));
  assert.equal(sorted[0]!.documentId, 'm0');
  const picks = representativeCandidates(sorted, 10, 5);
  assert.equal(picks.length, 15);
  assert.equal(new Set(picks).size, 15);
  assert.deepEqual(picks.slice(0, 6), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  const spread = picks.slice(6, 10).map((id) => Number(id.slice(1)));
  assert.ok(spread.every((i, k) => i > 5 && (k === 0 || i > spread[k - 1]!)), `spread ${spread}`);
  assert.ok(spread.at(-1)! > 60 && spread.at(-1)! < 99, 'reaches far out, short of the farthest outlier');
  assert.deepEqual(spread, [24, 43, 62, 81]);
  assert.deepEqual(picks.slice(10), ['m6', 'm7', 'm8', 'm9', 'm10'], 'reserves: the next nearest');
  assert.deepEqual(representativeCandidates(sorted.slice(0, 8), 10), sorted.slice(0, 8).map((r) => r.documentId));
  const even = evenSample(sorted, 10);
  assert.deepEqual(even, Array.from({ length: 10 }, (_, i) => `m${i * 10}`));
});

test('duplicate labels are made distinct; near-duplicates too when use_embedding_dedup is on', () => {
  const clusters = [
    { clusterId: 'cl_0', label: 'Product Reviews', keywords: ['battery'] },
    { clusterId: 'cl_1', label: 'product reviews', keywords: ['reviews', 'screen'] },
    { clusterId: 'cl_2', label: 'Product Review', keywords: ['shipping'] },
    { clusterId: 'cl_3', label: 'Support Tickets', keywords: [] },
  ];
  assert.ok(labelSimilarity('Product Reviews', 'Product Review') > 0.8);
  assert.ok(labelSimilarity('Product Reviews', 'Support Tickets') < 0.3);
  assert.deepEqual([...distinctLabels(clusters, false, 0.8)], [['cl_1', 'product reviews (screen)']]);
  assert.deepEqual([...distinctLabels(clusters, true, 0.8)], [['cl_1', 'product reviews (screen)'], ['cl_2', 'Product Review (shipping)']]);
  assert.deepEqual([...distinctLabels([clusters[0]!, { ...clusters[0]!, clusterId: 'cl_9', keywords: [] }], false, 0.8)], [['cl_9', 'Product Reviews (cl_9)']]);
});

test('hierarchies: a parent is named from its descendants, and sub-clusters are ranked against their siblings', async () => {
  const { docs, members } = topicCorpus(20, 3);
  const leafOf: Record<string, string> = { cl_0: 'cl_0_sub_0', cl_1: 'cl_0_sub_1', cl_2: 'cl_1' };
  const leafMembers = members.map((m) => ({ ...m, clusterId: leafOf[m.clusterId]! }));
  const centroids = [
    centroid('cl_0', 40),
    { ...centroid('cl_0_sub_0', 20), parent_cluster_id: 'cl_0' },
    { ...centroid('cl_0_sub_1', 20), parent_cluster_id: 'cl_0' },
    centroid('cl_1', 20),
  ];
  const errors = await new ClusterLabeler({}, null).label({ llmLabeling: { enabled: true }, centroids, members: leafMembers, documents: memorySource(docs) });
  assert.ok(errors!.every((e) => !e.includes('No representative documents')), 'the parent has samples through its children');
  const words = (c: (typeof centroids)[number]) => c.keywords!.slice(0, 3).flatMap((k) => k.split(' '));
  assert.ok(words(centroids[0]!).every((w) => topicWords(0).has(w) || topicWords(1).has(w)), `parent: ${centroids[0]!.keywords}`);
  assert.ok(words(centroids[1]!).every((w) => topicWords(0).has(w)), `sub 0: ${centroids[1]!.keywords}`);
  assert.ok(words(centroids[2]!).every((w) => topicWords(1).has(w)), `sub 1: ${centroids[2]!.keywords}`);
  assert.ok(words(centroids[3]!).every((w) => topicWords(2).has(w)), `cl_1: ${centroids[3]!.keywords}`);
  assert.equal(new Set(centroids.map((c) => c.label)).size, 4);
});

test('a failure while reading documents is reported, not thrown; a cancel is thrown', async () => {
  const { members, centroids } = topicCorpus(5);
  const broken = { async *read(): AsyncIterable<never> { throw new Error('disk on fire'); } };
  const errors = await new ClusterLabeler({}, null).label({ llmLabeling: null, centroids, members, documents: broken });
  assert.deepEqual(errors!.map((e) => JSON.parse(e)), [{ error: 'Labeling failed: disk on fire', clusters: ['cl_0', 'cl_1', 'cl_2'] }]);
  const controller = new AbortController();
  controller.abort(new Error('canceled'));
  const { docs } = topicCorpus(5);
  await assert.rejects(new ClusterLabeler({}, null).label({ llmLabeling: null, centroids, members, documents: memorySource(docs), signal: controller.signal }), /canceled/);
});
