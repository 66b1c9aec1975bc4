import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow } from '../../src/services/document-import/index.ts';

function vectorIssue(values: unknown[]) {
  const r = normalizeImportRow({ vectors: { e: values } }, 0);
  assert.ok(!r.ok, `expected ${JSON.stringify(values)} to be rejected`);
  assert.equal(r.errors.length, 1, 'one issue per vector');
  return r.errors[0];
}

test('numbers beyond the float32 range are finite_number errors', () => {
  // JSON.parse turns 1e400 into Infinity, so it has to be caught here.
  const parsed = JSON.parse('[1, 1e400]') as number[];
  for (const [values, at] of [
    [[1e39], 0],
    [[0, -1e39], 1],
    [[0, 0, 3.41e38], 2],
    [parsed, 1],
    [[-Infinity], 0],
    [[NaN], 0],
  ] as const) {
    const issue = vectorIssue([...values]);
    assert.equal(issue.type, 'finite_number', JSON.stringify(values));
    assert.deepEqual(issue.loc, ['body', 0, 'vectors', 'e', at]);
  }
});

test('the largest float32 values are accepted', () => {
  const r = normalizeImportRow({ vectors: { e: [3.4028234663852886e38, -3.4028234663852886e38, 1.4e-45] } }, 0);
  assert.ok(r.ok);
  assert.deepEqual([...r.row.vectors.get('e')!], [3.4028234663852886e38, -3.4028234663852886e38, Math.fround(1.4e-45)]);
});

test('non-numbers are float_type errors, whatever their kind', () => {
  for (const [bad, kind] of [
    [true, 'a boolean'],
    ['1.5', 'a string \\("1\\.5"\\)'],
    [null, 'null'],
    [[1], 'an array'],
    [{ v: 1 }, 'an object'],
  ] as const) {
    const issue = vectorIssue([0.5, bad, 0.25]);
    assert.equal(issue.type, 'float_type');
    assert.deepEqual(issue.loc, ['body', 0, 'vectors', 'e', 1]);
    assert.match(issue.msg, new RegExp(`holds ${kind} at position 1`));
  }
});

test('a vector with many bad values gets one issue that counts the rest', () => {
  const issue = vectorIssue([1, 'a', 2, null, 1e39, 'b']);
  assert.deepEqual(issue.loc, ['body', 0, 'vectors', 'e', 1]);
  assert.match(issue.msg, /\(3 more invalid values in this vector\)$/);
});

test('long strings are shortened in the message', () => {
  const issue = vectorIssue(['z'.repeat(500)]);
  assert.ok(issue.msg.length < 300, issue.msg);
  assert.match(issue.msg, /"z{20}…"/);
});
