/** Builds one client per provider that has credentials or a custom endpoint configured. */
import type { Settings } from '../config/settings.ts';
import { AnthropicClient, ANTHROPIC_DEFAULT_BASE_URL } from './anthropic.ts';
import { GeminiClient, GEMINI_DEFAULT_BASE_URL } from './gemini.ts';
import { ProviderHttp, Semaphore, type HttpPolicy } from './http-client.ts';
import { OpenAiClient, OPENAI_DEFAULT_BASE_URL } from './openai.ts';
import type { LlmClient, LlmProviderName } from './types.ts';

export type LlmSettings = Pick<
  Settings,
  'openaiApiKey' | 'openaiBaseUrl' | 'anthropicApiKey' | 'anthropicBaseUrl' | 'geminiApiKey' | 'geminiBaseUrl' | 'llmTimeoutMs' | 'llmMaxRetries' | 'llmRetryBaseMs' | 'llmConcurrency'
>;

export type LlmClients = Partial<Record<LlmProviderName, LlmClient>>;

/**
 * A provider is usable with a key, or with a custom base URL alone (a local OpenAI-compatible
 * server such as Ollama needs no key). One semaphore bounds requests across all providers.
 */
export function createLlmClients(settings: LlmSettings): LlmClients {
  const policy: HttpPolicy = { timeoutMs: settings.llmTimeoutMs, maxRetries: settings.llmMaxRetries, retryBaseMs: settings.llmRetryBaseMs };
  const limit = new Semaphore(settings.llmConcurrency);
  const clients: LlmClients = {};
  if (settings.openaiApiKey || settings.openaiBaseUrl) {
    clients.openai = new OpenAiClient(new ProviderHttp('openai', policy, limit), settings.openaiApiKey, settings.openaiBaseUrl ?? OPENAI_DEFAULT_BASE_URL);
  }
  if (settings.anthropicApiKey || settings.anthropicBaseUrl) {
    clients.anthropic = new AnthropicClient(new ProviderHttp('anthropic', policy, limit), settings.anthropicApiKey, settings.anthropicBaseUrl ?? ANTHROPIC_DEFAULT_BASE_URL);
  }
  if (settings.geminiApiKey || settings.geminiBaseUrl) {
    clients.google = new GeminiClient(new ProviderHttp('google', policy, limit), settings.geminiApiKey, settings.geminiBaseUrl ?? GEMINI_DEFAULT_BASE_URL);
  }
  return clients;
}
