import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import type { ExecutionRecord } from '../../domain/records.ts';
import type { ArtifactsQuery } from '../../services/executions.ts';
import { ClusterIdParams, ErrorResponse, ListQuery, Nullable, RunIdParams } from '../schemas/common.ts';
import { CancelExecutionResponse, ClusterExecutionResult, ExecutionArtifactsQuery, ExecutionArtifactsResponse, ListClusterExecutionsRequest, ListClusterExecutionsResponse } from '../schemas/executions.ts';
import { NAMESPACE_HEADER, namespaceOf, pathOf, type RouteContext } from './context.ts';

export function executionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Cluster Executions'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const s = ctx.services;
  const clusterOf = async (req: { params: unknown; headers: unknown }) => s.clusters.require(await namespaceOf(ctx, req as never), (req.params as { cluster_id: string }).cluster_id);
  const runIdOf = (req: { params: unknown }) => (req.params as { run_id: string }).run_id;

  app.get('/v1/clusters/:cluster_id/executions', { schema: { tags, summary: 'Latest execution of a cluster (null when it has none)', headers: NAMESPACE_HEADER, params: ClusterIdParams, response: { 200: Nullable(ClusterExecutionResult), ...errors } } }, async (req, reply) => {
    const latest = await s.executions.latest(await clusterOf(req));
    // Fastify would send an empty body for null; clients expect the JSON literal.
    return latest ?? reply.type('application/json').send('null');
  });
  app.post('/v1/clusters/:cluster_id/executions/list', { schema: { tags, summary: 'Execution history with filters, sort, search, pagination and stats', headers: NAMESPACE_HEADER, params: ClusterIdParams, querystring: ListQuery, body: ListClusterExecutionsRequest, response: { 200: ListClusterExecutionsResponse, ...errors } } }, async (req) =>
    s.executions.list(await clusterOf(req), (req.body ?? {}) as never, req.query as never, pathOf(req)),
  );
  app.get('/v1/clusters/:cluster_id/executions/:run_id', { schema: { tags, summary: 'One execution', headers: NAMESPACE_HEADER, params: RunIdParams, response: { 200: ClusterExecutionResult, ...errors } } }, async (req) =>
    s.executions.get(await clusterOf(req), runIdOf(req)),
  );
  app.post('/v1/clusters/:cluster_id/executions/:run_id/cancel', { schema: { tags, summary: 'Cancel a pending or processing execution', headers: NAMESPACE_HEADER, params: RunIdParams, response: { 200: CancelExecutionResponse, 409: ErrorResponse, ...errors } } }, async (req) => {
    const cluster = await clusterOf(req);
    return s.executions.cancel(await s.executions.require(cluster, runIdOf(req)));
  });
  // JSON, or every member as a CSV / Parquet download streamed from the store (see ../../export/).
  const artifactsResponse = {
    200: {
      description: 'format=json: centroids (with map coordinates and representative documents) and a page of members. format=csv or parquet: a download of every member.',
      content: {
        'application/json': { schema: ExecutionArtifactsResponse },
        'text/csv': { schema: { type: 'string', description: 'Header row document_id,cluster_id,cluster_label,distance_to_centroid,x,y[,z]; CRLF line ends.' } },
        'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary', description: 'Parquet (Snappy), one row group per 65,536 members, same columns as the CSV.' } },
      },
    },
    409: ErrorResponse,
    ...errors,
  };
  const sendArtifacts = async (execution: ExecutionRecord, query: ArtifactsQuery, reply: FastifyReply) => {
    if (query.format === 'csv' || query.format === 'parquet') {
      // A cursor would mean "from here on"; a download always holds every member (limit is JSON paging too, and ignored).
      if (query.cursor !== undefined) throw invalid(['query', 'cursor'], `cursor pages JSON members; format=${query.format} always contains every member, so remove cursor`);
      const download = s.executions.exportMembers(execution, query.format, query.projection_method);
      reply.type(download.contentType).header('content-disposition', `attachment; filename="${download.filename}"`);
      return reply.send(Readable.from(download.chunks));
    }
    return s.executions.artifactsOf(execution, query);
  };
  app.get('/v1/clusters/:cluster_id/executions/:run_id/artifacts', { schema: { tags, summary: 'Centroids, map coordinates and per-document assignments of an execution (JSON, CSV or Parquet)', headers: NAMESPACE_HEADER, params: RunIdParams, querystring: ExecutionArtifactsQuery, response: artifactsResponse } }, async (req, reply) =>
    sendArtifacts(await s.executions.require(await clusterOf(req), runIdOf(req)), req.query as ArtifactsQuery, reply),
  );
  app.get('/v1/clusters/:cluster_id/artifacts', { schema: { tags, summary: 'Artifacts of the newest completed execution of a cluster (same options as the per-run route)', headers: NAMESPACE_HEADER, params: ClusterIdParams, querystring: ExecutionArtifactsQuery, response: artifactsResponse } }, async (req, reply) =>
    sendArtifacts(await s.executions.latestCompleted(await clusterOf(req)), req.query as ArtifactsQuery, reply),
  );
}
