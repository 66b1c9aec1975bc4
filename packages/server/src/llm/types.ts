/** The LLM port: one JSON-producing completion call, whatever the vendor. */

export type LlmProviderName = 'openai' | 'anthropic' | 'google';

export interface JsonCompletionRequest {
  /** Model id sent on the wire. */
  model: string;
  system: string;
  user: string;
  /** JSON schema of the expected answer (an object). Used for tool input (Anthropic) and in the prompt. */
  schema: Record<string, unknown>;
  /** Caller-supplied provider parameters (temperature, max_tokens, top_p, …), already validated as an object. */
  parameters: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface JsonCompletion {
  /** The parsed JSON answer. */
  value: unknown;
  /** HTTP attempts this answer took (1 = no retry). */
  attempts: number;
}

export interface LlmClient {
  readonly provider: LlmProviderName;
  completeJson(request: JsonCompletionRequest): Promise<JsonCompletion>;
}

/** Why a provider call failed; the message names provider, model and HTTP status. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly provider: LlmProviderName,
    readonly model: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export const DEFAULT_MODELS: Readonly<Record<LlmProviderName, string>> = {
  openai: 'gpt-4o-mini-2024-07-18',
  anthropic: 'claude-3-5-haiku-20241022',
  google: 'gemini-2.0-flash',
};

export const PROVIDER_LABELS: Readonly<Record<LlmProviderName, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Gemini',
};
