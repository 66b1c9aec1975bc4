import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow } from '../../src/services/document-import/index.ts';
import type { ImportRow } from '../../src/services/document-import/index.ts';

function ok(value: unknown, index = 0): ImportRow {
  const r = normalizeImportRow(value, index);
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(!r.ok && r.errors)}`);
  return r.row;
}

test('top-level vectors keep their names and feature vectors are prefixed by the extractor id', () => {
  const row = ok({
    document_id: 'doc_1.a:b-c',
    metadata: { title: 'x', tags: ['a'] },
    vectors: { embedding: [0.5, -1, 2] },
    features: [
      { feature_extractor_id: 'clip', payload: { url: 'u' }, vectors: { image: [1, 2], text: [3] } },
      { feature_extractor_id: 'e5', vectors: [4, 5, 6, 7] },
      { feature_extractor_id: 'ocr', payload: { text: 'hello' } },
    ],
  });
  assert.equal(row.documentId, 'doc_1.a:b-c');
  assert.deepEqual(row.metadata, { title: 'x', tags: ['a'] });
  assert.deepEqual(row.features, [
    { feature_extractor_id: 'clip', payload: { url: 'u' } },
    { feature_extractor_id: 'e5', payload: {} },
    { feature_extractor_id: 'ocr', payload: { text: 'hello' } },
  ]);
  assert.deepEqual([...row.vectors.keys()], ['embedding', 'clip/image', 'clip/text', 'e5']);
  for (const v of row.vectors.values()) assert.ok(v instanceof Float32Array);
  assert.deepEqual([...row.vectors.get('embedding')!], [0.5, -1, 2]);
  assert.deepEqual([...row.vectors.get('clip/image')!], [1, 2]);
  assert.deepEqual([...row.vectors.get('e5')!], [4, 5, 6, 7]);
  assert.deepEqual(row.vectorLocs?.get('clip/text'), ['features', 0, 'vectors', 'text']);
  assert.deepEqual(row.vectorLocs?.get('e5'), ['features', 1, 'vectors']);
});

test('values are rounded to float32', () => {
  const row = ok({ vectors: { v: [0.1, 1e-50, 3.4028235e38, -0] } });
  const v = row.vectors.get('v')!;
  assert.equal(v[0], Math.fround(0.1));
  assert.equal(v[1], 0);
  assert.equal(v[2], Math.fround(3.4028235e38));
  assert.ok(Object.is(v[3], -0));
});

test('absent or null optional fields get defaults, and collection_id is ignored', () => {
  for (const value of [{}, { document_id: null, metadata: null, vectors: null, features: null }, { collection_id: 'col_1' }]) {
    const row = ok(value);
    assert.equal(row.documentId, null);
    assert.deepEqual(row.metadata, {});
    assert.deepEqual(row.features, []);
    assert.equal(row.vectors.size, 0);
  }
});

test('a 128-character id and a 65,536-dimension vector are within the limits', () => {
  const row = ok({ document_id: 'a'.repeat(128), vectors: { big: new Array(65_536).fill(0.25) } });
  assert.equal(row.documentId?.length, 128);
  assert.equal(row.vectors.get('big')?.length, 65_536);
});
