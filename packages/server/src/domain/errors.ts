/**
 * The error catalogue. Every non-validation error the API returns is one of these,
 * rendered as the Mixpeek ErrorResponse envelope `{success:false, status, error:{message,type,code,details}}`.
 * `type` is stable and machine-readable; `code` narrows it where a client may branch on it.
 */
export const ERROR_CODES = {
  // 400
  namespace_header_missing: { status: 400, type: 'BadRequestError' },
  invalid_cursor: { status: 400, type: 'BadRequestError' },
  invalid_import_body: { status: 400, type: 'BadRequestError' },
  unsupported_media_type: { status: 415, type: 'UnsupportedMediaTypeError' },
  // 401
  api_key_missing: { status: 401, type: 'AuthenticationError' },
  api_key_invalid: { status: 401, type: 'AuthenticationError' },
  // 404
  route_not_found: { status: 404, type: 'NotFoundError' },
  namespace_not_found: { status: 404, type: 'NotFoundError' },
  collection_not_found: { status: 404, type: 'NotFoundError' },
  document_not_found: { status: 404, type: 'NotFoundError' },
  cluster_not_found: { status: 404, type: 'NotFoundError' },
  execution_not_found: { status: 404, type: 'NotFoundError' },
  no_completed_execution: { status: 404, type: 'NotFoundError' },
  task_not_found: { status: 404, type: 'NotFoundError' },
  scatter_point_not_found: { status: 404, type: 'NotFoundError' },
  trigger_not_found: { status: 404, type: 'NotFoundError' },
  // 409
  namespace_name_taken: { status: 409, type: 'ConflictError' },
  collection_name_taken: { status: 409, type: 'ConflictError' },
  cluster_name_taken: { status: 409, type: 'ConflictError' },
  execution_in_flight: { status: 409, type: 'ConflictError' },
  execution_not_cancelable: { status: 409, type: 'ConflictError' },
  export_unavailable: { status: 409, type: 'ConflictError' },
  scatter_unavailable: { status: 409, type: 'ConflictError' },
  // 413
  payload_too_large: { status: 413, type: 'PayloadTooLargeError' },
  // 500
  internal_error: { status: 500, type: 'InternalServerError' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.type = ERROR_CODES[code].type;
  }
}

export function notFound(resource: string, id: string): AppError {
  const code = `${resource}_not_found` as ErrorCode;
  const label = resource.charAt(0).toUpperCase() + resource.slice(1);
  return new AppError(code, `${label} '${id}' not found`, { resource, id });
}

/** One FastAPI-style validation item: `loc` names the field, `msg` says what is wrong and how to fix it. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Rendered as 422 `{detail: [...]}`, the shape FastAPI clients already parse. */
export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

export function invalid(loc: (string | number)[], msg: string, type = 'value_error'): RequestValidationError {
  return new RequestValidationError([{ loc, msg, type }]);
}
