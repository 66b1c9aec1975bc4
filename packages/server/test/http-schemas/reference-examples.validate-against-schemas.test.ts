import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import * as S from '../../src/http/schemas/index.ts';
import { createValidatorCompiler } from '../../src/http/validation/index.ts';
import { SKIP_WITHOUT_REFERENCE, component, withoutAnnotation } from './reference.ts';

const compile = createValidatorCompiler();

function bodyValidator(schema: unknown) {
  return compile({ schema, httpPart: 'body', method: 'POST', url: '/test' }) as unknown as (
    data: unknown,
  ) => { value?: unknown; error?: { issues: unknown[] } };
}

/** Response schemas are checked as contract tests would: plain AJV, no coercion, no defaults. */
const responseAjv = new Ajv({ allErrors: true, strict: false });
formatsModule.default.default(responseAjv);

function examples(name: string): unknown[] {
  const found = (component(name) as { examples?: unknown[] }).examples;
  assert.ok(Array.isArray(found) && found.length > 0, `reference has no examples for ${name}`);
  return found;
}

describe('reference examples', { skip: SKIP_WITHOUT_REFERENCE }, () => {
  test('every CreateClusterRequest example of the reference is accepted and gets its defaults filled', () => {
    const validate = bodyValidator(S.CreateClusterRequest);
    for (const example of examples('CreateClusterRequest')) {
      const result = validate(structuredClone(example));
      assert.equal(result.error, undefined, JSON.stringify(result.error?.issues));
      const value = result.value as S.CreateClusterRequest;
      assert.equal(value.enrich_source_collection, false);
      if (value.llm_labeling) {
        // Defaults inside a nullable object: AJV alone would leave these out.
        assert.equal(value.llm_labeling.include_summary, true);
        assert.equal(value.llm_labeling.max_samples_per_cluster, 10);
        assert.equal(value.llm_labeling.cache_ttl_seconds, 604800);
      }
      if (value.vector_config) assert.equal(value.vector_config.normalize_features, true);
      if (value.attribute_config) assert.equal(typeof value.attribute_config.hierarchical_grouping, 'boolean');
    }
  });

  const REQUEST_EXAMPLES: [unknown, string][] = [
    [S.VectorBasedConfig, 'VectorBasedConfig-Input'],
    [S.AttributeBasedConfig, 'AttributeBasedConfig'],
    [S.WeightLearningConfig, 'WeightLearningConfig'],
    [S.LLMLabeling, 'LLMLabeling-Input'],
    [S.InputMapping, 'InputMapping'],
    [S.SourceEnrichmentConfig, 'SourceEnrichmentConfig'],
    [S.ListClusterExecutionsRequest, 'ListClusterExecutionsRequest'],
    [S.PayloadIndexConfig, 'PayloadIndexConfig-Input'],
    [S.NamespaceInfrastructure, 'NamespaceInfrastructure'],
    [S.LineageStep, 'LineageStep'],
  ];
  for (const [schema, name] of REQUEST_EXAMPLES) {
    test(`the reference examples of ${name} pass our request schema`, () => {
      const validate = bodyValidator(schema);
      for (const example of examples(name)) {
        const result = validate(withoutAnnotation(structuredClone(example), schema));
        assert.equal(result.error, undefined, `${JSON.stringify(example)}\n${JSON.stringify(result.error?.issues)}`);
      }
    });
  }

  const RESPONSE_EXAMPLES: [unknown, string][] = [
    [S.ClusterExecutionResult, 'ClusterExecutionResult'],
    [S.ClusterExecutionCentroid, 'ClusterExecutionCentroid'],
    [S.ClusterExecutionMetrics, 'ClusterExecutionMetrics'],
    [S.ClusterExecutionListStats, 'ClusterExecutionListStats'],
    [S.ListClusterExecutionsResponse, 'ListClusterExecutionsResponse'],
    [S.TaskResponse, 'TaskResponse'],
    [S.ErrorResponse, 'ErrorResponse'],
    [S.DocumentResponse, 'DocumentResponse'],
    [S.BlobURLRef, 'BlobURLRef'],
  ];
  for (const [schema, name] of RESPONSE_EXAMPLES) {
    test(`the reference examples of ${name} satisfy our response schema`, () => {
      const validate = responseAjv.compile(schema as object);
      for (const example of examples(name)) assert.ok(validate(example), `${JSON.stringify(example)}\n${JSON.stringify(validate.errors)}`);
    });
  }
});

describe('seed-era execution responses', () => {
  test('a completed execution with noise and sub-cluster centroids satisfies ClusterExecutionResult', () => {
    const validate = responseAjv.compile(S.ClusterExecutionResult);
    const result: S.ClusterExecutionResult = {
      run_id: 'run_a8e270953254754b',
      cluster_id: 'clust_ae3e28a429',
      status: 'completed',
      num_clusters: 3,
      num_points: 100,
      metrics: { silhouette_score: 0.85, davies_bouldin_index: 0.42, calinski_harabasz_score: 1234.56, silhouette_sample_size: null },
      centroids: [
        { cluster_id: 'cl_0', num_members: 60, label: 'Reviews', summary: null, keywords: ['a'], mean_cosine_similarity: 0.9, min_cosine_similarity: 0.5 },
        { cluster_id: 'cl_0_sub_1', num_members: 30 },
        { cluster_id: 'cl_-1', num_members: 10, mean_cosine_similarity: null, min_cosine_similarity: null },
      ],
      created_at: '2025-11-13T13:20:40.122Z',
      completed_at: '2025-11-13T13:25:40.122Z',
      error_message: null,
      llm_labeling_errors: null,
      task_id: 'task_1',
      started_at: '2025-11-13T13:20:41.000Z',
      execution_time_ms: 299122,
    };
    assert.ok(validate(result), JSON.stringify(validate.errors));
  });

  test('a response with a malformed run id or centroid id is caught by the contract schema', () => {
    const validate = responseAjv.compile(S.ClusterExecutionResult);
    const base = { run_id: 'run_1', cluster_id: 'clust_1', status: 'pending', num_clusters: 0, num_points: 0, created_at: '2025-11-13T13:20:40Z' };
    assert.ok(validate(base));
    assert.equal(validate({ ...base, run_id: 'run-1' }), false);
    assert.equal(validate({ ...base, centroids: [{ cluster_id: 'cluster_0', num_members: 1 }] }), false);
    assert.equal(validate({ ...base, status: 'canceled' }), false);
  });
});
