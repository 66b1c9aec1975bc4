/**
 * Document shapes. Centroid stores dense vectors only: a feature's `vectors` is one array or a map
 * of named arrays; the reference's sparse and multi-vector forms are not accepted.
 */
import { Type, type Static } from 'typebox';
import { DateTime, FilterGroup, LooseObject, MapOf, Nullable, PaginationResponse, SortOption, StringEnum } from './common.ts';

/** Same rule as the bulk import (services/document-import/normalize-row.ts). */
export const DOCUMENT_ID_PATTERN = '^[A-Za-z0-9_.:-]+$';

export const DenseVector = Type.Array(Type.Number(), { minItems: 1, title: 'DenseVector', description: 'One embedding, e.g. [0.12, -0.5, 0.33].' });
export const NamedDenseVectors = MapOf(DenseVector, { title: 'NamedDenseVectors', description: 'Embeddings keyed by vector name.' });

export const LineageStep = Type.Object(
  {
    collection_id: Type.String(),
    feature_extractor_id: Type.String(),
    document_id: Type.Optional(Nullable(Type.String())),
    timestamp: Type.Optional(DateTime()),
  },
  { title: 'LineageStep', additionalProperties: false, description: 'One processing step the document went through.' },
);
export type LineageStep = Static<typeof LineageStep>;

export const FeatureModel = Type.Object(
  {
    feature_extractor_id: Type.String({ minLength: 1, description: "Names the feature; its vectors are stored as '<id>/<name>' or '<id>'." }),
    payload: Type.Optional(LooseObject({ description: 'Data produced with the vectors, e.g. text or captions.' })),
    vectors: Type.Optional(
      Type.Union([DenseVector, NamedDenseVectors, Type.Null()], { title: 'Vectors', description: 'One dense vector or several named ones.' }),
    ),
  },
  { title: 'FeatureModel', additionalProperties: false, description: 'A feature of a document: payload plus vectors.' },
);
export type FeatureModel = Static<typeof FeatureModel>;

const nullableString = (description?: string) => Type.Optional(Nullable(Type.String(), description ? { description } : {}));

export const DocumentCreateRequest = Type.Object(
  {
    collection_id: Type.Optional(Type.String({ description: 'Ignored when present: the URL names the collection.' })),
    document_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: DOCUMENT_ID_PATTERN, description: 'Your own id; generated when omitted (Centroid extension).' }),
    ),
    root_object_id: nullableString(),
    root_bucket_id: nullableString(),
    source_type: Type.Optional(Nullable(StringEnum(['bucket', 'collection']))),
    source_collection_id: nullableString(),
    source_document_id: nullableString(),
    source_object_id: nullableString(),
    lineage_path: nullableString(),
    lineage_chain: Type.Optional(Type.Array(LineageStep)),
    document_schema_version: nullableString(),
    metadata: Type.Optional(LooseObject({ description: 'Arbitrary user data; filterable as metadata.<key>.' })),
    features: Type.Optional(Type.Array(FeatureModel, { description: 'Features with their vectors.' })),
    vectors: Type.Optional(NamedDenseVectors),
  },
  { title: 'DocumentCreateRequest', additionalProperties: false, description: 'Adds one document to a collection.' },
);
export type DocumentCreateRequest = Static<typeof DocumentCreateRequest>;

export const BlobURLRef = Type.Object(
  {
    field: Type.String({ minLength: 1 }),
    role: Type.Optional(StringEnum(['source', 'processed', 'thumbnail', 'artifact', 'aux'], { default: 'source' })),
    type: Type.Optional(StringEnum(['video', 'image', 'audio', 'text', 'pdf', 'other'], { default: 'other' })),
    url: Type.String({ minLength: 1 }),
    filename: nullableString(),
    size_bytes: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    content_type: nullableString(),
    checksum: nullableString(),
    created_at: Type.Optional(Nullable(DateTime())),
    source_blob_id: nullableString(),
    presigned_url: Type.Optional(Nullable(Type.String({ minLength: 1, format: 'uri' }))),
  },
  { title: 'BlobURLRef', description: 'A file attached to a document (Centroid stores none).' },
);
export type BlobURLRef = Static<typeof BlobURLRef>;

/** A feature as returned: vectors are served separately, under `vectors`, on request. */
export const DocumentFeature = Type.Object(
  { feature_extractor_id: Type.String(), payload: LooseObject() },
  { title: 'DocumentFeature', additionalProperties: true },
);
export type DocumentFeature = Static<typeof DocumentFeature>;

export const DocumentResponse = Type.Object(
  {
    document_id: Type.String(),
    collection_id: Type.String(),
    metadata: Type.Optional(LooseObject()),
    features: Type.Optional(Type.Array(DocumentFeature)),
    vectors: Type.Optional(MapOf(Type.Array(Type.Number()), { description: 'Stored vectors by name; only with return_vectors=true.' })),
    created_at: Type.Optional(DateTime()),
    updated_at: Type.Optional(DateTime()),
    document_blobs: Type.Optional(Type.Array(BlobURLRef)),
    _internal: Type.Optional(Nullable(LooseObject({ title: 'InternalPayloadModel' }))),
  },
  { title: 'DocumentResponse', additionalProperties: true, description: 'A stored document.' },
);
export type DocumentResponse = Static<typeof DocumentResponse> & Record<string, unknown>;

export const ListDocumentsRequest = Type.Object(
  {
    filters: Type.Optional(Nullable(FilterGroup)),
    sort: Type.Optional(Nullable(SortOption)),
    search: nullableString('Free-text match on document fields.'),
    cursor: nullableString('next_cursor of the previous page.'),
    return_url: Type.Optional(Nullable(Type.Boolean(), { default: false, description: 'Include blob URLs (no effect in Centroid).' })),
    return_vectors: Type.Optional(Nullable(Type.Boolean(), { default: false, description: 'Include stored vectors.' })),
    group_by: nullableString('Field to group results by.'),
    select: Type.Optional(Nullable(Type.Array(Type.String()), { description: 'Fields to return; all when omitted.' })),
  },
  { title: 'ListDocumentsRequest', additionalProperties: false },
);
export type ListDocumentsRequest = Static<typeof ListDocumentsRequest>;

export const DocumentGroup = Type.Object(
  {
    group_key: Type.Unknown({ description: 'Shared value of the group_by field.' }),
    documents: Type.Array(DocumentResponse),
    count: Type.Integer({ minimum: 0 }),
  },
  { title: 'DocumentGroup' },
);
export type DocumentGroup = Static<typeof DocumentGroup>;

export const DocumentListStats = Type.Object(
  {
    total_documents: Type.Optional(Type.Integer({ default: 0 })),
    avg_blobs_per_document: Type.Optional(Type.Number({ default: 0 })),
    total_groups: Type.Optional(Nullable(Type.Integer())),
    avg_documents_per_group: Type.Optional(Nullable(Type.Number())),
  },
  { title: 'DocumentListStats' },
);
export type DocumentListStats = Static<typeof DocumentListStats>;

export const ListDocumentsResponse = Type.Object(
  {
    results: Type.Optional(Nullable(Type.Array(DocumentResponse))),
    groups: Type.Optional(Nullable(Type.Array(DocumentGroup))),
    pagination: PaginationResponse,
    stats: Type.Optional(Nullable(DocumentListStats)),
    group_by_field: nullableString(),
  },
  { title: 'ListDocumentsResponse' },
);
export type ListDocumentsResponse = Static<typeof ListDocumentsResponse>;

export const ImportDocumentsResponse = Type.Object(
  {
    imported: Type.Integer({ minimum: 0, description: 'Rows written (inserted + updated).' }),
    inserted: Type.Integer({ minimum: 0, description: 'New documents.' }),
    updated: Type.Integer({ minimum: 0, description: 'Existing documents replaced (same document_id).' }),
    collection_id: Type.String(),
    vector_dimensions: MapOf(Type.Integer({ minimum: 1 }), { description: 'Dimension of each vector name in the collection after the import.' }),
  },
  { title: 'ImportDocumentsResponse', description: 'Outcome of a bulk import.' },
);
export type ImportDocumentsResponse = Static<typeof ImportDocumentsResponse>;
