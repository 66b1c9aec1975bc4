import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Settings } from '../config/settings.ts';
import type { Services } from '../services/index.ts';
import { RequestValidationError } from '../domain/errors.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerDashboard } from './plugins/dashboard.ts';
import { clusterRoutes } from './routes/clusters.ts';
import { collectionRoutes } from './routes/collections.ts';
import { documentRoutes } from './routes/documents.ts';
import { enrichmentRoutes } from './routes/enrichment.ts';
import { executionRoutes } from './routes/executions.ts';
import { scatterRoutes } from './routes/scatter.ts';
import { namespaceRoutes } from './routes/namespaces.ts';
import { taskRoutes } from './routes/tasks.ts';
import { triggerRoutes } from './routes/triggers.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { createValidatorCompiler } from './validation/validator-compiler.ts';

export interface AppOptions {
  settings: Settings;
  services: Services;
  version?: string;
}

export async function buildApp({ settings, services, version = '0.1.0' }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: settings.logLevel === 'silent' ? false : { level: settings.logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: settings.bodyLimitBytes,
    ajv: { customOptions: { allErrors: true } },
  });

  // One Ajv per request part: bodies are never type-coerced, query strings and headers are;
  // defaults are filled at every depth, and an absent optional body validates as {}.
  app.setValidatorCompiler(createValidatorCompiler());
  // Response schemas document the contract (and tests check responses against them);
  // serialising with JSON.stringify means a gap in a schema can never drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Mixpeek clients send `Content-Type: application/json` with an empty body on POSTs that take
  // none (execute, cancel); FastAPI accepts that, so an empty JSON body means "no body" here too.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '' || (typeof text === 'string' && text.trim() === '')) return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch (error) {
      done(new RequestValidationError([{ loc: ['body'], msg: `JSON decode error: ${(error as Error).message}`, type: 'json_invalid' }]), undefined);
    }
  });
  registerErrorHandling(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Centroid', version, description: 'Self-hostable clustering service, wire-compatible with the Mixpeek clustering API.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerAuth(app, services.apiKeys);

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', version }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx = { services };
  namespaceRoutes(app, ctx);
  collectionRoutes(app, ctx);
  documentRoutes(app, ctx);
  clusterRoutes(app, ctx);
  enrichmentRoutes(app, ctx);
  executionRoutes(app, ctx);
  scatterRoutes(app, ctx);
  taskRoutes(app, ctx);
  triggerRoutes(app, ctx);
  analyticsRoutes(app, ctx);
  await registerDashboard(app);
  return app;
}
