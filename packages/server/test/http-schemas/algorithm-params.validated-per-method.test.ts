import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateAlgorithmParams } from '../../src/http/validation/index.ts';

describe('algorithm params', () => {
  test('hdbscan params get every reference default and keep what was given', () => {
    const result = validateAlgorithmParams('hdbscan', { min_cluster_size: 10, min_samples: 5 });
    assert.deepEqual(result, {
      ok: true,
      value: {
        min_cluster_size: 10,
        min_samples: 5,
        cluster_selection_epsilon: 0,
        metric: 'euclidean',
        alpha: 1,
        cluster_selection_method: 'eom',
        allow_single_cluster: false,
        prediction_data: false,
        match_reference_implementation: false,
      },
    });
  });

  test('null params mean all defaults, and the caller\'s object is not modified', () => {
    const given = { n_clusters: 4 };
    const result = validateAlgorithmParams('kmeans', given);
    assert.ok(result.ok);
    assert.equal(result.value.n_init, 10);
    assert.deepEqual(given, { n_clusters: 4 });
    const empty = validateAlgorithmParams('gaussian_mixture', null);
    assert.ok(empty.ok);
    assert.equal(empty.value.reg_covar, 0.000001);
  });

  test('params of another method are refused with locs under algorithm_params', () => {
    const result = validateAlgorithmParams('kmeans', { eps: 0.5, n_clusters: 1 });
    assert.deepEqual(result, {
      ok: false,
      issues: [
        { loc: ['body', 'vector_config', 'algorithm_params', 'eps'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
        { loc: ['body', 'vector_config', 'algorithm_params', 'n_clusters'], msg: 'Input should be greater than or equal to 2', type: 'greater_than_equal' },
      ],
    });
  });

  test('a legacy field keeps its own loc and a near-miss key gets a suggestion', () => {
    const result = validateAlgorithmParams('dbscan', { min_sample: 3 }, ['body', 'vector_config', 'dbscan_parameters']);
    assert.deepEqual(result, {
      ok: false,
      issues: [
        {
          loc: ['body', 'vector_config', 'dbscan_parameters', 'min_sample'],
          msg: "Extra inputs are not permitted; did you mean 'min_samples'?",
          type: 'extra_forbidden',
        },
      ],
    });
  });

  test('attribute_based has no params schema, so its params pass through untouched', () => {
    assert.deepEqual(validateAlgorithmParams('attribute_based', { anything: 1 }), { ok: true, value: { anything: 1 } });
    assert.deepEqual(validateAlgorithmParams('attribute_based', undefined), { ok: true, value: {} });
  });
});
