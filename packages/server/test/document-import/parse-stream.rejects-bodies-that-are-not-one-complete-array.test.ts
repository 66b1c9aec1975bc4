import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitJsonElements, ImportFormatError } from '../../src/services/document-import/index.ts';
import type { RowChunk } from '../../src/services/document-import/index.ts';
import { fromPieces, rejection } from './helpers.ts';

/** Rows yielded before the failure, and the error it failed with. */
async function failure(body: string): Promise<{ rows: RowChunk[]; error: ImportFormatError }> {
  const rows: RowChunk[] = [];
  const error = await rejection(
    (async () => {
      for await (const r of splitJsonElements(fromPieces([Buffer.from(body)]), 'json-array', { maxRowBytes: 1024 })) rows.push(r);
    })(),
  );
  assert.ok(error instanceof ImportFormatError, `expected ImportFormatError, got ${error}`);
  assert.equal(error.name, 'ImportFormatError');
  return { rows, error };
}

test('a top level that is not an array is rejected with a hint about NDJSON', async () => {
  for (const body of ['{"document_id":"a"}', ' "text"', '42', 'null', 'x']) {
    const { rows, error } = await failure(body);
    assert.equal(rows.length, 0);
    assert.match(error.message, /must be a JSON array/);
    assert.match(error.message, /application\/x-ndjson/);
  }
  const { error } = await failure('\n  {"a":1}');
  assert.equal(error.offset, 3);
  assert.match(error.message, /starts with '\{' at byte 3/);
  const bom = await failure('\ufeff {"a":1}');
  assert.equal(bom.error.offset, 4, 'offsets count the byte order mark');
});

test('an empty body is rejected', async () => {
  for (const body of ['', '  \n ']) {
    const { error } = await failure(body);
    assert.match(error.message, /empty/);
  }
});

test('an unterminated array is rejected after the complete rows are yielded', async () => {
  const cases: [string, number, RegExp][] = [
    ['[', 0, /after 0 complete rows\)/],
    ['[{"a":1}', 0, /in the middle of row 0/],
    ['[{"a":1},', 1, /after 1 complete rows\)/],
    ['[{"a":1}, {"b":[1,2', 1, /in the middle of row 1/],
    ['[{"a":1}, {"b":"unterminated string]}', 1, /in the middle of row 1/],
    ['[{"a":1}, 2', 1, /in the middle of row 1/],
  ];
  for (const [body, complete, pattern] of cases) {
    const { rows, error } = await failure(body);
    assert.equal(rows.length, complete, body);
    assert.match(error.message, /ended at byte \d+ before the closing '\]'/, body);
    assert.match(error.message, pattern, body);
    assert.equal(error.offset, Buffer.byteLength(body), body);
  }
});

test('anything but whitespace after the closing bracket is rejected', async () => {
  for (const body of ['[{"a":1}] x', '[{"a":1}][{"b":2}]', '[]\n{"a":1}', '[{"a":1}]]']) {
    const { error } = await failure(body);
    assert.match(error.message, /after the closing '\]'/, body);
    assert.match(error.message, /exactly one JSON array/, body);
  }
  const { error } = await failure('[1]  ,');
  assert.equal(error.offset, 5);
});

test('trailing and doubled commas are rejected', async () => {
  const trailing = await failure('[{"a":1},\n]');
  assert.match(trailing.error.message, /trailing comma/);
  assert.equal(trailing.rows.length, 1);
  for (const body of ['[,{"a":1}]', '[{"a":1},,{"b":2}]']) {
    const { error } = await failure(body);
    assert.match(error.message, /missing value before ','/, body);
  }
});

test('NDJSON has no array framing to get wrong', async () => {
  const rows: RowChunk[] = [];
  for await (const r of splitJsonElements(fromPieces([Buffer.from('[{"a":1}]\n')]), 'ndjson', { maxRowBytes: 1024 })) rows.push(r);
  assert.deepEqual(rows, [{ index: 0, value: [{ a: 1 }] }]);
});
