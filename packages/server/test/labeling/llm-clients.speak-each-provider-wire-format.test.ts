import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLlmClients, type LlmSettings } from '../../src/llm/providers.ts';
import { startFakeProvider, successBody, type FakeProvider } from './fake-provider.ts';

let fake: FakeProvider;
let settings: LlmSettings;
before(async () => {
  fake = await startFakeProvider();
  settings = {
    openaiApiKey: 'sk-openai',
    openaiBaseUrl: `${fake.url}/v1`,
    anthropicApiKey: 'sk-ant',
    anthropicBaseUrl: fake.url,
    geminiApiKey: 'gem-key',
    geminiBaseUrl: fake.url,
    llmTimeoutMs: 5000,
    llmMaxRetries: 0,
    llmRetryBaseMs: 1,
    llmConcurrency: 2,
  };
});
after(() => fake.close());

const schema = { type: 'object', properties: { clusters: { type: 'array' } }, required: ['clusters'] };
const answer = { clusters: [{ cluster_id: 'cl_0', label: 'Chargers' }] };

test('OpenAI: bearer key, model, messages and JSON mode; parameters forwarded; answer parsed', async () => {
  fake.behave((r) => ({ status: 200, body: successBody('openai', answer) }));
  const client = createLlmClients(settings).openai!;
  const out = await client.completeJson({ model: 'gpt-4o-mini-2024-07-18', system: 'sys', user: 'usr', schema, parameters: { temperature: 0.2, max_tokens: 300 } });
  assert.deepEqual(out.value, answer);
  assert.equal(out.attempts, 1);
  const r = fake.requests.at(-1)!;
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/v1/chat/completions');
  assert.equal(r.headers.authorization, 'Bearer sk-openai');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.body.model, 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(r.body.messages, [{ role: 'system', content: 'sys' }, { role: 'user', content: 'usr' }]);
  assert.deepEqual(r.body.response_format, { type: 'json_object' });
  assert.equal(r.body.temperature, 0.2);
  assert.equal(r.body.max_tokens, 300);
});

test('OpenAI-compatible servers: parameters.model overrides the wire model, no key sends no auth, fenced JSON is read', async () => {
  fake.behave(() => ({ status: 200, body: { choices: [{ message: { content: 'Here you go:\n```json\n{"clusters": []}\n```' }, finish_reason: 'stop' }] } }));
  const client = createLlmClients({ ...settings, openaiApiKey: null }).openai!;
  const out = await client.completeJson({ model: 'gpt-4o-mini-2024-07-18', system: 's', user: 'u', schema, parameters: { model: 'llama3.1:8b', json_output: false } });
  assert.deepEqual(out.value, { clusters: [] });
  const r = fake.requests.at(-1)!;
  assert.equal(r.body.model, 'llama3.1:8b');
  assert.equal(r.headers.authorization, undefined);
  assert.equal(r.body.response_format, undefined, 'json_output false turns JSON mode off');
  assert.equal(r.body.json_output, undefined, 'json_output is not forwarded');
});

test('Anthropic: x-api-key and version headers, max_tokens, a forced tool whose input is the answer', async () => {
  fake.behave(() => ({ status: 200, body: successBody('anthropic', answer) }));
  const client = createLlmClients(settings).anthropic!;
  const out = await client.completeJson({ model: 'claude-3-5-haiku-20241022', system: 'sys', user: 'usr', schema, parameters: { temperature: 0, unknown_knob: 1 } });
  assert.deepEqual(out.value, answer);
  const r = fake.requests.at(-1)!;
  assert.equal(r.path, '/v1/messages');
  assert.equal(r.headers['x-api-key'], 'sk-ant');
  assert.equal(r.headers['anthropic-version'], '2023-06-01');
  assert.equal(r.headers.authorization, undefined);
  assert.equal(r.body.model, 'claude-3-5-haiku-20241022');
  assert.equal(r.body.system, 'sys');
  assert.deepEqual(r.body.messages, [{ role: 'user', content: 'usr' }]);
  assert.equal(typeof r.body.max_tokens, 'number');
  assert.equal(r.body.temperature, 0);
  assert.equal(r.body.unknown_knob, undefined, 'only parameters Anthropic knows are sent');
  assert.deepEqual(r.body.tools[0].input_schema, schema);
  assert.deepEqual(r.body.tool_choice, { type: 'tool', name: r.body.tools[0].name });
});

test('Gemini: key header, model in the path, system instruction, JSON response type and mapped parameters', async () => {
  fake.behave(() => ({ status: 200, body: successBody('gemini', answer) }));
  const client = createLlmClients(settings).google!;
  const out = await client.completeJson({ model: 'gemini-2.0-flash', system: 'sys', user: 'usr', schema, parameters: { temperature: 0.1, max_output_tokens: 512, top_k: 5 } });
  assert.deepEqual(out.value, answer);
  const r = fake.requests.at(-1)!;
  assert.equal(r.path, '/v1beta/models/gemini-2.0-flash:generateContent');
  assert.equal(r.headers['x-goog-api-key'], 'gem-key');
  assert.deepEqual(r.body.systemInstruction, { parts: [{ text: 'sys' }] });
  assert.deepEqual(r.body.contents, [{ role: 'user', parts: [{ text: 'usr' }] }]);
  assert.deepEqual(r.body.generationConfig, { temperature: 0.1, maxOutputTokens: 512, topK: 5, responseMimeType: 'application/json' });
});

test('answers that are not JSON, and error statuses, become errors naming provider, model and status', async () => {
  const clients = createLlmClients(settings);
  fake.behave(() => ({ status: 200, body: { choices: [{ message: { content: 'I cannot help with that' }, finish_reason: 'stop' }] } }));
  await assert.rejects(clients.openai!.completeJson({ model: 'gpt-4o-2024-08-06', system: 's', user: 'u', schema, parameters: {} }), /OpenAI model gpt-4o-2024-08-06: answer is not valid JSON/);
  fake.behave(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }));
  await assert.rejects(clients.anthropic!.completeJson({ model: 'claude-3-5-sonnet-20241022', system: 's', user: 'u', schema, parameters: {} }), (e: Error) => {
    assert.match(e.message, /^Anthropic model claude-3-5-sonnet-20241022: API key refused \(HTTP 401\): Incorrect API key provided/);
    return true;
  });
  fake.behave(() => ({ status: 404, body: { error: { message: 'models/gemini-9 is not found' } } }));
  await assert.rejects(clients.google!.completeJson({ model: 'gemini-9', system: 's', user: 'u', schema, parameters: {} }), /Gemini model gemini-9: request failed \(HTTP 404\): models\/gemini-9 is not found/);
  fake.behave(null);
});

test('only providers with a key or a custom base URL get a client', () => {
  const none = createLlmClients({ ...settings, openaiApiKey: null, openaiBaseUrl: null, anthropicApiKey: null, anthropicBaseUrl: null, geminiApiKey: null, geminiBaseUrl: null });
  assert.deepEqual(Object.keys(none), []);
  const some = createLlmClients({ ...settings, openaiApiKey: null, openaiBaseUrl: null, anthropicBaseUrl: null, geminiBaseUrl: null });
  assert.deepEqual(Object.keys(some).sort(), ['anthropic', 'google']);
});
