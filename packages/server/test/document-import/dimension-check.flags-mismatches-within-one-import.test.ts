import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow, VectorDimensionCheck } from '../../src/services/document-import/index.ts';
import type { ImportRow } from '../../src/services/document-import/index.ts';

function row(vectors: Record<string, number>): ImportRow {
  const value = { vectors: Object.fromEntries(Object.entries(vectors).map(([k, n]) => [k, new Array(n).fill(1)])) };
  const r = normalizeImportRow(value, 0);
  assert.ok(r.ok);
  return r.row;
}

test('the first row using a new name sets its dimensionality for the rest of the import', () => {
  const check = new VectorDimensionCheck(new Map());
  assert.deepEqual(check.check(row({ a: 4 }), 0), []);
  assert.deepEqual(check.check(row({ a: 4, b: 2 }), 1), []);
  const issues = check.check(row({ a: 3, b: 2 }), 2);
  assert.equal(issues.length, 1);
  assert.deepEqual(issues[0].loc, ['body', 2, 'vectors', 'a']);
  assert.equal(issues[0].type, 'dimension_mismatch');
  assert.match(issues[0].msg, /^vector 'a' has 3 values but row 0 of this import already gave 'a' 4 dimensions; re-embed/);
  assert.match(check.check(row({ b: 5 }), 3)[0].msg, /row 1 of this import already gave 'b' 2 dimensions/);
});

test('a mismatching row does not change the established dimensionality', () => {
  const check = new VectorDimensionCheck(new Map());
  check.check(row({ a: 4 }), 0);
  assert.equal(check.check(row({ a: 5 }), 1).length, 1);
  assert.equal(check.check(row({ a: 5 }), 2).length, 1);
  assert.deepEqual(check.check(row({ a: 4 }), 3), []);
});

test('newDimensions lists every name first seen in this import', () => {
  const check = new VectorDimensionCheck(new Map([['old', 8]]));
  check.check(row({ old: 8, x: 3 }), 0);
  check.check(row({ y: 6 }), 1);
  check.check(row({ x: 4 }), 2);
  assert.deepEqual(check.newDimensions(), new Map([['x', 3], ['y', 6]]));
});
