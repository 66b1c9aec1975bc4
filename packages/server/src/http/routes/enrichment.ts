import type { FastifyInstance } from 'fastify';
import { ErrorResponse, HTTPValidationError } from '../schemas/common.ts';
import { ApplyClusterEnrichmentRequest, ClusteringEnrichmentResponse } from '../schemas/enrichment.ts';
import { NAMESPACE_HEADER, namespaceOf, type RouteContext } from './context.ts';

export function enrichmentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post(
    '/v1/clusters/enrich',
    {
      schema: {
        tags: ['Clusters'],
        summary: 'Write cluster assignments onto a collection’s documents',
        description:
          'Applies completed executions to source_collection_id in batches, merging the mapped fields (source_enrichment_config.field_mappings of the cluster, ' +
          'or cluster_id, cluster_label and distance_to_centroid) into each document’s metadata. Idempotent; documents deleted since the execution are skipped.',
        headers: NAMESPACE_HEADER,
        body: ApplyClusterEnrichmentRequest,
        response: { 200: ClusteringEnrichmentResponse, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 422: HTTPValidationError },
      },
    },
    async (req) => ctx.services.enrichment.apply(await namespaceOf(ctx, req), req.body as never),
  );
}
