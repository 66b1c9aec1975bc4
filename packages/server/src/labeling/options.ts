/** `llm_labeling` as stored on a cluster, with the reference's defaults applied and the provider resolved. */
import type { LlmClients } from '../llm/providers.ts';
import { DEFAULT_MODELS, type LlmProviderName } from '../llm/types.ts';
import type { InputMappingSpec } from './document-text.ts';

export interface LabelingOptions {
  enabled: boolean;
  provider: LlmProviderName | null;
  modelName: string | null;
  includeSummary: boolean;
  includeKeywords: boolean;
  maxSamplesPerCluster: number;
  sampleTextMaxLength: number;
  inputMappings: InputMappingSpec[] | null;
  customPrompt: string | null;
  responseShape: string | Record<string, unknown> | null;
  parameters: Record<string, unknown>;
  cacheTtlSeconds: number;
  useEmbeddingDedup: boolean;
  embeddingSimilarityThreshold: number;
}

export function labelingOptions(raw: Record<string, unknown> | null | undefined): LabelingOptions {
  const r = raw ?? {};
  const mappings = (r.labeling_inputs as { input_mappings?: InputMappingSpec[] } | null | undefined)?.input_mappings;
  return {
    enabled: r.enabled === true,
    provider: (r.provider as LlmProviderName | null | undefined) ?? null,
    modelName: (r.model_name as string | null | undefined) ?? null,
    includeSummary: r.include_summary !== false,
    includeKeywords: r.include_keywords !== false,
    maxSamplesPerCluster: (r.max_samples_per_cluster as number | undefined) ?? 10,
    sampleTextMaxLength: (r.sample_text_max_length as number | undefined) ?? 200,
    inputMappings: mappings && mappings.length > 0 ? mappings : null,
    customPrompt: (r.custom_prompt as string | null | undefined) ?? null,
    responseShape: (r.response_shape as string | Record<string, unknown> | null | undefined) ?? null,
    parameters: (r.parameters as Record<string, unknown> | undefined) ?? {},
    cacheTtlSeconds: (r.cache_ttl_seconds as number | undefined) ?? 604_800,
    useEmbeddingDedup: r.use_embedding_dedup === true,
    embeddingSimilarityThreshold: (r.embedding_similarity_threshold as number | undefined) ?? 0.8,
  };
}

/** The provider a model name belongs to, when it names one. */
export function providerOfModel(model: string): LlmProviderName | null {
  if (/^(gpt|o\d|chatgpt)/i.test(model)) return 'openai';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^gemini/i.test(model)) return 'google';
  return null;
}

const PREFERENCE: LlmProviderName[] = ['openai', 'anthropic', 'google'];

/**
 * Provider: as given; else the one model_name belongs to; else the first configured one
 * (openai, anthropic, google). Model: as given; else the provider's default.
 */
export function resolveModel(options: LabelingOptions, clients: LlmClients): { provider: LlmProviderName; model: string } | { error: string } {
  const provider = options.provider ?? (options.modelName ? providerOfModel(options.modelName) : null) ?? PREFERENCE.find((p) => clients[p]) ?? null;
  if (provider === null) {
    return { error: 'LLM labeling is enabled but no provider is configured: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server), ANTHROPIC_API_KEY or GEMINI_API_KEY' };
  }
  const model = options.modelName ?? DEFAULT_MODELS[provider];
  if (!clients[provider]) {
    const variable = provider === 'openai' ? 'OPENAI_API_KEY (or OPENAI_BASE_URL)' : provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'GEMINI_API_KEY';
    return { error: `LLM provider '${provider}' is not configured on this server: set ${variable}` };
  }
  return { provider, model };
}
