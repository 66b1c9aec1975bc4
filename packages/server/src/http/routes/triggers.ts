import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from '../../domain/errors.ts';
import type { ParamsValidator } from '../../services/triggers.ts';
import { ErrorResponse } from '../schemas/common.ts';
import {
  CreateTriggerRequest, ListTriggersRequest, ListTriggersResponse, TriggerHistoryRequest, TriggerHistoryResponse, TriggerIdParams, TriggerModel, UpdateTriggerRequest,
} from '../schemas/triggers.ts';
import { validateAlgorithmParams } from '../validation/algorithm-params.ts';
import { NAMESPACE_HEADER, namespaceOf, type RouteContext } from './context.ts';

const checkParams: ParamsValidator = (method, params, loc) => {
  const result = validateAlgorithmParams(method, params, loc);
  if (!result.ok) throw new RequestValidationError(result.issues);
  return result.value;
};

export function triggerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Cluster Triggers'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  const s = ctx.services;
  const idOf = (req: { params: unknown }) => (req.params as { trigger_id: string }).trigger_id;

  app.post('/v1/clusters/triggers', { schema: { tags, summary: 'Create a cron, interval, event or conditional trigger', headers: NAMESPACE_HEADER, body: CreateTriggerRequest, response: { 201: TriggerModel, ...errors } } }, async (req, reply) => {
    const created = await s.triggers.create(await namespaceOf(ctx, req), req.body as never, checkParams);
    return reply.code(201).send(created);
  });
  app.post('/v1/clusters/triggers/list', { schema: { tags, summary: 'List triggers with filters and pagination', headers: NAMESPACE_HEADER, body: ListTriggersRequest, response: { 200: ListTriggersResponse, ...errors } } }, async (req) =>
    s.triggers.list(await namespaceOf(ctx, req), (req.body ?? {}) as never),
  );
  app.get('/v1/clusters/triggers/:trigger_id', { schema: { tags, summary: 'Get a trigger', headers: NAMESPACE_HEADER, params: TriggerIdParams, response: { 200: TriggerModel, ...errors } } }, async (req) =>
    s.triggers.get(await namespaceOf(ctx, req), idOf(req)),
  );
  app.patch('/v1/clusters/triggers/:trigger_id', { schema: { tags, summary: 'Change a trigger\'s schedule, description or status', headers: NAMESPACE_HEADER, params: TriggerIdParams, body: UpdateTriggerRequest, response: { 200: TriggerModel, ...errors } } }, async (req) =>
    s.triggers.update(await namespaceOf(ctx, req), idOf(req), (req.body ?? {}) as never),
  );
  app.delete('/v1/clusters/triggers/:trigger_id', { schema: { tags, summary: 'Delete a trigger (its history is kept)', headers: NAMESPACE_HEADER, params: TriggerIdParams, response: { 204: { type: 'null', description: 'Deleted' }, ...errors } } }, async (req, reply) => {
    await s.triggers.delete(await namespaceOf(ctx, req), idOf(req));
    return reply.code(204).send();
  });
  app.post('/v1/clusters/triggers/:trigger_id/pause', { schema: { tags, summary: 'Pause a trigger', headers: NAMESPACE_HEADER, params: TriggerIdParams, response: { 200: TriggerModel, ...errors } } }, async (req) =>
    s.triggers.pause(await namespaceOf(ctx, req), idOf(req)),
  );
  app.post('/v1/clusters/triggers/:trigger_id/resume', { schema: { tags, summary: 'Resume a paused or failed trigger; its next time is computed from now', headers: NAMESPACE_HEADER, params: TriggerIdParams, response: { 200: TriggerModel, ...errors } } }, async (req) =>
    s.triggers.resume(await namespaceOf(ctx, req), idOf(req)),
  );
  app.post('/v1/clusters/triggers/:trigger_id/history', { schema: { tags, summary: 'Fires of a trigger and the executions they started, newest first', headers: NAMESPACE_HEADER, params: TriggerIdParams, body: TriggerHistoryRequest, response: { 200: TriggerHistoryResponse, ...errors } } }, async (req) =>
    s.triggers.history(await namespaceOf(ctx, req), idOf(req), (req.body ?? {}) as never),
  );
}
