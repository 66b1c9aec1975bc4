import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow } from '../../src/services/document-import/index.ts';
import type { RowIssue } from '../../src/services/document-import/index.ts';

function issues(value: unknown, index = 7): RowIssue[] {
  const r = normalizeImportRow(value, index);
  assert.ok(!r.ok, 'expected the row to be rejected');
  return r.errors;
}

/** The single issue for a row, checked for type, location and message. */
function only(value: unknown, type: string, loc: (string | number)[], msg: RegExp): void {
  const got = issues(value);
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.equal(got[0].type, type);
  assert.deepEqual(got[0].loc, ['body', 7, ...loc]);
  assert.match(got[0].msg, msg);
}

test('dict_type: a row, metadata, vectors, a feature or a payload that is not an object', () => {
  for (const row of [[1], 'x', 3, null, true]) only(row, 'dict_type', [], /each row must be a JSON object/);
  only({ metadata: [1] }, 'dict_type', ['metadata'], /metadata must be a JSON object, got an array; put the values in an object/);
  only({ vectors: [1, 2] }, 'dict_type', ['vectors'], /vectors must be a JSON object, got an array; map each vector name/);
  only({ features: [5] }, 'dict_type', ['features', 0], /features\[0\] must be an object with a feature_extractor_id, got a number/);
  only({ features: [{ feature_extractor_id: 'f', payload: 'p' }] }, 'dict_type', ['features', 0, 'payload'], /payload must be a JSON object, got a string/);
});

test('list_type: features that is not an array, and a vector that is not an array', () => {
  only({ features: { feature_extractor_id: 'f' } }, 'list_type', ['features'], /features must be an array.*wrap it in \[ \.\.\. \]/);
  only({ vectors: { e: '0.1,0.2' } }, 'list_type', ['vectors', 'e'], /vector 'e' must be an array of numbers, got a string; send e\.g\./);
  only({ vectors: { e: { x: 1 } } }, 'list_type', ['vectors', 'e'], /got an object/);
  only({ features: [{ feature_extractor_id: 'f', vectors: 3 }] }, 'list_type', ['features', 0, 'vectors'], /features\[0\]\.vectors must be an array of numbers or an object of named number arrays/);
});

test('missing, string_type and string_too_short for feature_extractor_id', () => {
  only({ features: [{ payload: {} }] }, 'missing', ['features', 0, 'feature_extractor_id'], /features\[0\] has no feature_extractor_id; add one/);
  only({ features: [{ feature_extractor_id: 3 }] }, 'string_type', ['features', 0, 'feature_extractor_id'], /must be a string, got a number/);
  only({ features: [{ feature_extractor_id: '' }] }, 'string_too_short', ['features', 0, 'feature_extractor_id'], /is empty/);
});

test('string_type, too_long and string_pattern_mismatch for document_id', () => {
  only({ document_id: 42 }, 'string_type', ['document_id'], /document_id must be a string, got a number; quote it, e\.g\. "42"/);
  only({ document_id: ['a'] }, 'string_type', ['document_id'], /got an array$/);
  only({ document_id: 'a'.repeat(129) }, 'too_long', ['document_id'], /129 characters long, more than 128; use a shorter id/);
  only({ document_id: 'has space' }, 'string_pattern_mismatch', ['document_id'], /contains " " at position 3; only letters, digits and _ \. : - are allowed/);
  only({ document_id: 'a/b' }, 'string_pattern_mismatch', ['document_id'], /contains "\/" at position 1/);
  only({ document_id: 'caf\u00e9' }, 'string_pattern_mismatch', ['document_id'], /contains "é" at position 3/);
  only({ document_id: '' }, 'string_pattern_mismatch', ['document_id'], /document_id is empty; leave it out/);
});

test('extra_forbidden for unknown row and feature fields, with a suggestion for near misses', () => {
  only({ vectorz: {} }, 'extra_forbidden', ['vectorz'], /unknown field 'vectorz'; allowed fields are document_id, metadata, vectors, features\. Did you mean 'vectors'\?/);
  only({ Metadata: {} }, 'extra_forbidden', ['Metadata'], /Did you mean 'metadata'\?/);
  only({ embedding: [1] }, 'extra_forbidden', ['embedding'], /unknown field 'embedding'; allowed fields are [^?]*\. Put fields of your own inside metadata\.$/);
  const long = 'k'.repeat(5000);
  only({ [long]: 1 }, 'extra_forbidden', [long], /^unknown field 'k{60}…'; allowed/);
  only(
    { features: [{ feature_extractor_id: 'f', vector: [1] }] },
    'extra_forbidden',
    ['features', 0, 'vector'],
    /unknown field 'vector' in features\[0\]; allowed fields are feature_extractor_id, payload, vectors\. Did you mean 'vectors'\?/,
  );
});

test('too_short and too_long for vector lengths', () => {
  only({ vectors: { e: [] } }, 'too_short', ['vectors', 'e'], /vector 'e' is empty; send at least one number, or leave the vector out/);
  only({ vectors: { e: new Array(65_537).fill(0) } }, 'too_long', ['vectors', 'e'], /has 65537 values, more than the 65536 dimensions/);
});

test('float_type and finite_number point at the element inside the vector', () => {
  only({ vectors: { e: [1, 2, '3'] } }, 'float_type', ['vectors', 'e', 2], /vector 'e' holds a string \("3"\) at position 2 \(counting from 0\), not a number/);
  only({ features: [{ feature_extractor_id: 'f', vectors: [1e39] }] }, 'finite_number', ['features', 0, 'vectors', 0], /vector 'f' holds 1e\+39 at position 0.*32-bit float.*rescale/);
});

test('every problem in a row is reported, not just the first', () => {
  const got = issues({ document_id: 1, metadata: 2, vectors: { a: [], b: ['x'] }, features: [{}], extra: 0 }, 3);
  assert.deepEqual(
    got.map((i) => [i.type, i.loc.join('.')]),
    [
      ['extra_forbidden', 'body.3.extra'],
      ['string_type', 'body.3.document_id'],
      ['dict_type', 'body.3.metadata'],
      ['too_short', 'body.3.vectors.a'],
      ['float_type', 'body.3.vectors.b.0'],
      ['missing', 'body.3.features.0.feature_extractor_id'],
    ],
  );
});
