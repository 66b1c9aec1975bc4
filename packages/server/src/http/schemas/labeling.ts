/** LLM labeling and source-enrichment settings of a cluster, as in the reference. */
import { Type, type Static } from 'typebox';
import { LooseObject, Nullable, StringEnum } from './common.ts';

export const InputSourceType = StringEnum(['payload', 'literal', 'vector'], { title: 'InputSourceType' });
export type InputSourceType = Static<typeof InputSourceType>;

export const LLMProvider = StringEnum(['openai', 'google', 'anthropic'], { title: 'LLMProvider' });
export type LLMProvider = Static<typeof LLMProvider>;

export const OpenAIModel = StringEnum(
  ['gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'o3-mini-2025-01-31'],
  { title: 'OpenAIModel' },
);
export type OpenAIModel = Static<typeof OpenAIModel>;

export const GoogleModel = StringEnum(['gemini-2.0-flash', 'gemini-2.0-flash-exp'], { title: 'GoogleModel' });
export type GoogleModel = Static<typeof GoogleModel>;

export const AnthropicModel = StringEnum(['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022'], { title: 'AnthropicModel' });
export type AnthropicModel = Static<typeof AnthropicModel>;

export const InputMapping = Type.Object(
  {
    input_key: Type.String({ description: "Name the labeler sees, e.g. 'text' or 'image_url'." }),
    source_type: Type.Optional(Nullable(InputSourceType, { description: 'Where the value comes from.' })),
    path: Type.Optional(Nullable(Type.String(), { description: 'Dotted path into the document when source_type is payload.' })),
    override: Type.Optional(Nullable(Type.Unknown(), { description: 'Fixed value when source_type is literal.' })),
  },
  { title: 'InputMapping', additionalProperties: false, description: 'Maps one document field onto a labeler input.' },
);
export type InputMapping = Static<typeof InputMapping>;

export const LLMLabelingInput = Type.Object(
  { input_mappings: Type.Array(InputMapping, { minItems: 1, description: 'At least one mapping.' }) },
  { title: 'LLMLabelingInput', additionalProperties: false, description: 'Which document fields the labeler reads.' },
);
export type LLMLabelingInput = Static<typeof LLMLabelingInput>;

export const LLMLabeling = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: false, description: 'Generate labels for each cluster.' })),
    labeling_inputs: Type.Optional(Nullable(LLMLabelingInput)),
    provider: Type.Optional(Nullable(LLMProvider, { description: 'LLM vendor to call.' })),
    model_name: Type.Optional(
      Type.Union([OpenAIModel, GoogleModel, AnthropicModel, Type.Null()], { title: 'Model Name', description: 'Model of the chosen provider.' }),
    ),
    include_summary: Type.Optional(Type.Boolean({ default: true, description: 'Also write a short summary.' })),
    include_keywords: Type.Optional(Type.Boolean({ default: true, description: 'Also pick keywords.' })),
    max_samples_per_cluster: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20, default: 10, description: 'Representative documents shown per cluster.' }),
    ),
    sample_text_max_length: Type.Optional(
      Type.Integer({ minimum: 50, maximum: 500, default: 200, description: 'Characters kept from each sample.' }),
    ),
    use_embedding_dedup: Type.Optional(Type.Boolean({ default: false, description: 'Also make near-duplicate labels distinct (compared by character-trigram similarity).' })),
    embedding_similarity_threshold: Type.Optional(
      Type.Number({ minimum: 0.5, maximum: 1, default: 0.8, description: 'Similarity at or above which two labels count as duplicates.' }),
    ),
    cache_ttl_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2592000, default: 604800, description: 'How long generated labels are reused.' }),
    ),
    custom_prompt: Type.Optional(Nullable(Type.String(), { description: 'Replaces the built-in prompt.' })),
    response_shape: Type.Optional(
      Type.Union([Type.String(), LooseObject(), Type.Null()], { title: 'Response Shape', description: 'Expected output structure.' }),
    ),
    parameters: Type.Optional(LooseObject({ description: 'Extra provider parameters, e.g. temperature.' })),
  },
  { title: 'LLMLabeling', additionalProperties: false, description: 'How clusters get human-readable labels.' },
);
export type LLMLabeling = Static<typeof LLMLabeling>;

export const EnrichmentFieldMapping = Type.Object(
  {
    source_field: Type.String({ description: 'Field of the cluster result to copy.' }),
    target_field: Type.String({ description: 'Document field to write it to.' }),
  },
  { title: 'EnrichmentFieldMapping', additionalProperties: false },
);
export type EnrichmentFieldMapping = Static<typeof EnrichmentFieldMapping>;

export const SourceEnrichmentConfig = Type.Object(
  { field_mappings: Type.Optional(Type.Array(EnrichmentFieldMapping, { description: 'Fields written back to source documents.' })) },
  { title: 'SourceEnrichmentConfig', additionalProperties: false, description: 'What gets written back to clustered documents.' },
);
export type SourceEnrichmentConfig = Static<typeof SourceEnrichmentConfig>;
