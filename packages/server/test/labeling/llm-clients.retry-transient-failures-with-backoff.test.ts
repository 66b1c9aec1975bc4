import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { retryAfterMs, Semaphore } from '../../src/llm/http-client.ts';
import { createLlmClients, type LlmSettings } from '../../src/llm/providers.ts';
import { startFakeProvider, successBody, type FakeProvider } from './fake-provider.ts';

let fake: FakeProvider;
let settings: LlmSettings;
before(async () => {
  fake = await startFakeProvider();
  settings = {
    openaiApiKey: 'k', openaiBaseUrl: fake.url, anthropicApiKey: 'k', anthropicBaseUrl: fake.url, geminiApiKey: 'k', geminiBaseUrl: fake.url,
    llmTimeoutMs: 2000, llmMaxRetries: 3, llmRetryBaseMs: 5, llmConcurrency: 4,
  };
});
after(() => fake.close());

const request = { model: 'gpt-4o-mini-2024-07-18', system: 's', user: 'u', schema: { type: 'object' }, parameters: {} };
const ok = { clusters: [{ cluster_id: 'cl_0', label: 'x' }] };

test('429 and 5xx are retried until an answer arrives; the attempts are counted', async () => {
  const start = fake.requests.length;
  fake.behave((_, i) => {
    const n = i - start;
    if (n === 0) return { status: 429, body: { error: { message: 'Rate limit reached' } }, headers: { 'retry-after': '0' } };
    if (n === 1) return { status: 503, body: 'upstream unavailable' };
    if (n === 2) return { status: 500, body: { error: { message: 'boom' } } };
    return { status: 200, body: successBody('openai', ok) };
  });
  const out = await createLlmClients(settings).openai!.completeJson(request);
  assert.deepEqual(out.value, ok);
  assert.equal(out.attempts, 4);
  assert.equal(fake.requests.length - start, 4);
});

test('retries are bounded: after maxRetries the last error is reported with the attempt count', async () => {
  const start = fake.requests.length;
  fake.behave(() => ({ status: 429, body: { error: { message: 'Rate limit reached for requests' } } }));
  await assert.rejects(createLlmClients({ ...settings, llmMaxRetries: 2 }).openai!.completeJson(request), (e: Error) => {
    assert.match(e.message, /^OpenAI model gpt-4o-mini-2024-07-18: rate limit exceeded \(HTTP 429\): Rate limit reached for requests \(after 3 attempts\)$/);
    return true;
  });
  assert.equal(fake.requests.length - start, 3);
});

test('4xx other than 429 is not retried', async () => {
  const start = fake.requests.length;
  fake.behave(() => ({ status: 400, body: { error: { message: 'bad request' } } }));
  await assert.rejects(createLlmClients(settings).anthropic!.completeJson({ ...request, model: 'claude-3-5-haiku-20241022' }), /HTTP 400/);
  assert.equal(fake.requests.length - start, 1);
});

test('a request slower than the timeout is abandoned and retried, then reported as a timeout', async () => {
  const start = fake.requests.length;
  fake.behave(() => ({ status: 200, body: successBody('gemini', ok), delayMs: 1500 }));
  await assert.rejects(createLlmClients({ ...settings, llmTimeoutMs: 100, llmMaxRetries: 1 }).google!.completeJson({ ...request, model: 'gemini-2.0-flash' }), (e: Error) => {
    assert.match(e.message, /^Gemini model gemini-2.0-flash: timed out after 100 ms \(after 2 attempts\)$/);
    return true;
  });
  assert.equal(fake.requests.length - start, 2);
  fake.behave(null);
});

test('a refused connection is a network error, retried like a 5xx', async () => {
  const closed = await startFakeProvider();
  const url = closed.url;
  await closed.close();
  await assert.rejects(createLlmClients({ ...settings, openaiBaseUrl: url, llmMaxRetries: 1 }).openai!.completeJson(request), /OpenAI model gpt-4o-mini-2024-07-18: network error: ECONNREFUSED \(after 2 attempts\)/);
});

test('Retry-After is read as seconds or as an HTTP date, and capped', () => {
  assert.equal(retryAfterMs('2'), 2000);
  assert.equal(retryAfterMs('0'), 0);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs('soon'), null);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('86400'), 60_000);
});

test('the semaphore never lets more than its limit run at once', async () => {
  const limit = new Semaphore(2);
  let running = 0;
  let peak = 0;
  let finished = 0;
  const tasks = Array.from({ length: 6 }, (_, i) =>
    limit.use(async () => {
      running++;
      peak = Math.max(peak, running);
      for (let k = 0; k <= i % 3; k++) await new Promise((r) => setImmediate(r));
      running--;
      finished++;
    }),
  );
  await Promise.all(tasks);
  assert.equal(finished, 6);
  assert.equal(peak, 2);
});
