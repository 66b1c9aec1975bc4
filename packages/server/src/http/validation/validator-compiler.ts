/**
 * Fastify validator compiler: `app.setValidatorCompiler(validatorCompiler)`.
 *
 * A failed check returns `{ error }` holding a RequestValidationError (domain/errors.ts) whose
 * `issues` are already FastAPI items with the right loc prefix, so the app's error handler renders
 * it like any other 422. The error also carries `statusCode: 422` (so even Fastify's default
 * handler answers 422) and `validation`, the raw AJV errors, for logging.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { RequestValidationError } from '../../domain/errors.ts';
import type { ValidationError } from '../schemas/common.ts';
import { createRequestAjv, type RequestPart } from './create-ajv.ts';
import { fillDefaults } from './fill-defaults.ts';
import { toValidationDetail, type ValidationPart } from './to-validation-detail.ts';

/** Fastify's name for a request part → the loc prefix FastAPI uses for it. */
export const LOC_PREFIX: Record<RequestPart, ValidationPart> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

type FastifyValidationResult = ReturnType<FastifySchemaCompiler<unknown>>;

export type RequestValidationFailure = RequestValidationError & {
  statusCode: 422;
  validation: ErrorObject[];
  validationContext: RequestPart;
};

function asPart(httpPart: string | undefined): RequestPart {
  return httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers' ? httpPart : 'body';
}

function failure(issues: ValidationError[], errors: ErrorObject[], part: RequestPart): RequestValidationFailure {
  return Object.assign(new RequestValidationError(issues), { statusCode: 422 as const, validation: errors, validationContext: part });
}

export interface PartValidator {
  (data: unknown): { value: unknown } | { error: RequestValidationFailure };
}

/** Validates one request part against one schema, FastAPI style. */
export function buildPartValidator(ajv: Ajv, schema: unknown, part: RequestPart): PartValidator {
  const validate: ValidateFunction = ajv.compile(schema as object);
  // FastAPI treats an absent optional body as "use the defaults"; Fastify hands us null then.
  const acceptsEmptyBody = part === 'body' && validate(structuredClone({}));
  return (data) => {
    let value = data;
    if (part === 'body' && (value === null || value === undefined) && acceptsEmptyBody) value = {};
    if (validate(value)) {
      fillDefaults(schema, value);
      return { value };
    }
    const errors = [...(validate.errors ?? [])];
    return { error: failure(toValidationDetail(errors, LOC_PREFIX[part], { input: value }), errors, part) };
  };
}

/**
 * A compiler with its own AJV instances (one per part) and cache. Compiled validators are cached
 * per schema object, so a schema shared by many routes compiles once per part.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const ajvs = new Map<RequestPart, Ajv>();
  const cache = new Map<RequestPart, WeakMap<object, PartValidator>>();
  return ({ schema, httpPart }) => {
    const part = asPart(httpPart);
    let ajv = ajvs.get(part);
    if (!ajv) ajvs.set(part, (ajv = createRequestAjv(part)));
    if (typeof schema !== 'object' || schema === null) return buildPartValidator(ajv, schema, part) as FastifyValidationResult;
    let byPart = cache.get(part);
    if (!byPart) cache.set(part, (byPart = new WeakMap()));
    let validator = byPart.get(schema);
    if (!validator) byPart.set(schema, (validator = buildPartValidator(ajv, schema, part)));
    return validator as FastifyValidationResult;
  };
}

/** Shared compiler for the app. */
export const validatorCompiler = createValidatorCompiler();

/**
 * FastAPI items for an error thrown by request validation: ours (RequestValidationError) or one
 * Fastify built from raw AJV errors (e.g. a route that set its own compiler). Undefined otherwise.
 */
export function validationDetailFromError(error: unknown): ValidationError[] | undefined {
  if (error instanceof RequestValidationError) return error.issues;
  const e = error as { validation?: unknown; validationContext?: unknown } | null;
  if (!e || !Array.isArray(e.validation)) return undefined;
  return toValidationDetail(e.validation as ErrorObject[], LOC_PREFIX[asPart(String(e.validationContext))]);
}
