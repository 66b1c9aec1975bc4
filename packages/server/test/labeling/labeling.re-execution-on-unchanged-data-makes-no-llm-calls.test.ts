import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { startFakeProvider, type FakeProvider } from './fake-provider.ts';
import { createAndRun, execute, seedTopics } from './http-helpers.ts';

let server: TestServer;
let fake: FakeProvider;
before(async () => {
  fake = await startFakeProvider();
  server = await startTestServer({ geminiApiKey: 'gem-test', geminiBaseUrl: fake.url, llmRetryBaseMs: 1 }, 'cache');
  await seedTopics(server, 'cache');
});
after(async () => {
  await server.close();
  await fake.close();
});

test('labels come from the provider once; the next execution on unchanged data reuses them without a call', async () => {
  const { clusterId, execution: first } = await createAndRun(server, 'cached', { llm_labeling: { enabled: true, provider: 'google', max_samples_per_cluster: 4 } });
  assert.equal(first.status, 'completed', first.error_message);
  assert.equal(first.llm_labeling_errors ?? null, null);
  assert.equal(fake.requests.length, 1);
  assert.equal(fake.requests[0]!.path, '/v1beta/models/gemini-2.0-flash:generateContent');
  assert.equal(fake.requests[0]!.headers['x-goog-api-key'], 'gem-test');
  for (const c of first.centroids) {
    assert.match(c.label, /^Topic /);
    assert.match(c.summary, /^Documents about /);
    assert.ok(c.keywords.length > 0);
  }
  const second = await execute(server, clusterId);
  assert.equal(second.status, 'completed');
  assert.notEqual(second.run_id, first.run_id);
  assert.equal(fake.requests.length, 1, 'no LLM call on re-execution');
  const view = (e: any) => e.centroids.map((c: any) => [c.cluster_id, c.label, c.summary, c.keywords]).sort();
  assert.deepEqual(view(second), view(first));
});
