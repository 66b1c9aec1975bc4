import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import * as S from '../../src/http/schemas/index.ts';
import { RequestValidationError } from '../../src/domain/errors.ts';
import { createValidatorCompiler, validationDetailFromError } from '../../src/http/validation/index.ts';

type Part = 'body' | 'querystring' | 'params' | 'headers';
type Outcome = { value?: unknown; error?: Error & { issues?: unknown[]; statusCode?: number } };

function compile(schema: unknown, httpPart: Part, compiler = createValidatorCompiler()) {
  return compiler({ schema, httpPart, method: 'POST', url: '/test' }) as unknown as (data: unknown) => Outcome;
}

describe('the validator compiler', () => {
  test('the string "5" for an integer is refused in a body and accepted as 5 in a query string', () => {
    const body = compile(S.ListQuery, 'body')({ limit: '5' });
    assert.ok(body.error instanceof RequestValidationError);
    assert.deepEqual(body.error.issues, [
      { loc: ['body', 'limit'], msg: 'Input should be a valid integer; send a JSON number without quotes, e.g. 5', type: 'int_type' },
    ]);
    const query = compile(S.ListQuery, 'querystring')({ limit: '5', include_total: 'true' });
    assert.equal(query.error, undefined);
    assert.deepEqual(query.value, { limit: 5, include_total: true });
  });

  test('query-string defaults are applied and path parameters report loc "path"', () => {
    assert.deepEqual(compile(S.ExecutionArtifactsQuery, 'querystring')({}).value, { include_centroids: true, include_members: false, limit: 1000, projection_method: '2d', format: 'json', representatives: 5 });
    const params = compile(S.RunIdParams, 'params')({ cluster_id: 'clust_1' });
    assert.deepEqual(params.error?.issues, [{ loc: ['path', 'run_id'], msg: 'Field required', type: 'missing' }]);
  });

  test('an absent body counts as {} when nothing is required, and as missing otherwise', () => {
    assert.deepEqual(compile(S.ListClustersRequest, 'body')(null).value, {});
    assert.deepEqual(compile(S.ListDocumentsRequest, 'body')(undefined).value, { return_url: false, return_vectors: false });
    assert.deepEqual(compile(S.CreateClusterRequest, 'body')(null).error?.issues, [{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
  });

  test('defaults nested in nullable objects are filled after validation', () => {
    const { value } = compile(S.CreateClusterRequest, 'body')({
      collection_ids: ['col_a'],
      vector_config: { clustering_method: 'kmeans', weight_learning_config: {} },
      llm_labeling: { enabled: true, labeling_inputs: { input_mappings: [{ input_key: 'text', path: 'title' }] } },
    }) as { value: S.CreateClusterRequest };
    assert.equal(value.cluster_type, 'vector');
    assert.deepEqual(value.vector_config?.weight_learning_config, { method: 'bayesian', max_iterations: 20, metric: 'silhouette', random_state: 42 });
    assert.equal(value.llm_labeling?.embedding_similarity_threshold, 0.8);
    assert.equal(value.llm_labeling?.include_keywords, true);
    assert.equal(value.llm_labeling?.parameters, undefined, 'no default in the reference, so none invented');
  });

  test('a failure carries status 422, the raw AJV errors and the request part', () => {
    const { error } = compile(S.PatchClusterRequest, 'body')({ cluster_name: 1 });
    assert.ok(error instanceof RequestValidationError);
    assert.equal((error as unknown as { statusCode: number }).statusCode, 422);
    assert.equal((error as unknown as { validationContext: string }).validationContext, 'body');
    assert.ok(Array.isArray((error as unknown as { validation: unknown[] }).validation));
  });

  test('one schema object compiles once per request part and is reused across routes', () => {
    const compiler = createValidatorCompiler();
    assert.equal(compile(S.ListQuery, 'querystring', compiler), compile(S.ListQuery, 'querystring', compiler));
    assert.notEqual(compile(S.ListQuery, 'querystring', compiler), compile(S.ListQuery, 'body', compiler));
  });
});

describe('the validator compiler inside Fastify', () => {
  let app: FastifyInstance;

  before(async () => {
    app = Fastify();
    app.setValidatorCompiler(createValidatorCompiler());
    app.setErrorHandler((error, _request, reply) => {
      const detail = validationDetailFromError(error);
      if (detail) return reply.status(422).send({ detail });
      return reply.status(500).send({ message: error instanceof Error ? error.message : String(error) });
    });
    app.post('/v1/clusters/list', { schema: { body: S.ListClustersRequest, querystring: S.ListQuery } }, async (request) => ({
      body: request.body,
      query: request.query,
    }));
    app.post('/v1/clusters', { schema: { body: S.CreateClusterRequest } }, async (request) => request.body);
    await app.ready();
  });

  after(() => app.close());

  test('a list call without a body and with ?limit=5&include_total=true reaches the handler typed', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/clusters/list?limit=5&include_total=true' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { body: {}, query: { limit: 5, include_total: true } });
  });

  test('an invalid create request answers 422 with FastAPI detail items for every problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/clusters',
      payload: { collection_ids: 'col_a', vector_config: { clustering_method: 'kmeans', sample_size: '5' }, extra: 1 },
    });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      detail: [
        { loc: ['body', 'extra'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
        { loc: ['body', 'collection_ids'], msg: 'Input should be a valid list (a JSON array)', type: 'list_type' },
        {
          loc: ['body', 'vector_config', 'sample_size'],
          msg: 'Input should be a valid integer; send a JSON number without quotes, e.g. 5',
          type: 'int_type',
        },
      ],
    });
  });

  test('a bad query string answers 422 with loc starting at "query"', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/clusters/list?limit=0', payload: {} });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      detail: [{ loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' }],
    });
  });

  test('errors Fastify builds from raw AJV errors are mapped too', () => {
    const raw = Object.assign(new Error('x'), {
      validation: [{ keyword: 'required', instancePath: '', schemaPath: '#/required', params: { missingProperty: 'q' } }],
      validationContext: 'querystring',
    });
    assert.deepEqual(validationDetailFromError(raw), [{ loc: ['query', 'q'], msg: 'Field required', type: 'missing' }]);
    assert.equal(validationDetailFromError(new Error('unrelated')), undefined);
  });
});
