import type { FastifyInstance } from 'fastify';
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
  app.get('/v1/clusters/:cluster_id/executions/:run_id/artifacts', { schema: { tags, summary: 'Centroids and per-document assignments of an execution', headers: NAMESPACE_HEADER, params: RunIdParams, querystring: ExecutionArtifactsQuery, response: { 200: ExecutionArtifactsResponse, ...errors } } }, async (req) =>
    s.executions.artifacts(await clusterOf(req), runIdOf(req), req.query as never),
  );
}
