import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImportFormatError, readImportRows, VectorDimensionCheck } from '../../src/services/document-import/index.ts';
import type { ImportRowResult } from '../../src/services/document-import/index.ts';
import { cutAt, fromPieces, rejection } from './helpers.ts';

async function read(body: string, format: 'json-array' | 'ndjson', check?: VectorDimensionCheck, maxRowBytes = 4096) {
  const out: ImportRowResult[] = [];
  for await (const r of readImportRows(fromPieces(cutAt(Buffer.from(body), 5, 17)), format, { maxRowBytes }, check)) out.push(r);
  return out;
}

test('good rows come out normalised and bad ones as issues, in body order', async () => {
  const lines = [
    '{"document_id":"a","vectors":{"e":[1,2]}}',
    '{"document_id":"b","vectors":{"e":[1,2,3]}}',
    '{"document_id":"c", oops}',
    '{"document_id":"d d"}',
    `{"document_id":"e","metadata":{"pad":"${'p'.repeat(200)}"}}`,
    '{"document_id":"f","vectors":{"e":[3,4]},"features":[{"feature_extractor_id":"x","vectors":[1]}]}',
  ];
  const check = new VectorDimensionCheck(new Map([['x', 1]]));
  const got = await read(lines.join('\n'), 'ndjson', check, 200);
  assert.deepEqual(
    got.map((r) => r.index),
    [0, 1, 2, 3, 4, 5],
  );
  const kinds = got.map((r) => ('row' in r ? 'row' : r.issues.map((i) => `${i.type}@${i.loc.join('.')}`).join(',')));
  assert.deepEqual(kinds, [
    'row',
    'dimension_mismatch@body.1.vectors.e',
    'json_invalid@body.2',
    'string_pattern_mismatch@body.3.document_id',
    'too_long@body.4',
    'row',
  ]);
  const last = got[5];
  assert.ok('row' in last);
  assert.equal(last.row.documentId, 'f');
  assert.deepEqual([...last.row.vectors.keys()], ['e', 'x']);
  const invalid = got[2];
  assert.ok('issues' in invalid);
  assert.match(invalid.issues[0].msg, /^row 2 \(line 3\): invalid JSON: /);
  assert.deepEqual(check.newDimensions(), new Map([['e', 2]]));
});

test('without a check passed in, dimensions are still kept consistent within the import', async () => {
  const got = await read('[{"vectors":{"e":[1]}}, {"vectors":{"e":[1,2]}}]', 'json-array');
  assert.ok('row' in got[0]);
  assert.ok('issues' in got[1]);
});

test('a broken body surfaces as ImportFormatError after the rows before it', async () => {
  const got: ImportRowResult[] = [];
  const error = await rejection(
    (async () => {
      for await (const r of readImportRows(fromPieces([Buffer.from('[{"document_id":"a"}, {"document_id"')]), 'json-array', { maxRowBytes: 1024 })) {
        got.push(r);
      }
    })(),
  );
  assert.ok(error instanceof ImportFormatError);
  assert.equal(got.length, 1);
});

test('stopping early releases the source instead of reading it to the end', async () => {
  let produced = 0;
  let released = false;
  async function* endless(): AsyncGenerator<Buffer> {
    try {
      yield Buffer.from('[');
      for (;;) {
        produced++;
        yield Buffer.from('{"document_id":1},');
      }
    } finally {
      released = true;
    }
  }
  let issues = 0;
  for await (const r of readImportRows(endless(), 'json-array', { maxRowBytes: 1024 })) {
    if ('issues' in r && ++issues === 3) break;
  }
  assert.equal(released, true);
  assert.ok(produced <= 4, `read ${produced} chunks`);
});
