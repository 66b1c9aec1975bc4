import type { FastifyInstance } from 'fastify';
import { ClusterIdentifierParams, ClusterIdParams, ErrorResponse, GenericDeleteResponse, ListQuery } from '../schemas/common.ts';
import { ClusterMetadata, CreateClusterRequest, ListClustersRequest, ListClustersResponse, PatchClusterRequest } from '../schemas/clusters.ts';
import { TaskResponse } from '../schemas/tasks.ts';
import { RequestValidationError } from '../../domain/errors.ts';
import { validateAlgorithmParams } from '../validation/algorithm-params.ts';
import { NAMESPACE_HEADER, namespaceOf, pathOf, type RouteContext } from './context.ts';

/** Validates `algorithm_params` (or the legacy `<method>_parameters`) against the method's schema, defaults filled. */
function checkedAlgorithmParams(vc: Record<string, any> | null | undefined): Record<string, unknown> | null {
  if (!vc) return null;
  const legacyField = `${vc.clustering_method}_parameters`;
  const useLegacy = vc.algorithm_params == null && vc[legacyField] != null;
  const params = (useLegacy ? vc[legacyField] : vc.algorithm_params) ?? {};
  const result = validateAlgorithmParams(String(vc.clustering_method), params, ['body', 'vector_config', useLegacy ? legacyField : 'algorithm_params']);
  if (!result.ok) throw new RequestValidationError(result.issues);
  return result.value;
}

export function clusterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Clusters'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const s = ctx.services;

  app.post('/v1/clusters', { schema: { tags, summary: 'Create a cluster configuration', headers: NAMESPACE_HEADER, body: CreateClusterRequest, response: { 200: ClusterMetadata, 409: ErrorResponse, ...errors } } }, async (req) => {
    const ns = await namespaceOf(ctx, req);
    const body = req.body as Record<string, any>;
    return s.clusters.create(ns, body, checkedAlgorithmParams(body.vector_config));
  });
  app.post('/v1/clusters/list', { schema: { tags, summary: 'List clusters with filters, sort, search and stats', headers: NAMESPACE_HEADER, querystring: ListQuery, body: ListClustersRequest, response: { 200: ListClustersResponse, ...errors } } }, async (req) =>
    s.clusters.list(await namespaceOf(ctx, req), (req.body ?? {}) as never, req.query as never, pathOf(req)),
  );
  app.get('/v1/clusters/:cluster_identifier', { schema: { tags, summary: 'Get a cluster by id or name', headers: NAMESPACE_HEADER, params: ClusterIdentifierParams, response: { 200: ClusterMetadata, ...errors } } }, async (req) =>
    s.clusters.get(await namespaceOf(ctx, req), (req.params as { cluster_identifier: string }).cluster_identifier),
  );
  app.patch('/v1/clusters/:cluster_identifier', { schema: { tags, summary: 'Rename a cluster or change its description or metadata', headers: NAMESPACE_HEADER, params: ClusterIdentifierParams, body: PatchClusterRequest, response: { 200: ClusterMetadata, 409: ErrorResponse, ...errors } } }, async (req) =>
    s.clusters.patch(await namespaceOf(ctx, req), (req.params as { cluster_identifier: string }).cluster_identifier, req.body as never),
  );
  app.delete('/v1/clusters/:cluster_id', { schema: { tags, summary: 'Delete a cluster and all its executions', headers: NAMESPACE_HEADER, params: ClusterIdParams, response: { 200: GenericDeleteResponse, ...errors } } }, async (req) =>
    s.clusters.delete(await namespaceOf(ctx, req), (req.params as { cluster_id: string }).cluster_id),
  );
  app.post('/v1/clusters/:cluster_id/execute', { schema: { tags, summary: 'Run the clustering asynchronously', headers: NAMESPACE_HEADER, params: ClusterIdParams, response: { 200: TaskResponse, 409: ErrorResponse, ...errors } } }, async (req) => {
    const cluster = await s.clusters.require(await namespaceOf(ctx, req), (req.params as { cluster_id: string }).cluster_id);
    return s.executions.execute(cluster);
  });
}
