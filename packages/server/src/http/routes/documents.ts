import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { CollectionIdentifierParams, DocumentIdParams, ErrorResponse, GenericDeleteResponse, HTTPValidationError, ListQuery } from '../schemas/common.ts';
import { DocumentCreateRequest, DocumentResponse, ImportDocumentsResponse, ListDocumentsRequest, ListDocumentsResponse } from '../schemas/documents.ts';
import { NAMESPACE_HEADER, namespaceOf, pathOf, type RouteContext } from './context.ts';

const IMPORT_TYPES = ['application/json', 'application/x-ndjson', 'application/jsonl', 'application/jsonlines'];

export function documentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Documents'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const collectionOf = async (req: { params: unknown; headers: Record<string, unknown> }) =>
    ctx.services.collections.require(await namespaceOf(ctx, req as never), (req.params as { collection_identifier: string }).collection_identifier);

  app.post('/v1/collections/:collection_identifier/documents', { schema: { tags, summary: 'Create or replace one document', headers: NAMESPACE_HEADER, params: CollectionIdentifierParams, body: DocumentCreateRequest, response: { 200: DocumentResponse, ...errors } } }, async (req) =>
    ctx.services.documents.create(await collectionOf(req), req.body as never),
  );

  // The import body is streamed straight from the socket: this scope replaces the JSON parser
  // with one that hands over the raw request stream, so no body is ever buffered whole.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_req, payload, done) => done(null, payload));
    scope.post(
      '/v1/collections/:collection_identifier/documents/import',
      {
        schema: {
          tags,
          summary: 'Bulk import documents (JSON array or NDJSON), atomically',
          description: 'Body: a JSON array or NDJSON of {document_id?, metadata?, vectors?: {name: number[]}, features?: [...]}. Any bad row rejects the whole import with 422; nothing is stored.',
          headers: NAMESPACE_HEADER,
          params: CollectionIdentifierParams,
          response: { 200: ImportDocumentsResponse, 413: ErrorResponse, 415: ErrorResponse, 422: HTTPValidationError, ...errors },
        },
      },
      async (req) => {
        const collection = await collectionOf(req);
        const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
        if (!IMPORT_TYPES.includes(type)) {
          throw new AppError('unsupported_media_type', `Unsupported Content-Type '${type}': send application/json (an array) or application/x-ndjson (one document per line)`);
        }
        return ctx.services.documents.import(collection, req.body as AsyncIterable<Buffer>, type === 'application/json' ? 'json-array' : 'ndjson');
      },
    );
  });

  app.post('/v1/collections/:collection_identifier/documents/list', { schema: { tags, summary: 'List documents with filters, sort and search', headers: NAMESPACE_HEADER, params: CollectionIdentifierParams, querystring: ListQuery, body: ListDocumentsRequest, response: { 200: ListDocumentsResponse, ...errors } } }, async (req) =>
    ctx.services.documents.list(await collectionOf(req), (req.body ?? {}) as never, req.query as never, pathOf(req)),
  );
  app.get('/v1/collections/:collection_identifier/documents/:document_id', {
    schema: { tags, summary: 'Get one document', headers: NAMESPACE_HEADER, params: DocumentIdParams, querystring: { type: 'object', properties: { return_vectors: { type: 'boolean', default: false } } }, response: { 200: DocumentResponse, ...errors } },
  }, async (req) => ctx.services.documents.get(await collectionOf(req), (req.params as { document_id: string }).document_id, Boolean((req.query as { return_vectors?: boolean }).return_vectors)));
  app.delete('/v1/collections/:collection_identifier/documents/:document_id', { schema: { tags, summary: 'Delete one document', headers: NAMESPACE_HEADER, params: DocumentIdParams, response: { 200: GenericDeleteResponse, ...errors } } }, async (req) =>
    ctx.services.documents.delete(await collectionOf(req), (req.params as { document_id: string }).document_id),
  );
}
