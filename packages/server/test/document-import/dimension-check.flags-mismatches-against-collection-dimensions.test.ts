import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImportRow, VectorDimensionCheck } from '../../src/services/document-import/index.ts';
import type { ImportRow } from '../../src/services/document-import/index.ts';

function row(value: unknown): ImportRow {
  const r = normalizeImportRow(value, 0);
  assert.ok(r.ok);
  return r.row;
}

const dims = (n: number) => new Array<number>(n).fill(0.5);

test('a vector shorter or longer than the stored dimensionality is flagged', () => {
  const check = new VectorDimensionCheck(new Map([['embedding', 768]]));
  assert.deepEqual(check.check(row({ vectors: { embedding: dims(768) } }), 0), []);
  const short = check.check(row({ vectors: { embedding: dims(767) } }), 12);
  assert.deepEqual(short, [
    {
      loc: ['body', 12, 'vectors', 'embedding'],
      type: 'dimension_mismatch',
      msg:
        "vector 'embedding' has 767 values but this collection stores 768-dimensional 'embedding' vectors; " +
        're-embed with the same model, or store it under another vector name',
    },
  ]);
  assert.equal(check.check(row({ vectors: { embedding: dims(1024) } }), 13).length, 1);
});

test('feature vectors are located at their place in the features list', () => {
  const check = new VectorDimensionCheck(new Map([['clip/image', 4], ['e5', 3]]));
  const issues = check.check(
    row({
      features: [
        { feature_extractor_id: 'clip', vectors: { image: dims(5) } },
        { feature_extractor_id: 'e5', vectors: dims(2) },
      ],
    }),
    1,
  );
  assert.deepEqual(
    issues.map((i) => i.loc),
    [
      ['body', 1, 'features', 0, 'vectors', 'image'],
      ['body', 1, 'features', 1, 'vectors'],
    ],
  );
  assert.match(issues[0].msg, /vector 'clip\/image' has 5 values but this collection stores 4-dimensional/);
});

test('rows built without vectorLocs are located under vectors', () => {
  const check = new VectorDimensionCheck(new Map([['e', 2]]));
  const bare: ImportRow = { documentId: null, metadata: {}, features: [], vectors: new Map([['e', new Float32Array(3)]]) };
  assert.deepEqual(check.check(bare, 0)[0].loc, ['body', 0, 'vectors', 'e']);
});

test('names the collection already has are not reported as new', () => {
  const check = new VectorDimensionCheck(new Map([['embedding', 3]]));
  check.check(row({ vectors: { embedding: dims(3), other: dims(2) } }), 0);
  assert.deepEqual(check.newDimensions(), new Map([['other', 2]]));
});
