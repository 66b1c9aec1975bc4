import type { FastifyRequest } from 'fastify';
import type { NamespaceRecord } from '../../domain/records.ts';
import type { Services } from '../../services/index.ts';

export interface RouteContext {
  services: Services;
}

/** Resolves the request's X-Namespace header (id or name). */
export function namespaceOf(ctx: RouteContext, request: FastifyRequest): Promise<NamespaceRecord> {
  const header = request.headers['x-namespace'];
  return ctx.services.namespaces.resolve(Array.isArray(header) ? header[0] : header);
}

/** The path a list was requested on, for pagination links. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!;
}

export const NAMESPACE_HEADER = {
  type: 'object',
  properties: { 'x-namespace': { type: 'string', description: 'Namespace id (ns_…) or name' } },
} as const;
