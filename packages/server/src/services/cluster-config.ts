/**
 * Turns a schema-valid CreateClusterRequest into the configuration an execution runs with,
 * refusing (never silently ignoring) options this version cannot honour yet.
 */
import type { ClusterConfig, KMeansConfig } from '../domain/cluster-config.ts';
import { RequestValidationError, type ValidationIssue } from '../domain/errors.ts';

export const SUPPORTED_METHODS = ['kmeans'] as const;

type Body = Record<string, any>;

function notYet(issues: ValidationIssue[], loc: (string | number)[], what: string, instead: string): void {
  issues.push({ loc: ['body', ...loc], msg: `${what} is not supported by this version of Centroid yet; ${instead}`, type: 'value_error' });
}

export function normalizeClusterConfig(body: Body, algorithmParams: Record<string, unknown> | null): ClusterConfig {
  const issues: ValidationIssue[] = [];
  const clusterType = body.cluster_type ?? 'vector';
  if (!Array.isArray(body.collection_ids) || body.collection_ids.length === 0) {
    issues.push({ loc: ['body', 'collection_ids'], msg: 'List should have at least 1 item: name the collection(s) to cluster', type: 'too_short' });
  }
  if (clusterType === 'attribute') {
    notYet(issues, ['cluster_type'], "cluster_type 'attribute'", "use cluster_type 'vector' with vector_config");
  }
  const vc: Body | null = body.vector_config ?? null;
  if (clusterType === 'vector' && !vc) {
    issues.push({ loc: ['body', 'vector_config'], msg: "Field required when cluster_type is 'vector': give vector_config with feature_uris and clustering_method", type: 'missing' });
  }
  if (body.llm_labeling?.enabled === true) {
    notYet(issues, ['llm_labeling', 'enabled'], 'LLM labeling', 'set llm_labeling.enabled to false or omit llm_labeling');
  }
  if (body.enrich_source_collection === true) {
    notYet(issues, ['enrich_source_collection'], 'Writing cluster assignments back onto source documents', 'omit enrich_source_collection and read assignments from the execution artifacts');
  }

  let featureUris: string[] = [];
  if (vc) {
    featureUris = vc.feature_uris ?? (vc.feature_uri ? [vc.feature_uri] : []);
    if (featureUris.length === 0) {
      issues.push({ loc: ['body', 'vector_config', 'feature_uris'], msg: "Field required: name the vector to cluster, e.g. [\"mixpeek://text_extractor@v1/embedding\"] or [\"embedding\"]", type: 'missing' });
    } else if (featureUris.length > 1) {
      notYet(issues, ['vector_config', 'feature_uris'], 'Clustering several features at once', 'give exactly one feature URI');
    }
    if (!SUPPORTED_METHODS.includes(vc.clustering_method)) {
      notYet(issues, ['vector_config', 'clustering_method'], `clustering_method '${vc.clustering_method}'`, `use one of: ${SUPPORTED_METHODS.join(', ')}`);
    }
    if (vc.effective_feature_method && vc.effective_feature_method !== 'mean') {
      notYet(issues, ['vector_config', 'effective_feature_method'], `effective_feature_method '${vc.effective_feature_method}'`, "use 'mean'");
    }
    if (vc.output_strategy === 'per_feature') {
      notYet(issues, ['vector_config', 'output_strategy'], "output_strategy 'per_feature'", "use 'single'");
    }
    if (vc.enrich_source === true) {
      notYet(issues, ['vector_config', 'enrich_source'], 'Writing cluster assignments back onto source documents', 'omit enrich_source');
    }
    if (vc.sample_size !== undefined && vc.sample_size !== null && (!Number.isInteger(vc.sample_size) || vc.sample_size < 2)) {
      issues.push({ loc: ['body', 'vector_config', 'sample_size'], msg: 'Input should be an integer of at least 2 (or null to use every document)', type: 'greater_than_equal' });
    }
    const init = algorithmParams?.init;
    if (init !== undefined && init !== 'k-means++' && init !== 'random') {
      issues.push({ loc: ['body', 'vector_config', 'algorithm_params', 'init'], msg: "Input should be 'k-means++' or 'random'", type: 'enum' });
    }
    const algorithm = algorithmParams?.algorithm;
    if (algorithm !== undefined && !['lloyd', 'elkan', 'auto'].includes(algorithm as string)) {
      issues.push({ loc: ['body', 'vector_config', 'algorithm_params', 'algorithm'], msg: "Input should be 'lloyd', 'elkan' or 'auto'", type: 'enum' });
    }
  }
  if (issues.length > 0) throw new RequestValidationError(issues);

  return {
    collection_ids: body.collection_ids,
    cluster_type: 'vector',
    vector_config: {
      feature_uris: featureUris,
      clustering_method: 'kmeans',
      sample_size: vc!.sample_size ?? null,
      algorithm_params: algorithmParams as unknown as KMeansConfig,
      multi_feature_strategy: vc!.multi_feature_strategy ?? 'concatenate',
      normalize_features: vc!.normalize_features ?? true,
      feature_weights: vc!.feature_weights ?? null,
      effective_feature_method: vc!.effective_feature_method ?? 'mean',
      output_strategy: vc!.output_strategy ?? 'single',
      enrich_source: false,
    },
    attribute_config: null,
    filters: body.filters ?? null,
    llm_labeling: body.llm_labeling ?? null,
    enrich_source_collection: false,
    source_enrichment_config: body.source_enrichment_config ?? null,
  };
}
