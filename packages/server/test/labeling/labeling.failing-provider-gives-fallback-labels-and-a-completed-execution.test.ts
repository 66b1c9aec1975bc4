import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { startFakeProvider, TOPICS, type FakeProvider } from './fake-provider.ts';
import { createAndRun, seedTopics } from './http-helpers.ts';

let server: TestServer;
let fake: FakeProvider;
before(async () => {
  fake = await startFakeProvider();
  fake.behave(() => ({ status: 500, body: { error: { message: 'The server had an error while processing your request' } } }));
  server = await startTestServer({ openaiApiKey: 'sk-test', openaiBaseUrl: `${fake.url}/v1`, llmMaxRetries: 1, llmRetryBaseMs: 1 }, 'labels');
  await seedTopics(server, 'labels');
});
after(async () => {
  await server.close();
  await fake.close();
});

const topicOf = (label: string) => TOPICS.findIndex((words) => words.some((w) => label.split(' · ').some((part) => part.split(' ').every((x) => w.split(' ').includes(x)))));

test('a provider that keeps failing: the execution completes, clusters keep keyword labels, llm_labeling_errors says why', async () => {
  const { execution: e } = await createAndRun(server, 'failing', { llm_labeling: { enabled: true, provider: 'openai' } });
  assert.equal(e.status, 'completed', e.error_message);
  assert.equal(e.num_clusters, 3);
  assert.equal(fake.requests.length, 2, 'one prompt, retried once');
  assert.equal(fake.requests[0]!.headers.authorization, 'Bearer sk-test');
  assert.equal(e.llm_labeling_errors.length, 1);
  const error = JSON.parse(e.llm_labeling_errors[0]);
  assert.deepEqual(Object.keys(error), ['error', 'clusters']);
  assert.match(error.error, /^OpenAI model gpt-4o-mini-2024-07-18: request failed \(HTTP 500\): The server had an error while processing your request \(after 2 attempts\)$/);
  assert.deepEqual([...error.clusters].sort(), ['cl_0', 'cl_1', 'cl_2']);
  const topics = new Set<number>();
  for (const c of e.centroids) {
    assert.ok(c.label && c.label.includes(' · '), `keyword label, got ${c.label}`);
    assert.ok(c.keywords.length >= 3);
    assert.equal(c.summary, null);
    topics.add(topicOf(c.label));
  }
  assert.deepEqual([...topics].sort(), [0, 1, 2], 'each cluster is named after its own topic');
});

test('without llm_labeling the clusters are still named, and no labeling error is reported', async () => {
  const before = fake.requests.length;
  const { execution: e } = await createAndRun(server, 'plain', {});
  assert.equal(e.status, 'completed');
  assert.equal(e.llm_labeling_errors ?? null, null);
  assert.equal(fake.requests.length, before, 'no provider call');
  assert.deepEqual(new Set(e.centroids.map((c: any) => topicOf(c.label))), new Set([0, 1, 2]));
});

test('llm_labeling settings are validated: 422 naming the field', async () => {
  const body = (llm: Record<string, unknown>) => ({ collection_ids: ['docs'], vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans' }, llm_labeling: llm });
  const mismatch = await server.call('POST', '/v1/clusters', { body: body({ enabled: true, provider: 'openai', model_name: 'claude-3-5-haiku-20241022' }) });
  assert.equal(mismatch.status, 422);
  assert.deepEqual(mismatch.body.detail[0].loc, ['body', 'llm_labeling', 'model_name']);
  assert.match(mismatch.body.detail[0].msg, /belongs to provider 'anthropic'/);
  const samples = await server.call('POST', '/v1/clusters', { body: body({ enabled: true, max_samples_per_cluster: 0 }) });
  assert.equal(samples.status, 422);
  assert.deepEqual(samples.body.detail[0].loc, ['body', 'llm_labeling', 'max_samples_per_cluster']);
  const threshold = await server.call('POST', '/v1/clusters', { body: body({ enabled: true, embedding_similarity_threshold: 1.5 }) });
  assert.equal(threshold.status, 422);
  assert.deepEqual(threshold.body.detail[0].loc, ['body', 'llm_labeling', 'embedding_similarity_threshold']);
  const provider = await server.call('POST', '/v1/clusters', { body: body({ enabled: true, provider: 'mistral' }) });
  assert.equal(provider.status, 422);
  assert.deepEqual(provider.body.detail[0].loc, ['body', 'llm_labeling', 'provider']);
  const literal = await server.call('POST', '/v1/clusters', { body: body({ enabled: true, labeling_inputs: { input_mappings: [{ input_key: 'lang', source_type: 'literal' }] } }) });
  assert.equal(literal.status, 422);
  assert.deepEqual(literal.body.detail[0].loc, ['body', 'llm_labeling', 'labeling_inputs', 'input_mappings', 0, 'override']);
  const accepted = await server.call('POST', '/v1/clusters', { body: { ...body({ enabled: true }), cluster_name: 'minimal' } });
  assert.equal(accepted.status, 200, 'the minimal {enabled: true} is accepted');
});
