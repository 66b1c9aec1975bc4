/**
 * Second-stage check of `vector_config.algorithm_params` (or the legacy `kmeans_parameters` etc.).
 * The request schema keeps those loose because which `*Params` schema applies depends on
 * `clustering_method`; a schema-level union would accept anything through its free-form branch
 * and apply no defaults.
 */
import type { ValidateFunction } from 'ajv';
import { paramsSchemaFor } from '../schemas/cluster-params.ts';
import type { ValidationError } from '../schemas/common.ts';
import { createRequestAjv } from './create-ajv.ts';
import { fillDefaults } from './fill-defaults.ts';
import { toValidationDetail } from './to-validation-detail.ts';

const ajv = createRequestAjv('body');
const compiled = new Map<string, ValidateFunction>();

export type AlgorithmParamsResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; issues: ValidationError[] };

/**
 * Validates `params` against the schema of `method` and returns a copy with every default filled.
 * `loc` is where the params sit in the request, used as the prefix of each issue's loc.
 * Methods without a params schema (attribute_based) get their params back unchanged.
 */
export function validateAlgorithmParams(
  method: string,
  params: unknown,
  loc: (string | number)[] = ['body', 'vector_config', 'algorithm_params'],
): AlgorithmParamsResult {
  const schema = paramsSchemaFor(method);
  const value: unknown = params === null || params === undefined ? {} : structuredClone(params);
  if (!schema) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, issues: [{ loc, msg: 'Input should be a valid dictionary (a JSON object)', type: 'dict_type' }] };
  }
  let validate = compiled.get(method);
  if (!validate) compiled.set(method, (validate = ajv.compile(schema)));
  if (validate(value)) {
    fillDefaults(schema, value);
    return { ok: true, value: value as Record<string, unknown> };
  }
  const issues = toValidationDetail(validate.errors, 'body', { input: value }).map((issue) => ({
    ...issue,
    loc: [...loc, ...issue.loc.slice(1)],
  }));
  return { ok: false, issues };
}
