import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../schemas/common.ts';
import { AnalyticsClusterParams, ExecutionHistoryQuery, ExecutionHistoryResponse, FailureAnalysisQuery, FailureAnalysisResponse } from '../schemas/analytics.ts';
import { NAMESPACE_HEADER, namespaceOf, type RouteContext } from './context.ts';

export function analyticsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Analytics - Clusters'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const s = ctx.services;
  const clusterOf = async (req: { params: unknown; headers: unknown }) => s.clusters.require(await namespaceOf(ctx, req as never), (req.params as { cluster_id: string }).cluster_id);

  app.get('/v1/analytics/clusters/:cluster_id/execution-history', { schema: { tags, summary: 'Executions of a cluster over the last hours, with durations, sizes and a summary', headers: NAMESPACE_HEADER, params: AnalyticsClusterParams, querystring: ExecutionHistoryQuery, response: { 200: ExecutionHistoryResponse, ...errors } } }, async (req) =>
    s.analytics.executionHistory(await clusterOf(req), req.query as never),
  );
  app.get('/v1/analytics/clusters/:cluster_id/failures', { schema: { tags, summary: 'Failed executions of a cluster over the last hours, with a kind per failure', headers: NAMESPACE_HEADER, params: AnalyticsClusterParams, querystring: FailureAnalysisQuery, response: { 200: FailureAnalysisResponse, ...errors } } }, async (req) =>
    s.analytics.failures(await clusterOf(req), req.query as never),
  );
}
