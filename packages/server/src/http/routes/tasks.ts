import type { FastifyInstance } from 'fastify';
import { ErrorResponse, GenericDeleteResponse, ListQuery, TaskIdParams } from '../schemas/common.ts';
import { ListTasksRequest, ListTasksResponse, TaskResponse } from '../schemas/tasks.ts';
import { taskView } from '../../services/views.ts';
import { pathOf, type RouteContext } from './context.ts';

/** Tasks are global by id (like the reference); X-Namespace, when sent, narrows them to that namespace. */
export function taskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Tasks'];
  const errors = { 401: ErrorResponse, 404: ErrorResponse };
  const s = ctx.services;
  const scoped = async (req: { headers: Record<string, unknown> }) => {
    const header = req.headers['x-namespace'];
    return typeof header === 'string' && header !== '' ? [(await s.namespaces.resolve(header)).namespaceId] : null;
  };
  const find = async (req: { params: unknown; headers: Record<string, unknown> }) => {
    const taskId = (req.params as { task_id: string }).task_id;
    const e = await s.executions.task(taskId);
    const namespaces = await scoped(req);
    if (namespaces && !namespaces.includes(e.namespaceId)) await s.executions.task('\u0000' + taskId); // same 404 as unknown
    return e;
  };
  app.get('/v1/tasks/:task_id', { schema: { tags, summary: 'Status of an asynchronous task', params: TaskIdParams, response: { 200: TaskResponse, ...errors } } }, async (req) => taskView(await find(req)));
  app.delete('/v1/tasks/:task_id', { schema: { tags, summary: 'Cancel a running task', params: TaskIdParams, response: { 200: GenericDeleteResponse, 409: ErrorResponse, ...errors } } }, async (req) => {
    const e = await find(req);
    const result = await s.executions.cancel(e);
    return { success: true, message: result.message };
  });
  app.post('/v1/tasks/list', { schema: { tags, summary: 'List tasks', querystring: ListQuery, body: ListTasksRequest, response: { 200: ListTasksResponse, ...errors } } }, async (req) =>
    s.executions.listTasks(await scoped(req), (req.body ?? {}) as never, req.query as never, pathOf(req)),
  );
}
