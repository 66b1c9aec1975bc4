import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../../services/api-keys.ts';
import { sendError } from './errors.ts';

/** Every /v1 route needs `Authorization: Bearer <key>`; runs before validation so a missing key is 401, not 422. */
export function registerAuth(app: FastifyInstance, apiKeys: ApiKeyService): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
    const header = request.headers.authorization;
    if (!header) {
      return sendError(reply, 401, 'AuthenticationError', 'Missing Authorization header: send "Authorization: Bearer <api key>"', 'api_key_missing');
    }
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !(await apiKeys.authenticate(match[1]!.trim()))) {
      return sendError(reply, 401, 'AuthenticationError', 'Invalid API key: create one with `npx centroid keys create` or set CENTROID_API_KEY', 'api_key_invalid');
    }
  });
}
