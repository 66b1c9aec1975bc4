import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, RequestValidationError, type ValidationIssue } from '../../domain/errors.ts';
import { toValidationDetail } from '../validation/to-validation-detail.ts';

export function sendError(reply: FastifyReply, status: number, type: string, message: string, code: string | null = null, details: Record<string, unknown> | null = null) {
  return reply.status(status).send({ success: false, status, error: { message, type, code, details } });
}

const PART: Record<string, 'body' | 'query' | 'path' | 'header'> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/**
 * One place turns every failure into the wire format: request validation → 422 `{detail}`
 * (FastAPI's shape), everything else → the ErrorResponse envelope. Stack traces never leave.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
    if (error instanceof RequestValidationError) return reply.status(422).send({ detail: error.issues });
    if (error instanceof AppError) return sendError(reply, error.status, error.type, error.message, error.code, error.details);
    if (error.validation) {
      const part = PART[error.validationContext ?? 'body'] ?? 'body';
      return reply.status(422).send({ detail: toValidationDetail(error.validation as never, part) });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
      const issue: ValidationIssue = { loc: ['body'], msg: `JSON decode error: ${error.message}`, type: 'json_invalid' };
      return reply.status(422).send({ detail: [issue] });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, 'PayloadTooLargeError', 'Request body is larger than this server accepts (CENTROID_BODY_LIMIT_BYTES); use the streaming /documents/import endpoint for bulk data', 'payload_too_large');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, 'UnsupportedMediaTypeError', `Unsupported Content-Type '${request.headers['content-type'] ?? ''}': send application/json`, 'unsupported_media_type');
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, 'BadRequestError', error.message, null);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'InternalServerError', 'Internal server error; the server log has the details', 'internal_error');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'NotFoundError', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API`, 'route_not_found'),
  );
}
