import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import * as S from '../../src/http/schemas/index.ts';
import { type MirrorAllowances, SKIP_WITHOUT_REFERENCE, component, mirrorDifferences, plain, signature } from './reference.ts';

/**
 * [our schema, reference component, deliberate differences]. Each allowance is a design decision:
 * - filters: FilterGroup is shallow on purpose; the filter parser checks it deeply and also
 *   accepts the {operator, conditions} dialect.
 * - *_parameters / algorithm_params: loose here, checked per clustering_method afterwards.
 * - description / metadata / task_id / started_at / execution_time_ms / silhouette_sample_size /
 *   algorithm_details / parent_cluster_id / attribute_values / feature_uri / hierarchy (sub-clusters) / projection (map coordinates):
 *   Centroid extensions.
 * - centroids / cluster_id patterns: the 0.82 seed documents win over the 0.81 reference.
 */
const MIRRORS: [unknown, string, MirrorAllowances?][] = [
  [S.WeightLearningConfig, 'WeightLearningConfig'],
  [S.AttributeBasedConfig, 'AttributeBasedConfig'],
  [S.VectorBasedConfig, 'VectorBasedConfig-Input', { differs: ['kmeans_parameters', 'dbscan_parameters', 'hdbscan_parameters', 'algorithm_params'], extra: ['hierarchy', 'projection'] }],
  [
    S.CreateClusterRequest,
    'CreateClusterRequest',
    { differs: ['filters', 'vector_config'], extra: ['description', 'metadata'] },
  ],
  [S.PatchClusterRequest, 'PatchClusterRequest', { extra: ['description'] }],
  [S.ListClustersRequest, 'ListClustersRequest', { differs: ['filters'] }],
  [S.ClusterListStats, 'ClusterListStats'],
  [S.ListClustersResponse, 'ListClustersResponse', { differs: ['results'] }],
  [
    S.ClusterMetadata,
    'ClusterMetadata',
    { extra: ['description'], extraRequired: ['cluster_id', 'status', 'created_at', 'updated_at'] },
  ],
  [S.ClusterStats, 'ClusterStats'],
  [S.ClusterModel, 'ClusterModel', { differs: ['filters', 'vector_config'], extra: ['description'] }],
  [S.LLMLabeling, 'LLMLabeling-Input'],
  [S.LLMLabeling, 'LLMLabeling-Output'],
  [S.LLMLabelingInput, 'LLMLabelingInput-Input'],
  [S.InputMapping, 'InputMapping'],
  [S.SourceEnrichmentConfig, 'SourceEnrichmentConfig'],
  [S.EnrichmentFieldMapping, 'EnrichmentFieldMapping'],
  [S.ClusterExecutionMetrics, 'ClusterExecutionMetrics', { extra: ['silhouette_sample_size'] }],
  [S.ClusterExecutionCentroid, 'ClusterExecutionCentroid', { differs: ['cluster_id'], extra: ['mean_cosine_similarity', 'min_cosine_similarity', 'parent_cluster_id', 'attribute_values', 'feature_uri'] }],
  [S.ClusterExecutionResult, 'ClusterExecutionResult', { differs: ['centroids', 'metrics'], extra: ['task_id', 'started_at', 'execution_time_ms', 'algorithm_details'] }],
  [S.ListClusterExecutionsRequest, 'ListClusterExecutionsRequest', { differs: ['filters'] }],
  [S.ClusterExecutionListStats, 'ClusterExecutionListStats'],
  [S.ListClusterExecutionsResponse, 'ListClusterExecutionsResponse', { differs: ['results'] }],
  [S.TaskResponse, 'TaskResponse'],
  [S.ListTasksRequest, 'ListTasksRequest', { differs: ['filters'] }],
  [S.ListTasksResponse, 'ListTasksResponse'],
  [S.PaginationResponse, 'PaginationResponse'],
  [S.SortOption, 'SortOption'],
  [S.ErrorDetail, 'ErrorDetail', { extra: ['code'] }],
  [S.ErrorResponse, 'ErrorResponse', { differs: ['error'] }],
  [S.ValidationError, 'ValidationError'],
  [S.HTTPValidationError, 'HTTPValidationError'],
  [S.GenericDeleteResponse, 'GenericDeleteResponse'],
  [S.NamespaceInfrastructure, 'NamespaceInfrastructure'],
  [S.PayloadIndexConfig, 'PayloadIndexConfig-Input', { differs: ['field_schema'] }],
  [
    S.CreateNamespaceRequest,
    'CreateNamespaceRequest',
    { differs: ['namespace_name', 'feature_extractors', 'payload_indexes'], extra: ['description'], notRequired: ['feature_extractors'] },
  ],
  [
    S.NamespaceModel,
    'NamespaceModel',
    {
      differs: ['feature_extractors', 'payload_indexes'],
      extra: ['description'],
      extraRequired: ['namespace_id', 'document_count', 'collection_count', 'created_at', 'updated_at'],
    },
  ],
  [
    S.DocumentCreateRequest,
    'DocumentCreateRequest',
    { differs: ['features'], extra: ['document_id', 'vectors'], notRequired: ['collection_id'] },
  ],
  [S.LineageStep, 'LineageStep'],
  [S.BlobURLRef, 'BlobURLRef'],
  [S.ListDocumentsRequest, 'ListDocumentsRequest', { differs: ['filters'] }],
  [S.DocumentListStats, 'DocumentListStats'],
  [S.ListDocumentsResponse, 'ListDocumentsResponse', { differs: ['results', 'groups'] }],
  [S.DocumentResponse, 'DocumentResponse', { differs: ['_internal'], extra: ['metadata', 'features', 'vectors', 'created_at', 'updated_at'] }],
];

const ENUMS: [unknown, string][] = [
  [S.ClusteringAlgorithm, 'ClusteringAlgorithm'],
  [S.ClusterType, 'ClusterType'],
  [S.TaskStatus, 'TaskStatusEnum'],
  [S.TaskType, 'TaskType'],
  [S.LLMProvider, 'LLMProvider'],
  [S.OpenAIModel, 'OpenAIModel'],
  [S.GoogleModel, 'GoogleModel'],
  [S.AnthropicModel, 'AnthropicModel'],
  [S.InputSourceType, 'InputSourceType'],
  [S.FilterOperator, 'FilterOperator'],
  [S.SortDirection, 'SortDirection'],
  [S.PayloadSchemaType, 'PayloadSchemaType'],
  [S.ComputeTier, 'ComputeTier'],
];

type Json = Record<string, unknown>;
/** A schema as plain JSON, for reading keywords TypeBox's static types do not expose. */
const json = (schema: unknown) => plain(schema) as Json;

const schemaExports = Object.entries(S as Record<string, unknown>)
  .filter(([, value]) => typeof value === 'object' && value !== null && !Array.isArray(value))
  .map(([name, value]) => [name, value as Json] as const);

describe('schemas against the reference', { skip: SKIP_WITHOUT_REFERENCE }, () => {
  for (const [ours, name, allow] of MIRRORS) {
    test(`${name} is mirrored field for field, apart from documented deviations`, () => {
      assert.deepEqual(mirrorDifferences(ours, name, allow), []);
    });
  }

  test('every enum lists exactly the reference values in the reference order', () => {
    for (const [ours, name] of ENUMS) assert.deepEqual(signature(plain(ours)), signature(component(name)), name);
  });

  test('mirrored schemas carry the title of their reference component', () => {
    for (const [ours, name] of [...MIRRORS, ...ENUMS]) {
      assert.equal(json(ours).title, component(name).title, name);
    }
  });

  test('run and cluster ids keep the reference patterns while centroid ids follow the 0.82 seed', () => {
    const pattern = (schema: unknown, prop: string) => ((json(schema).properties as Record<string, Json>)[prop].pattern as string);
    const result = component('ClusterExecutionResult');
    assert.equal(pattern(S.ClusterExecutionResult, 'run_id'), pattern(result, 'run_id'));
    assert.equal(pattern(S.ClusterExecutionResult, 'cluster_id'), pattern(result, 'cluster_id'));
    const ours = pattern(S.ClusterExecutionCentroid, 'cluster_id');
    assert.notEqual(pattern(component('ClusterExecutionCentroid'), 'cluster_id'), ours);
    for (const id of ['cl_0', 'cl_12', 'cl_-1', 'cl_0_sub_1', 'cl_0_sub_1_sub_0', 'cl_cluster_noise']) assert.match(id, new RegExp(ours));
    for (const id of ['cl_', 'cl_a', 'cluster_0', 'cl_0_sub_']) assert.doesNotMatch(id, new RegExp(ours));
  });
});

describe('schemas on their own', () => {
  test('every exported object schema has a title for OpenAPI readers', () => {
    const untitled = schemaExports.filter(([, s]) => s.type === 'object' && typeof s.title !== 'string').map(([n]) => n);
    assert.deepEqual(untitled, []);
  });

  test('every exported schema compiles under AJV strict mode, so a misspelt keyword fails here', () => {
    const ajv = new Ajv({ strict: true, strictTypes: true, strictRequired: true, allErrors: true, addUsedSchema: false });
    formatsModule.default.default(ajv);
    const failures: string[] = [];
    for (const [name, schema] of schemaExports) {
      try {
        ajv.compile(schema as object);
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(schemaExports.length > 60, `expected the full schema set, saw ${schemaExports.length}`);
  });

  test('request bodies refuse unknown keys while free-form fields stay open', () => {
    const bodies = [
      S.CreateClusterRequest, S.PatchClusterRequest, S.ListClustersRequest, S.CreateNamespaceRequest, S.CreateCollectionRequest,
      S.DocumentCreateRequest, S.ListDocumentsRequest, S.ListClusterExecutionsRequest, S.ListTasksRequest,
    ];
    for (const body of bodies) assert.equal(json(body).additionalProperties, false, String(json(body).title));
    assert.equal(json(S.FilterGroup).additionalProperties, true);
    assert.equal(json(S.LLMLabeling.properties.parameters).additionalProperties, true);
    assert.deepEqual(json(S.VectorBasedConfig.properties.algorithm_params).anyOf, [{ type: 'object', additionalProperties: true }, { type: 'null' }]);
  });
});
