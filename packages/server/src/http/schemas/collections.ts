/**
 * Collections are not part of the clustering reference; these shapes follow Mixpeek's naming
 * conventions (collection_id `col_…`, collection_name) so clients find familiar fields.
 */
import { Type, type Static } from 'typebox';
import { DateTime, LooseObject, MapOf, Nullable, PaginationResponse } from './common.ts';
import { ResourceName } from './namespaces.ts';

export const CreateCollectionRequest = Type.Object(
  {
    collection_name: ResourceName('Unique name in the namespace: letters, digits, _ and -.'),
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text.' })),
    metadata: Type.Optional(LooseObject({ description: 'Arbitrary user data.' })),
  },
  { title: 'CreateCollectionRequest', additionalProperties: false, description: 'Creates a collection to hold documents and their vectors.' },
);
export type CreateCollectionRequest = Static<typeof CreateCollectionRequest>;

export const CollectionModel = Type.Object(
  {
    collection_id: Type.String({ description: 'Collection id (col_…).' }),
    collection_name: Type.String(),
    namespace_id: Type.String(),
    description: Nullable(Type.String()),
    metadata: LooseObject(),
    document_count: Type.Integer({ minimum: 0 }),
    vector_dimensions: MapOf(Type.Integer({ minimum: 1 }), {
      description: 'Dimension of each named vector, fixed by the first document that carries it.',
    }),
    created_at: DateTime(),
    updated_at: DateTime(),
  },
  { title: 'CollectionModel', description: 'A collection with its document count and vector layout.' },
);
export type CollectionModel = Static<typeof CollectionModel>;

export const ListCollectionsResponse = Type.Object(
  {
    results: Type.Array(CollectionModel),
    pagination: PaginationResponse,
    total_count: Type.Integer({ minimum: 0 }),
  },
  { title: 'ListCollectionsResponse' },
);
export type ListCollectionsResponse = Static<typeof ListCollectionsResponse>;
