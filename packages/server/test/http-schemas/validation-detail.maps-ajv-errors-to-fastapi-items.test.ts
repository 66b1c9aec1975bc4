import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from 'typebox';
import * as S from '../../src/http/schemas/index.ts';
import {
  MAX_DETAIL_ITEMS,
  createRequestAjv,
  toValidationDetail,
  type ValidationPart,
} from '../../src/http/validation/index.ts';

const bodyAjv = createRequestAjv('body');
const queryAjv = createRequestAjv('querystring');

function detail(schema: unknown, data: unknown, part: ValidationPart = 'body') {
  const ajv = part === 'body' ? bodyAjv : queryAjv;
  const validate = ajv.compile(schema as object);
  assert.equal(validate(data), false, 'expected the input to be invalid');
  return toValidationDetail(validate.errors ?? [], part, { input: data });
}

const VALID_CLUSTER = { collection_ids: ['col_a'], vector_config: { clustering_method: 'kmeans' } };

describe('AJV errors become FastAPI validation items', () => {
  test('a missing required field is reported as missing at its own location', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, { vector_config: { feature_uri: 'x' } }), [
      { loc: ['body', 'collection_ids'], msg: 'Field required', type: 'missing' },
      { loc: ['body', 'vector_config', 'clustering_method'], msg: 'Field required', type: 'missing' },
    ]);
  });

  test('a missing body is reported once, at the body itself', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, null), [{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
  });

  test('an unknown key is extra_forbidden at that key, with a suggestion when it looks like a typo', () => {
    const items = detail(S.CreateClusterRequest, { ...VALID_CLUSTER, cluster_nme: 'x', colour: 'red' });
    assert.deepEqual(items, [
      { loc: ['body', 'cluster_nme'], msg: "Extra inputs are not permitted; did you mean 'cluster_name'?", type: 'extra_forbidden' },
      { loc: ['body', 'colour'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
    ]);
  });

  test('a quoted number in a JSON body is refused as int_type and the message says to drop the quotes', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, { ...VALID_CLUSTER, vector_config: { clustering_method: 'kmeans', sample_size: '5' } }), [
      {
        loc: ['body', 'vector_config', 'sample_size'],
        msg: 'Input should be a valid integer; send a JSON number without quotes, e.g. 5',
        type: 'int_type',
      },
    ]);
  });

  test('wrong scalar types map to the pydantic error types', () => {
    const schema = Type.Object({
      i: Type.Integer(),
      f: Type.Number(),
      s: Type.String(),
      b: Type.Boolean(),
      o: Type.Object({}),
      a: Type.Array(Type.String()),
    });
    const items = detail(schema, { i: 1.5, f: 'x', s: 5, b: 'true', o: [], a: {} });
    assert.deepEqual(
      items.map((i) => [i.loc[1], i.type]),
      [['i', 'int_from_float'], ['f', 'float_type'], ['s', 'string_type'], ['b', 'bool_type'], ['o', 'dict_type'], ['a', 'list_type']],
    );
    assert.equal(items.find((i) => i.loc[1] === 's')?.msg, 'Input should be a valid string; put the value in quotes, e.g. "5"');
    assert.equal(items.find((i) => i.loc[1] === 'b')?.msg, 'Input should be a valid boolean; send true without quotes');
  });

  test('an enum violation lists the allowed values the way pydantic does', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, { ...VALID_CLUSTER, cluster_type: 'graph' }), [
      { loc: ['body', 'cluster_type'], msg: "Input should be 'vector' or 'attribute'", type: 'enum' },
    ]);
  });

  test('a number given for an enum reports the choices, not a second type error', () => {
    assert.deepEqual(detail(S.SortOption, { field: 'x', direction: 1 }), [
      { loc: ['body', 'direction'], msg: "Input should be 'asc' or 'desc'", type: 'enum' },
    ]);
  });

  test('bounds produce greater_than_equal, less_than_equal and greater_than with the limit in the message', () => {
    const items = detail(S.KMeansParams, { n_clusters: 1, max_iter: 10001, tol: 0 });
    assert.deepEqual(items, [
      { loc: ['body', 'n_clusters'], msg: 'Input should be greater than or equal to 2', type: 'greater_than_equal' },
      { loc: ['body', 'max_iter'], msg: 'Input should be less than or equal to 10000', type: 'less_than_equal' },
      { loc: ['body', 'tol'], msg: 'Input should be greater than 0', type: 'greater_than' },
    ]);
  });

  test('string and list length limits and patterns use the pydantic wording', () => {
    assert.deepEqual(detail(S.CreateNamespaceRequest, { namespace_name: '' }), [
      { loc: ['body', 'namespace_name'], msg: 'String should have at least 1 character', type: 'string_too_short' },
      { loc: ['body', 'namespace_name'], msg: "String should match pattern '^[A-Za-z0-9_-]+$'", type: 'string_pattern_mismatch' },
    ]);
    assert.deepEqual(detail(S.CreateNamespaceRequest, { namespace_name: 'x'.repeat(129) }), [
      { loc: ['body', 'namespace_name'], msg: 'String should have at most 128 characters', type: 'string_too_long' },
    ]);
    assert.deepEqual(detail(S.CreateClusterRequest, { collection_ids: [] }), [
      { loc: ['body', 'collection_ids'], msg: 'List should have at least 1 item after validation, not 0', type: 'too_short' },
    ]);
  });

  test('a nullable field of the wrong type gives one error, not one per union branch', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, { ...VALID_CLUSTER, cluster_name: 42 }), [
      { loc: ['body', 'cluster_name'], msg: 'Input should be a valid string; put the value in quotes, e.g. "42"', type: 'string_type' },
    ]);
    assert.deepEqual(detail(S.CreateClusterRequest, { ...VALID_CLUSTER, llm_labeling: 'yes' }), [
      { loc: ['body', 'llm_labeling'], msg: 'Input should be a valid dictionary (a JSON object)', type: 'dict_type' },
    ]);
  });

  test('errors inside a nullable object are reported from the object branch only', () => {
    assert.deepEqual(detail(S.CreateClusterRequest, { ...VALID_CLUSTER, llm_labeling: { enabled: 'on', labeling_inputs: { input_mappings: [] } } }), [
      { loc: ['body', 'llm_labeling', 'enabled'], msg: 'Input should be a valid boolean', type: 'bool_type' },
      {
        loc: ['body', 'llm_labeling', 'labeling_inputs', 'input_mappings'],
        msg: 'List should have at least 1 item after validation, not 0',
        type: 'too_short',
      },
    ]);
  });

  test('an unknown model name across three provider enums is one enum error listing every model', () => {
    const [item, ...rest] = detail(S.CreateClusterRequest, { ...VALID_CLUSTER, llm_labeling: { model_name: 'gpt-5' } });
    assert.deepEqual(rest, []);
    assert.deepEqual(item.loc, ['body', 'llm_labeling', 'model_name']);
    assert.equal(item.type, 'enum');
    for (const model of ['gpt-4o-mini-2024-07-18', 'gemini-2.0-flash', 'claude-3-5-haiku-20241022']) assert.ok(item.msg.includes(`'${model}'`), model);
  });

  test('array positions in loc are integers while numeric object keys stay strings', () => {
    const items = detail(S.DocumentCreateRequest, {
      features: [
        { feature_extractor_id: 'a', vectors: [0.1, 'x'] },
        { feature_extractor_id: 'b', vectors: { '0': [0.1, null] } },
      ],
    });
    assert.deepEqual(items, [
      { loc: ['body', 'features', 0, 'vectors', 1], msg: 'Input should be a valid number', type: 'float_type' },
      { loc: ['body', 'features', 1, 'vectors', '0', 1], msg: 'Input should be a valid number', type: 'float_type' },
    ]);
  });

  test('query-string values that cannot be parsed use the *_parsing types', () => {
    const items = detail(S.ListQuery, { limit: 'ten', include_total: 'maybe', page_size: '101' }, 'query');
    assert.deepEqual(items, [
      { loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing' },
      { loc: ['query', 'include_total'], msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing' },
      { loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' },
    ]);
  });

  test('a malformed timestamp says which format is expected', () => {
    assert.deepEqual(detail(S.LineageStep, { collection_id: 'c', feature_extractor_id: 'f', timestamp: 'yesterday' }), [
      { loc: ['body', 'timestamp'], msg: 'Input should be a valid datetime, e.g. 2025-01-31T12:00:00Z', type: 'datetime_parsing' },
    ]);
  });

  test('identical items are reported once and a flood is capped with a closing note', () => {
    const vector = Array.from({ length: 1000 }, () => 'x');
    const items = detail(S.DocumentCreateRequest, { features: [{ feature_extractor_id: 'a', vectors: vector }] });
    assert.equal(items.length, MAX_DETAIL_ITEMS);
    assert.equal(new Set(items.map((i) => JSON.stringify(i))).size, items.length);
    assert.deepEqual(items.at(-1), {
      loc: ['body'],
      msg: `${1000 - MAX_DETAIL_ITEMS + 1} more errors not shown; fix the ones above and send the request again`,
      type: 'too_many_errors',
    });
  });

  test('no errors map to no items', () => {
    assert.deepEqual(toValidationDetail([], 'body'), []);
    assert.deepEqual(toValidationDetail(null, 'query'), []);
  });
});
