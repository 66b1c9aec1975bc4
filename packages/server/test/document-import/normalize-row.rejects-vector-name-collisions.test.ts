import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow } from '../../src/services/document-import/index.ts';

function collisions(value: unknown) {
  const r = normalizeImportRow(value, 4);
  assert.ok(!r.ok, 'expected the row to be rejected');
  return r.errors;
}

test('a top-level name equal to a feature key collides', () => {
  const errs = collisions({ vectors: { 'clip/image': [1] }, features: [{ feature_extractor_id: 'clip', vectors: { image: [2] } }] });
  assert.deepEqual(errs.map((e) => [e.type, e.loc]), [['value_error', ['body', 4, 'features', 0, 'vectors', 'image']]]);
  assert.match(errs[0].msg, /vector name 'clip\/image' is used twice in this row, by vectors\.clip\/image and by features\[0\]\.vectors\.image; rename one/);
});

test('a plain-array feature vector collides with a top-level vector named after the extractor', () => {
  const errs = collisions({ vectors: { e5: [1] }, features: [{ feature_extractor_id: 'e5', vectors: [2] }] });
  assert.equal(errs.length, 1);
  assert.deepEqual(errs[0].loc, ['body', 4, 'features', 0, 'vectors']);
  assert.match(errs[0].msg, /'e5' is used twice.*by vectors\.e5 and by features\[0\]\.vectors;/);
});

test('two features with the same extractor id and vector name collide', () => {
  const errs = collisions({
    features: [
      { feature_extractor_id: 'clip', vectors: { image: [1] } },
      { feature_extractor_id: 'clip', vectors: { image: [2], text: [3] } },
    ],
  });
  assert.deepEqual(errs.map((e) => e.loc), [['body', 4, 'features', 1, 'vectors', 'image']]);
});

test('the same extractor id with different vector names does not collide', () => {
  const r = normalizeImportRow(
    {
      vectors: { clip: [0] },
      features: [
        { feature_extractor_id: 'clip', vectors: { image: [1] } },
        { feature_extractor_id: 'clip', vectors: { text: [2] } },
      ],
    },
    0,
  );
  assert.ok(r.ok);
  assert.deepEqual([...r.row.vectors.keys()], ['clip', 'clip/image', 'clip/text']);
});
