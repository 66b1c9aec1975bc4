/**
 * AJV instances for request validation, configured to behave as close to FastAPI/pydantic as AJV
 * allows. One instance per request part because coercion must differ: query strings, path
 * parameters and headers arrive as text, JSON bodies do not.
 */
import { Ajv, type Options } from 'ajv';
import * as formatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module
// object, so reach for the function explicitly.
const addFormats = formatsModule.default.default;

export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

export function requestAjvOptions(part: RequestPart): Options {
  return {
    allErrors: true,
    // Report unknown keys (extra_forbidden) instead of silently dropping them.
    removeAdditional: false,
    useDefaults: true,
    // pydantic would accept "5" for an int but never 5 for a str; AJV cannot coerce one way only,
    // so bodies get no coercion at all. Other parts are always strings and must be coerced;
    // 'array' also turns a lone ?x=a into ['a'] for array-typed parameters.
    coerceTypes: part === 'body' ? false : 'array',
    // Errors carry the offending value and parent schema: messages quote them, and the
    // detail mapper uses them to tell a missing body from a wrong one.
    verbose: true,
    // Strict mode would reject the `default`s TypeBox leaves inside anyOf branches (AJV ignores
    // those; fill-defaults.ts applies them) and annotation keywords other plugins add.
    // test/http-schemas compiles every schema in strict mode to catch real typos.
    strict: false,
    // Route schemas are compiled once each; registering them by $id would make a second route
    // using the same schema object fail with "already exists".
    addUsedSchema: false,
  };
}

export function createRequestAjv(part: RequestPart, overrides: Options = {}): Ajv {
  const ajv = new Ajv({ ...requestAjvOptions(part), ...overrides });
  addFormats(ajv);
  return ajv;
}
