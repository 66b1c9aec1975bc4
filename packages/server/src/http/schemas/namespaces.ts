/** Namespace create/get/list shapes. */
import { Type, type Static } from 'typebox';
import { DateTime, LooseObject, MapOf, Nullable, PaginationResponse, StringEnum } from './common.ts';

/** Shared by namespace and collection names; the reference leaves names unconstrained. */
export const RESOURCE_NAME_PATTERN = '^[A-Za-z0-9_-]+$';
export const ResourceName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 128, pattern: RESOURCE_NAME_PATTERN, description });

/**
 * Loose on purpose: Centroid does not run feature extractors, but Mixpeek clients send them, so
 * they are accepted and stored as given.
 */
export const FeatureExtractorConfig = Type.Object(
  {
    feature_extractor_name: Type.Optional(Type.String({ description: 'Extractor name, e.g. text_extractor.' })),
    version: Type.Optional(Type.String({ description: 'Extractor version, e.g. v1.' })),
    params: Type.Optional(Nullable(LooseObject(), { description: 'Extractor settings.' })),
    feature_extractor_id: Type.Optional(Type.String({ description: 'Assigned id (responses only).' })),
  },
  { title: 'BaseFeatureExtractorModel', additionalProperties: true, description: 'A feature extractor reference.' },
);
export type FeatureExtractorConfig = Static<typeof FeatureExtractorConfig> & Record<string, unknown>;

export const PayloadSchemaType = StringEnum(['keyword', 'integer', 'float', 'bool', 'geo', 'datetime', 'text', 'uuid'], {
  title: 'PayloadSchemaType',
});
export type PayloadSchemaType = Static<typeof PayloadSchemaType>;

export const PayloadIndexConfig = Type.Object(
  {
    field_name: Type.String({ minLength: 1, maxLength: 255, description: 'Payload field to index.' }),
    type: PayloadSchemaType,
    // The reference lists eight per-type index option schemas here; they only tune Qdrant, so any object is accepted.
    field_schema: Type.Optional(Nullable(LooseObject(), { description: 'Index options for the field type.' })),
    is_protected: Type.Optional(Type.Boolean({ default: false, description: 'Refuse deletion of this index.' })),
  },
  { title: 'PayloadIndexConfig', additionalProperties: false, description: 'An index on a payload field.' },
);
export type PayloadIndexConfig = Static<typeof PayloadIndexConfig>;

export const ComputeTier = StringEnum(['shared', 'dedicated_cpu', 'dedicated_gpu'], { title: 'ComputeTier' });
export type ComputeTier = Static<typeof ComputeTier>;

/** Mixpeek's hosted-infrastructure settings; Centroid accepts and stores them but does not act on them. */
export const NamespaceInfrastructure = Type.Object(
  {
    ray_cluster_id: Type.Optional(Nullable(Type.String({ pattern: '^ray_[a-zA-Z0-9_]{3,64}$' }))),
    ray_head_node_url: Type.Optional(Nullable(Type.String())),
    ray_dashboard_url: Type.Optional(Nullable(Type.String())),
    qdrant_url: Type.Optional(Nullable(Type.String())),
    qdrant_api_key: Type.Optional(Nullable(Type.String())),
    qdrant_collection: Type.String({ minLength: 3, maxLength: 128 }),
    compute_tier: Type.Optional(StringEnum(['shared', 'dedicated_cpu', 'dedicated_gpu'], { title: 'ComputeTier', default: 'shared' })),
    max_concurrent_jobs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })),
    autoscaling_enabled: Type.Optional(Type.Boolean({ default: true })),
    min_workers: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 1 })),
    max_workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    gpu_type: Type.Optional(Nullable(Type.String())),
    gpus_per_worker: Type.Optional(Type.Integer({ minimum: 0, maximum: 8, default: 1 })),
    s3_plugin_bucket: Type.Optional(Type.String({ default: 'mixpeek-plugins' })),
    s3_plugin_prefix: Type.Optional(Nullable(Type.String())),
    max_custom_plugins: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 0 })),
    max_custom_models: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 0 })),
  },
  { title: 'NamespaceInfrastructure', additionalProperties: false, description: 'Hosted-infrastructure settings (stored, not used).' },
);
export type NamespaceInfrastructure = Static<typeof NamespaceInfrastructure>;

export const CreateNamespaceRequest = Type.Object(
  {
    namespace_name: ResourceName('Unique namespace name: letters, digits, _ and -.'),
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text (Centroid extension).' })),
    // Required by the reference; optional here because Centroid clusters vectors it is given.
    feature_extractors: Type.Optional(Type.Array(FeatureExtractorConfig, { minItems: 1, description: 'Extractors configured for the namespace.' })),
    payload_indexes: Type.Optional(Nullable(Type.Array(PayloadIndexConfig), { description: 'Payload indexes to create.' })),
    auto_create_indexes: Type.Optional(Nullable(Type.Boolean(), { default: false, description: 'Create indexes for filtered fields automatically.' })),
    infrastructure: Type.Optional(Nullable(NamespaceInfrastructure)),
  },
  { title: 'CreateNamespaceRequest', additionalProperties: false, description: 'Creates a namespace.' },
);
export type CreateNamespaceRequest = Static<typeof CreateNamespaceRequest>;

const count = (description: string) => Nullable(Type.Integer(), { description });

export const NamespaceModel = Type.Object(
  {
    namespace_id: Type.String({ description: 'Namespace id (ns_…).' }),
    namespace_name: Type.String(),
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text (Centroid extension).' })),
    infrastructure: Type.Optional(Nullable(NamespaceInfrastructure)),
    cluster_id: Type.Optional(Nullable(Type.String(), { description: 'Hosted compute cluster, unused by Centroid.' })),
    feature_extractors: Type.Optional(Type.Array(FeatureExtractorConfig)),
    payload_indexes: Type.Optional(Nullable(Type.Array(PayloadIndexConfig))),
    document_count: count('Documents across all collections.'),
    bucket_count: Type.Optional(count('Buckets in the namespace.')),
    collection_count: count('Collections in the namespace.'),
    object_count: Type.Optional(count('Bucket objects in the namespace.')),
    auto_create_indexes: Type.Optional(Type.Boolean({ default: false })),
    vector_inference_map: Type.Optional(Nullable(MapOf(Type.String()))),
    created_at: Nullable(DateTime()),
    updated_at: Nullable(DateTime()),
  },
  { title: 'NamespaceModel', description: 'A namespace with usage counts.' },
);
export type NamespaceModel = Static<typeof NamespaceModel>;

export const ListNamespacesResponse = Type.Object(
  {
    results: Type.Array(NamespaceModel),
    pagination: PaginationResponse,
    total_count: Type.Integer({ minimum: 0 }),
  },
  { title: 'ListNamespacesResponse' },
);
export type ListNamespacesResponse = Static<typeof ListNamespacesResponse>;
