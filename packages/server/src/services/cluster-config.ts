/**
 * Turns a schema-valid CreateClusterRequest into the configuration an execution runs with,
 * refusing (never silently ignoring) options this version cannot honour.
 */
import {
  VECTOR_METHODS,
  type AttributeConfig,
  type ClusterConfig,
  type ProjectionConfig,
  type VectorMethod,
  type WeightLearningConfig,
} from '../domain/cluster-config.ts';
import { RequestValidationError, type ValidationIssue } from '../domain/errors.ts';
import { checkAlgorithmRules } from './algorithm-rules.ts';
import { checkLlmLabeling } from '../labeling/validate-config.ts';
import { checkFieldMappings } from './enrichment/field-mappings.ts';
import { normalizeHierarchy } from '../compute/sub-clusters.ts';

type Body = Record<string, any>;

const MAX_GRID_EVALUATIONS = 1000;
const WEIGHT_LEARNING_DEFAULTS: WeightLearningConfig = { method: 'bayesian', max_iterations: 20, metric: 'silhouette', sample_size: null, random_state: 42 };

function notYet(issues: ValidationIssue[], loc: (string | number)[], what: string, instead: string): void {
  issues.push({ loc: ['body', ...loc], msg: `${what} is not supported by this version of Centroid yet; ${instead}`, type: 'value_error' });
}

function attributeConfigOf(body: Body, issues: ValidationIssue[]): AttributeConfig | null {
  const ac: Body | null = body.attribute_config ?? null;
  if (!ac) {
    issues.push({ loc: ['body', 'attribute_config'], msg: "Field required for attribute clustering: give attribute_config with the attributes to group by, e.g. {\"attributes\": [\"category\"]}", type: 'missing' });
    return null;
  }
  const attributes: string[] = ac.attributes ?? [];
  attributes.forEach((a, i) => {
    if (a.trim() === '' || a.split('.').some((part) => part === '')) {
      issues.push({ loc: ['body', 'attribute_config', 'attributes', i], msg: `'${a}' is not a field path: use a name or a dot path such as 'metadata.category'`, type: 'value_error' });
    }
  });
  if (new Set(attributes).size !== attributes.length) {
    issues.push({ loc: ['body', 'attribute_config', 'attributes'], msg: 'Each attribute may appear once', type: 'value_error' });
  }
  const aggregation = ac.aggregation_method ?? 'most_frequent';
  if (!['most_frequent', 'first', 'last'].includes(aggregation)) {
    issues.push({ loc: ['body', 'attribute_config', 'aggregation_method'], msg: `Input should be 'most_frequent', 'first' or 'last' (got '${aggregation}')`, type: 'enum' });
  }
  return { attributes, hierarchical_grouping: ac.hierarchical_grouping === true, aggregation_method: aggregation };
}

/** `vector_config.projection` (schema-checked) with defaults; UMAP settings with method 'pca' are refused, not ignored. */
function projectionConfigOf(raw: Body | null | undefined, issues: ValidationIssue[]): ProjectionConfig {
  const p = raw ?? {};
  const method = p.method ?? 'auto';
  if (method === 'pca') {
    for (const field of ['n_neighbors', 'min_dist'] as const) {
      if (p[field] !== undefined && p[field] !== null) {
        issues.push({ loc: ['body', 'vector_config', 'projection', field], msg: `${field} is a UMAP setting; remove it or set projection.method to 'umap' or 'auto'`, type: 'value_error' });
      }
    }
  }
  return { method, n_neighbors: p.n_neighbors ?? 15, min_dist: p.min_dist ?? 0.1 };
}

export function normalizeClusterConfig(body: Body, algorithmParams: Record<string, unknown> | null): ClusterConfig {
  const issues: ValidationIssue[] = [];
  const vc: Body | null = body.vector_config ?? null;
  const isAttribute = body.cluster_type === 'attribute' || vc?.clustering_method === 'attribute_based';
  if (!Array.isArray(body.collection_ids) || body.collection_ids.length === 0) {
    issues.push({ loc: ['body', 'collection_ids'], msg: 'List should have at least 1 item: name the collection(s) to cluster', type: 'too_short' });
  }
  if (!isAttribute && !vc) {
    issues.push({ loc: ['body', 'vector_config'], msg: "Field required when cluster_type is 'vector': give vector_config with feature_uris and clustering_method", type: 'missing' });
  }
  checkLlmLabeling(body.llm_labeling, ['body', 'llm_labeling'], issues);
  // vector_config.enrich_source is the reference's other spelling of enrich_source_collection.
  const enrich = body.enrich_source_collection === true || vc?.enrich_source === true;
  const fieldMappings = checkFieldMappings(body.source_enrichment_config, ['body', 'source_enrichment_config'], issues);
  const common = {
    collection_ids: body.collection_ids,
    filters: body.filters ?? null,
    llm_labeling: body.llm_labeling ?? null,
    enrich_source_collection: enrich,
    // Stored resolved (defaults spelled out) so the cluster shows exactly what will be written.
    source_enrichment_config: enrich || body.source_enrichment_config ? { field_mappings: fieldMappings } : null,
  };

  if (isAttribute) {
    const attributeConfig = attributeConfigOf(body, issues);
    if (issues.length > 0) throw new RequestValidationError(issues);
    return { ...common, cluster_type: 'attribute', vector_config: null, attribute_config: attributeConfig! };
  }

  const featureUris: string[] = vc!.feature_uris ?? (vc!.feature_uri ? [vc!.feature_uri] : []);
  const method = vc!.clustering_method as VectorMethod;
  const strategy = vc!.multi_feature_strategy ?? 'concatenate';
  if (featureUris.length === 0) {
    issues.push({ loc: ['body', 'vector_config', 'feature_uris'], msg: "Field required: name the vector to cluster, e.g. [\"mixpeek://text_extractor@v1/embedding\"] or [\"embedding\"]", type: 'missing' });
  }
  if (new Set(featureUris).size !== featureUris.length) {
    issues.push({ loc: ['body', 'vector_config', 'feature_uris'], msg: 'Each feature URI may appear once', type: 'value_error' });
  }
  if (!VECTOR_METHODS.includes(method)) {
    issues.push({ loc: ['body', 'vector_config', 'clustering_method'], msg: `Unknown clustering_method '${method}'; use one of: ${[...VECTOR_METHODS, 'attribute_based'].join(', ')}`, type: 'enum' });
  }
  if (vc!.output_strategy === 'per_feature') {
    notYet(issues, ['vector_config', 'output_strategy'], "output_strategy 'per_feature'", "use 'single' (multi_feature_strategy 'independent' already gives one clustering per feature)");
  }
  const hierarchy = normalizeHierarchy(vc!.hierarchy, strategy, ['body', 'vector_config', 'hierarchy'], issues);
  const projection = projectionConfigOf(vc!.projection, issues);
  if (vc!.sample_size !== undefined && vc!.sample_size !== null && (!Number.isInteger(vc!.sample_size) || vc!.sample_size < 2)) {
    issues.push({ loc: ['body', 'vector_config', 'sample_size'], msg: 'Input should be an integer of at least 2 (or null to use every document)', type: 'greater_than_equal' });
  }

  const weights: Record<string, number> | null = vc!.feature_weights ?? null;
  if (weights) {
    for (const [uri, w] of Object.entries(weights)) {
      if (!featureUris.includes(uri)) {
        issues.push({ loc: ['body', 'vector_config', 'feature_weights', uri], msg: `'${uri}' is not one of feature_uris; weights are keyed by feature URI`, type: 'value_error' });
      } else if (!(Number.isFinite(w) && w >= 0)) {
        issues.push({ loc: ['body', 'vector_config', 'feature_weights', uri], msg: `A feature weight must be a finite number ≥ 0 (got ${w})`, type: 'value_error' });
      }
    }
    if (featureUris.every((uri) => (weights[uri] ?? 1) === 0)) {
      issues.push({ loc: ['body', 'vector_config', 'feature_weights'], msg: 'At least one feature needs a weight above 0', type: 'value_error' });
    }
  }
  if (strategy !== 'concatenate' && featureUris.length < 2) {
    issues.push({ loc: ['body', 'vector_config', 'multi_feature_strategy'], msg: `multi_feature_strategy '${strategy}' combines several features; give at least two feature_uris or use 'concatenate'`, type: 'value_error' });
  }

  const params = algorithmParams ?? {};
  if (VECTOR_METHODS.includes(method)) {
    const given = (vc!.algorithm_params ?? vc![`${method}_parameters`] ?? {}) as Record<string, unknown>;
    const where = vc!.algorithm_params == null && vc![`${method}_parameters`] != null ? `${method}_parameters` : 'algorithm_params';
    issues.push(...checkAlgorithmRules(method, params, given, ['body', 'vector_config', where]));
  }
  if (issues.length > 0) throw new RequestValidationError(issues);

  const learning = strategy === 'weighted' && !weights ? { ...WEIGHT_LEARNING_DEFAULTS, ...(vc!.weight_learning_config ?? {}) } : null;
  const gridRuns = learning ? learning.max_iterations ** featureUris.length : 0;
  if (learning?.method === 'grid_search' && gridRuns > MAX_GRID_EVALUATIONS) {
    throw new RequestValidationError([{
      loc: ['body', 'vector_config', 'weight_learning_config', 'max_iterations'],
      msg: `grid_search would run ${gridRuns} clusterings (max_iterations^${featureUris.length} features); keep it at most ${MAX_GRID_EVALUATIONS} by lowering max_iterations, or use method 'bayesian'`,
      type: 'value_error',
    }]);
  }
  return {
    ...common,
    cluster_type: 'vector',
    vector_config: {
      feature_uris: featureUris,
      clustering_method: method,
      sample_size: vc!.sample_size ?? null,
      algorithm_params: params,
      multi_feature_strategy: strategy,
      normalize_features: vc!.normalize_features ?? true,
      feature_weights: weights,
      weight_learning_config: learning,
      effective_feature_method: vc!.effective_feature_method ?? 'mean',
      output_strategy: vc!.output_strategy ?? 'single',
      enrich_source: enrich,
      hierarchy,
      projection,
    },
    attribute_config: null,
  };
}
