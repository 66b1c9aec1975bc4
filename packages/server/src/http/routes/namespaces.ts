import type { FastifyInstance } from 'fastify';
import { ErrorResponse, GenericDeleteResponse, ListQuery, NamespaceIdentifierParams } from '../schemas/common.ts';
import { CreateNamespaceRequest, ListNamespacesResponse, NamespaceModel } from '../schemas/namespaces.ts';
import { pathOf, type RouteContext } from './context.ts';

export function namespaceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Namespaces'];
  const errors = { 401: ErrorResponse, 404: ErrorResponse };
  app.post('/v1/namespaces', { schema: { tags, summary: 'Create a namespace', body: CreateNamespaceRequest, response: { 200: NamespaceModel, 409: ErrorResponse } } }, async (req) =>
    ctx.services.namespaces.create(req.body as never),
  );
  app.get('/v1/namespaces/:namespace_identifier', { schema: { tags, summary: 'Get a namespace by id or name', params: NamespaceIdentifierParams, response: { 200: NamespaceModel, ...errors } } }, async (req) =>
    ctx.services.namespaces.get((req.params as { namespace_identifier: string }).namespace_identifier),
  );
  const list = { schema: { tags, summary: 'List namespaces', querystring: ListQuery, response: { 200: ListNamespacesResponse } } };
  app.get('/v1/namespaces', list, async (req) => ctx.services.namespaces.list(req.query as never, pathOf(req)));
  app.post('/v1/namespaces/list', list, async (req) => ctx.services.namespaces.list(req.query as never, pathOf(req)));
  app.delete('/v1/namespaces/:namespace_identifier', { schema: { tags, summary: 'Delete a namespace and everything in it', params: NamespaceIdentifierParams, response: { 200: GenericDeleteResponse, ...errors } } }, async (req) =>
    ctx.services.namespaces.delete((req.params as { namespace_identifier: string }).namespace_identifier),
  );
}
