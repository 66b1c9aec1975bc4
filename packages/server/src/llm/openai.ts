/** OpenAI chat completions (and any server that speaks it: vLLM, Ollama, LM Studio) over fetch. */
import { LlmError, type JsonCompletion, type JsonCompletionRequest, type LlmClient } from './types.ts';
import type { ProviderHttp } from './http-client.ts';
import { parseJsonAnswer } from './json-answer.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export class OpenAiClient implements LlmClient {
  readonly provider = 'openai' as const;
  constructor(
    private readonly http: ProviderHttp,
    private readonly apiKey: string | null,
    private readonly baseUrl: string = OPENAI_DEFAULT_BASE_URL,
  ) {}

  async completeJson(request: JsonCompletionRequest): Promise<JsonCompletion> {
    // Everything in `parameters` is forwarded (OpenAI-compatible servers accept their own extras),
    // except json_output, which switches JSON mode off, and model, which overrides the wire model id.
    const { json_output: jsonOutput, model: modelOverride, ...forwarded } = request.parameters;
    const model = typeof modelOverride === 'string' && modelOverride !== '' ? modelOverride : request.model;
    const body: Record<string, unknown> = {
      model,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      ...forwarded,
    };
    if (jsonOutput !== false && body.response_format === undefined) body.response_format = { type: 'json_object' };
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const { json, attempts } = await this.http.postJson(`${this.baseUrl.replace(/\/+$/, '')}/chat/completions`, headers, body, model, request.signal);
    const choice = (json as { choices?: Array<{ message?: { content?: string | null; refusal?: string | null }; finish_reason?: string }> }).choices?.[0];
    const content = choice?.message?.content;
    if (typeof content !== 'string' || content === '') {
      const why = choice?.message?.refusal ? `refused: ${choice.message.refusal}` : `no message content (finish_reason ${choice?.finish_reason ?? 'missing'})`;
      throw new LlmError(`OpenAI model ${model}: ${why}`, 'openai', model, 200, false);
    }
    try {
      return { value: parseJsonAnswer(content), attempts };
    } catch {
      throw new LlmError(`OpenAI model ${model}: answer is not valid JSON: ${content.slice(0, 120)}`, 'openai', model, 200, false);
    }
  }
}
