import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ClusterLabeler } from '../../src/labeling/labeler.ts';
import { createLlmClients, type LlmSettings } from '../../src/llm/providers.ts';
import type { CachedLabel, LabelCacheStore } from '../../src/storage/store.ts';
import { cooperativeAnswer, promptOf, startFakeProvider, successBody, wireOf, type FakeProvider } from './fake-provider.ts';
import { centroid, doc, memorySource, topicCorpus } from './helpers.ts';

let fake: FakeProvider;
let settings: LlmSettings;
before(async () => {
  fake = await startFakeProvider();
  settings = {
    openaiApiKey: 'sk-test', openaiBaseUrl: fake.url, anthropicApiKey: 'sk-ant', anthropicBaseUrl: fake.url, geminiApiKey: null, geminiBaseUrl: null,
    llmTimeoutMs: 5000, llmMaxRetries: 0, llmRetryBaseMs: 1, llmConcurrency: 2,
  };
});
after(() => fake.close());

function memoryCache(): LabelCacheStore & { size(): number } {
  const rows = new Map<string, { value: CachedLabel; expiresAt: number }>();
  return {
    size: () => rows.size,
    async getMany(keys, now) {
      const out = new Map<string, CachedLabel>();
      for (const k of keys) {
        const r = rows.get(k);
        if (r && r.expiresAt > now) out.set(k, r.value);
      }
      return out;
    },
    async putMany(entries) {
      for (const e of entries) rows.set(e.key, { value: e.value, expiresAt: e.expiresAt });
    },
  };
}

test('one prompt asks for labels that tell the clusters apart; answers fill label, summary and keywords', async () => {
  fake.behave(null);
  const start = fake.requests.length;
  const { docs, members, centroids } = topicCorpus(40);
  const labeler = new ClusterLabeler(createLlmClients(settings), null);
  const config = { enabled: true, provider: 'openai', max_samples_per_cluster: 5, sample_text_max_length: 50 };
  const errors = await labeler.label({ llmLabeling: config, centroids, members, documents: memorySource(docs) });
  assert.equal(errors, null);
  assert.equal(fake.requests.length - start, 1, 'three small clusters fit one prompt');
  const r = fake.requests.at(-1)!;
  assert.equal(r.body.model, 'gpt-4o-mini-2024-07-18', 'the provider default model');
  const prompt = promptOf(r);
  assert.match(prompt, /tell its cluster apart from the others/);
  for (let t = 0; t < 3; t++) {
    const block = prompt.split(`## Cluster cl_${t} `)[1]!.split('\n## ')[0]!;
    const samples = block.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(samples.length, 5);
    for (const s of samples) assert.ok(s.length - 2 <= 50, s);
    // The first sample is the member nearest the centroid: document d<t>_0.
    const nearest = String(docs.find((d) => d.documentId === `d${t}_0`)!.metadata.text);
    assert.ok(samples[0]!.slice(2).startsWith(nearest.slice(0, 30)), `${samples[0]} vs ${nearest}`);
  }
  const expected = cooperativeAnswer(prompt).clusters;
  centroids.forEach((c, t) => {
    assert.equal(c.label, expected[t]!.label);
    assert.equal(c.summary, expected[t]!.summary);
    assert.deepEqual(c.keywords, expected[t]!.keywords);
  });
});

test('many clusters are split into several prompts; a missing answer is reported for exactly those clusters', async () => {
  const start = fake.requests.length;
  const { docs, members, centroids } = topicCorpus(4, 1);
  const many = Array.from({ length: 40 }, (_, c) => c);
  const allDocs = many.flatMap((c) => docs.map((d) => doc(`${d.documentId}_${c}`, { text: `${d.metadata.text} unique${c}word topic${c}` })));
  const allMembers = many.flatMap((c) => members.map((m) => ({ ...m, documentId: `${m.documentId}_${c}`, clusterId: `cl_${c}` })));
  const allCentroids = many.map((c) => centroid(`cl_${c}`, 4));
  fake.behave((req) => {
    const answer = cooperativeAnswer(promptOf(req));
    answer.clusters = answer.clusters.filter((c) => c.cluster_id !== 'cl_7');
    return { status: 200, body: successBody(wireOf(req.path), answer) };
  });
  const errors = await new ClusterLabeler(createLlmClients(settings), null).label({ llmLabeling: { enabled: true, model_name: 'claude-3-5-haiku-20241022' }, centroids: allCentroids, members: allMembers, documents: memorySource(allDocs) });
  fake.behave(null);
  const calls = fake.requests.slice(start);
  assert.equal(calls.length, 3, '40 clusters at 15 per prompt');
  assert.ok(calls.every((c) => wireOf(c.path) === 'anthropic' && c.body.model === 'claude-3-5-haiku-20241022'), 'provider inferred from model_name');
  assert.deepEqual(errors!.map((e) => JSON.parse(e)), [{ error: 'anthropic model claude-3-5-haiku-20241022 returned no label for these clusters', clusters: ['cl_7'] }]);
  assert.ok(allCentroids[7]!.label!.includes('unique7word') || allCentroids[7]!.label!.includes('topic7'), `fallback keeps keyword label: ${allCentroids[7]!.label}`);
  assert.ok(allCentroids.filter((c) => c.label!.startsWith('Topic ')).length === 39);
  assert.equal(new Set(allCentroids.map((c) => c.label)).size, 40, 'labels are distinct');
});

test('custom_prompt replaces the instructions; the cluster samples are still sent', async () => {
  const start = fake.requests.length;
  const { docs, members, centroids } = topicCorpus(10);
  await new ClusterLabeler(createLlmClients(settings), null).label({
    llmLabeling: { enabled: true, custom_prompt: 'Name these clusters with emoji.', include_summary: false, include_keywords: false, response_shape: 'a confidence between 0 and 1' },
    centroids, members, documents: memorySource(docs),
  });
  const prompt = promptOf(fake.requests[start]!);
  assert.ok(prompt.startsWith('Name these clusters with emoji.'));
  assert.doesNotMatch(prompt, /tell its cluster apart/);
  assert.match(prompt, /For each cluster also return: a confidence between 0 and 1/);
  assert.match(prompt, /## Cluster cl_2 /);
  assert.ok(centroids.every((c) => c.summary === null), 'include_summary false');
});

test('cached labels are reused: unchanged samples make no call, a changed cluster alone is asked again', async () => {
  const cache = memoryCache();
  const labeler = new ClusterLabeler(createLlmClients(settings), cache);
  const config = { enabled: true, provider: 'openai' };
  const run = async (docs: ReturnType<typeof topicCorpus>['docs']) => {
    const { members, centroids } = topicCorpus(30);
    const before = fake.requests.length;
    const errors = await labeler.label({ llmLabeling: config, centroids, members, documents: memorySource(docs) });
    return { calls: fake.requests.slice(before), centroids, errors };
  };
  const { docs } = topicCorpus(30);
  const first = await run(docs);
  assert.equal(first.calls.length, 1);
  assert.equal(cache.size(), 3);
  const second = await run(docs);
  assert.equal(second.calls.length, 0, 'no LLM call on unchanged data');
  assert.deepEqual(second.centroids.map((c) => [c.label, c.summary, c.keywords]), first.centroids.map((c) => [c.label, c.summary, c.keywords]));
  const edited = docs.map((d) => (d.documentId === 'd1_0' ? { ...d, metadata: { text: 'a completely different nearest sample about pasta' } } : d));
  const third = await run(edited);
  assert.equal(third.calls.length, 1);
  const prompt = promptOf(third.calls[0]!);
  assert.match(prompt, /## Cluster cl_1 /);
  assert.doesNotMatch(prompt, /## Cluster cl_0 |## Cluster cl_2 /, 'only the changed cluster is asked');
  assert.match(prompt, /already belong to other clusters/);
  const before = fake.requests.length;
  const again = topicCorpus(30);
  await labeler.label({ llmLabeling: { ...config, cache_ttl_seconds: 0 }, centroids: again.centroids, members: again.members, documents: memorySource(docs) });
  assert.equal(fake.requests.length - before, 1, 'cache_ttl_seconds 0 turns the cache off');
});
