import type { ValidateFunction } from 'ajv';
import { RequestValidationError } from '../../domain/errors.ts';
import { paramsSchemaFor } from '../schemas/cluster-params.ts';
import { createRequestAjv } from '../validation/create-ajv.ts';
import { toValidationDetail } from '../validation/to-validation-detail.ts';

const ajv = createRequestAjv('body');
const compiled = new Map<string, ValidateFunction>();

/**
 * `algorithm_params` is a free-form object on the wire (its schema depends on
 * clustering_method), so it is checked here against the method's *Params schema,
 * with defaults filled in and errors located under vector_config.algorithm_params.
 */
export function validateAlgorithmParams(vectorConfig: Record<string, any> | null | undefined): Record<string, unknown> | null {
  if (!vectorConfig) return null;
  const method = String(vectorConfig.clustering_method);
  const schema = paramsSchemaFor(method);
  if (!schema) return null;
  const legacy = method === 'kmeans' ? vectorConfig.kmeans_parameters : method === 'dbscan' ? vectorConfig.dbscan_parameters : method === 'hdbscan' ? vectorConfig.hdbscan_parameters : undefined;
  const source = vectorConfig.algorithm_params ?? legacy ?? {};
  const field = vectorConfig.algorithm_params ? 'algorithm_params' : legacy ? `${method}_parameters` : 'algorithm_params';
  let validate = compiled.get(method);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(method, validate);
  }
  const params = structuredClone(source);
  if (!validate(params)) {
    throw new RequestValidationError(toValidationDetail(validate.errors ?? [], 'body').map((i) => ({ ...i, loc: ['body', 'vector_config', field, ...i.loc.slice(1)] })));
  }
  return params as Record<string, unknown>;
}
