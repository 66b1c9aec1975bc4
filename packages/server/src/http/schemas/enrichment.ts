/** POST /v1/clusters/enrich: apply executions' assignments onto a collection's documents. */
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

export const ApplyClusterEnrichmentRequest = Type.Object(
  {
    clustering_ids: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Executions to apply, in order (later ones overwrite earlier values): run ids (run_…), task ids, or cluster ids/names for their latest completed execution.',
      }),
    ),
    clustering_id: Type.Optional(Nullable(Type.String(), { description: 'Older single-id form of clustering_ids.' })),
    source_collection_id: Type.String({ description: 'Collection (id or name) whose documents are enriched in place.' }),
    target_collection_id: Type.Optional(Nullable(Type.String(), { description: 'Only the source collection itself is supported; omit it.' })),
    batch_size: Type.Optional(Type.Integer({ minimum: 1, default: 1000, description: 'Documents written per transaction (at most 10,000).' })),
    parallelism: Type.Optional(Type.Integer({ minimum: 1, default: 1, description: 'Accepted for compatibility; batches are written one after another.' })),
  },
  { title: 'ApplyClusterEnrichmentRequest', additionalProperties: false, description: 'Writes cluster assignments onto documents.' },
);
export type ApplyClusterEnrichmentRequest = Static<typeof ApplyClusterEnrichmentRequest>;

export const ClusteringEnrichmentResponse = Type.Object(
  {
    processed: Type.Integer({ description: 'Member rows read from the executions.' }),
    enriched: Type.Integer({ description: 'Documents written (or already carrying the same values).' }),
    failed: Type.Integer({ description: 'Members whose batch could not be written.' }),
    batches: Type.Integer({ description: 'Batches processed.' }),
    skipped: Type.Optional(Type.Integer({ description: 'Members whose document no longer exists in the collection (Centroid extension).' })),
    run_ids: Type.Optional(Type.Array(Type.String(), { description: 'Executions applied, in order (Centroid extension).' })),
  },
  { title: 'ClusteringEnrichmentResponse', description: 'Counts from one enrichment request.' },
);
export type ClusteringEnrichmentResponse = Static<typeof ClusteringEnrichmentResponse>;
