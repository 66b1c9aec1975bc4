import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByAttributes } from '../../src/compute/attribute-grouping.ts';

const category = ['tv', 'phone', 'phone', 'tv', 'phone', undefined];
const brand = ['sony', 'apple', 'samsung', 'sony', 'apple', 'apple'];

test('flat grouping makes one cluster per distinct combination, largest first, missing values as their own group', () => {
  const g = groupByAttributes([category, brand], { attributes: ['category', 'brand'], hierarchical_grouping: false, aggregation_method: 'most_frequent' });
  assert.deepEqual(
    g.clusters.map((c) => [c.cluster_id, c.label, c.num_members, c.parent_cluster_id]),
    [
      // Equal sizes are ordered by value, missing values last.
      ['cl_0', 'phone_apple', 2, null],
      ['cl_1', 'tv_sony', 2, null],
      ['cl_2', 'phone_samsung', 1, null],
      ['cl_3', '(missing)_apple', 1, null],
    ],
  );
  assert.deepEqual(g.assignments, ['cl_1', 'cl_0', 'cl_2', 'cl_1', 'cl_0', 'cl_3']);
  assert.deepEqual(g.clusters[0]!.attribute_values, { category: 'phone', brand: 'apple' });
  assert.deepEqual(g.clusters[3]!.attribute_values, { category: null, brand: 'apple' });
});

test('hierarchical grouping nests children as cl_P_sub_C and assigns documents to the deepest level', () => {
  const g = groupByAttributes([category, brand], { attributes: ['category', 'brand'], hierarchical_grouping: true, aggregation_method: 'most_frequent' });
  const byId = Object.fromEntries(g.clusters.map((c) => [c.cluster_id, c]));
  assert.equal(byId.cl_0!.label, 'phone');
  assert.equal(byId.cl_0!.num_members, 3);
  assert.equal(byId.cl_1!.label, 'tv');
  assert.equal(byId.cl_2!.label, '(missing)');
  assert.deepEqual([byId.cl_0_sub_0!.label, byId.cl_0_sub_0!.num_members, byId.cl_0_sub_0!.parent_cluster_id], ['apple', 2, 'cl_0']);
  assert.deepEqual([byId.cl_0_sub_1!.label, byId.cl_0_sub_1!.num_members], ['samsung', 1]);
  assert.deepEqual(byId.cl_0_sub_1!.attribute_values, { category: 'phone', brand: 'samsung' });
  assert.deepEqual(g.assignments, ['cl_1_sub_0', 'cl_0_sub_0', 'cl_0_sub_1', 'cl_1_sub_0', 'cl_0_sub_0', 'cl_2_sub_0']);
  // Every document sits in a leaf, and each parent counts exactly its children's members.
  for (const parent of g.clusters.filter((c) => c.parent_cluster_id === null)) {
    const children = g.clusters.filter((c) => c.parent_cluster_id === parent.cluster_id);
    assert.equal(children.reduce((s, c) => s + c.num_members, 0), parent.num_members);
  }
});

test('list-valued attributes are reduced by aggregation_method', () => {
  const tags = [['a', 'b'], ['b', 'c'], ['c', 'b'], ['b'], []];
  const pick = (method: 'first' | 'last' | 'most_frequent') =>
    groupByAttributes([tags], { attributes: ['tags'], hierarchical_grouping: false, aggregation_method: method }).clusters.map((c) => [c.label, c.num_members]);
  // 'b' appears in four documents' lists, so most_frequent puts every list holding it in 'b'.
  assert.deepEqual(pick('most_frequent'), [['b', 4], ['(missing)', 1]]);
  assert.deepEqual(pick('first'), [['b', 2], ['a', 1], ['c', 1], ['(missing)', 1]]);
  assert.deepEqual(pick('last'), [['b', 3], ['c', 1], ['(missing)', 1]]);
});
