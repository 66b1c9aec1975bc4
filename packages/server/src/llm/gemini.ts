/** Gemini generateContent over fetch, with JSON output (responseMimeType application/json). */
import { LlmError, type JsonCompletion, type JsonCompletionRequest, type LlmClient } from './types.ts';
import type { ProviderHttp } from './http-client.ts';
import { parseJsonAnswer, pickParameters } from './json-answer.ts';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export class GeminiClient implements LlmClient {
  readonly provider = 'google' as const;
  constructor(
    private readonly http: ProviderHttp,
    private readonly apiKey: string | null,
    private readonly baseUrl: string = GEMINI_DEFAULT_BASE_URL,
  ) {}

  async completeJson(request: JsonCompletionRequest): Promise<JsonCompletion> {
    const p = request.parameters;
    const model = typeof p.model === 'string' && p.model !== '' ? p.model : request.model;
    const generationConfig: Record<string, unknown> = pickParameters(p, {
      temperature: 'temperature',
      top_p: 'topP',
      topP: 'topP',
      top_k: 'topK',
      topK: 'topK',
      max_output_tokens: 'maxOutputTokens',
      maxOutputTokens: 'maxOutputTokens',
      max_tokens: 'maxOutputTokens',
    });
    if (p.json_output !== false) generationConfig.responseMimeType = 'application/json';
    const body = {
      systemInstruction: { parts: [{ text: request.system }] },
      contents: [{ role: 'user', parts: [{ text: request.user }] }],
      generationConfig,
    };
    const headers: Record<string, string> = {};
    if (this.apiKey) headers['x-goog-api-key'] = this.apiKey;
    const url = `${this.baseUrl.replace(/\/+$/, '')}/v1beta/models/${encodeURIComponent(model)}:generateContent`;
    const { json, attempts } = await this.http.postJson(url, headers, body, model, request.signal);
    const candidate = (json as { candidates?: Array<{ content?: { parts?: Array<{ text?: string }> }; finishReason?: string }> }).candidates?.[0];
    const text = (candidate?.content?.parts ?? []).map((part) => part.text ?? '').join('');
    if (text === '') throw new LlmError(`Gemini model ${model}: no text in the answer (finishReason ${candidate?.finishReason ?? 'missing'})`, 'google', model, 200, false);
    try {
      return { value: parseJsonAnswer(text), attempts };
    } catch {
      throw new LlmError(`Gemini model ${model}: answer is not valid JSON: ${text.slice(0, 120)}`, 'google', model, 200, false);
    }
  }
}
