/**
 * Anthropic messages API over fetch. Structured output goes through a forced tool call: the
 * answer arrives as the tool's `input`, already an object that follows the given schema.
 */
import { LlmError, type JsonCompletion, type JsonCompletionRequest, type LlmClient } from './types.ts';
import type { ProviderHttp } from './http-client.ts';
import { parseJsonAnswer, pickParameters } from './json-answer.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
const TOOL = 'record_cluster_labels';

export class AnthropicClient implements LlmClient {
  readonly provider = 'anthropic' as const;
  constructor(
    private readonly http: ProviderHttp,
    private readonly apiKey: string | null,
    private readonly baseUrl: string = ANTHROPIC_DEFAULT_BASE_URL,
  ) {}

  async completeJson(request: JsonCompletionRequest): Promise<JsonCompletion> {
    const p = request.parameters;
    const model = typeof p.model === 'string' && p.model !== '' ? p.model : request.model;
    const body: Record<string, unknown> = {
      model,
      max_tokens: 4096,
      system: request.system,
      messages: [{ role: 'user', content: request.user }],
      ...pickParameters(p, { temperature: 'temperature', top_p: 'top_p', top_k: 'top_k', max_tokens: 'max_tokens', max_output_tokens: 'max_tokens', stop_sequences: 'stop_sequences' }),
    };
    const toolMode = p.json_output !== false;
    if (toolMode) {
      body.tools = [{ name: TOOL, description: 'Record the labels of the clusters.', input_schema: request.schema }];
      body.tool_choice = { type: 'tool', name: TOOL };
    }
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (this.apiKey) headers['x-api-key'] = this.apiKey;
    const { json, attempts } = await this.http.postJson(`${this.baseUrl.replace(/\/+$/, '')}/v1/messages`, headers, body, model, request.signal);
    const content = (json as { content?: Array<{ type: string; text?: string; input?: unknown; name?: string }>; stop_reason?: string }).content ?? [];
    const tool = content.find((c) => c.type === 'tool_use');
    if (tool && tool.input !== undefined) return { value: tool.input, attempts };
    const text = content.filter((c) => c.type === 'text').map((c) => c.text ?? '').join('');
    if (text === '') throw new LlmError(`Anthropic model ${model}: answer has neither a tool call nor text`, 'anthropic', model, 200, false);
    try {
      return { value: parseJsonAnswer(text), attempts };
    } catch {
      throw new LlmError(`Anthropic model ${model}: answer is not valid JSON: ${text.slice(0, 120)}`, 'anthropic', model, 200, false);
    }
  }
}
