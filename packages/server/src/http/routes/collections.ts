import type { FastifyInstance } from 'fastify';
import { CollectionIdentifierParams, ErrorResponse, GenericDeleteResponse, ListQuery } from '../schemas/common.ts';
import { CollectionModel, CreateCollectionRequest, ListCollectionsResponse } from '../schemas/collections.ts';
import { NAMESPACE_HEADER, namespaceOf, pathOf, type RouteContext } from './context.ts';

export function collectionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Collections'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const idOf = (req: { params: unknown }) => (req.params as { collection_identifier: string }).collection_identifier;
  app.post('/v1/collections', { schema: { tags, summary: 'Create a collection', headers: NAMESPACE_HEADER, body: CreateCollectionRequest, response: { 200: CollectionModel, 409: ErrorResponse, ...errors } } }, async (req) =>
    ctx.services.collections.create(await namespaceOf(ctx, req), req.body as never),
  );
  app.get('/v1/collections/:collection_identifier', { schema: { tags, summary: 'Get a collection by id or name', headers: NAMESPACE_HEADER, params: CollectionIdentifierParams, response: { 200: CollectionModel, ...errors } } }, async (req) =>
    ctx.services.collections.get(await namespaceOf(ctx, req), idOf(req)),
  );
  const list = { schema: { tags, summary: 'List collections', headers: NAMESPACE_HEADER, querystring: ListQuery, response: { 200: ListCollectionsResponse, ...errors } } };
  app.get('/v1/collections', list, async (req) => ctx.services.collections.list(await namespaceOf(ctx, req), req.query as never, pathOf(req)));
  app.post('/v1/collections/list', list, async (req) => ctx.services.collections.list(await namespaceOf(ctx, req), req.query as never, pathOf(req)));
  app.delete('/v1/collections/:collection_identifier', { schema: { tags, summary: 'Delete a collection and its documents', headers: NAMESPACE_HEADER, params: CollectionIdentifierParams, response: { 200: GenericDeleteResponse, ...errors } } }, async (req) =>
    ctx.services.collections.delete(await namespaceOf(ctx, req), idOf(req)),
  );
}
