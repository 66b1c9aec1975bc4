import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutAt, split, values } from './helpers.ts';

const body = Buffer.from('\r\n{"a":1}\r\n\r\n   \n{"b":[1,2]}\n\t\n{"c":"x\\ny"}\r\n\n{"d":null}');

test('blank lines are skipped and do not use up row indexes', async () => {
  const rows = await split([body], 'ndjson');
  assert.deepEqual(rows, [
    { index: 0, value: { a: 1 } },
    { index: 1, value: { b: [1, 2] } },
    { index: 2, value: { c: 'x\ny' } },
    { index: 3, value: { d: null } },
  ]);
});

test('CRLF line ends split the same way wherever the chunk boundary falls', async () => {
  const expected = [{ a: 1 }, { b: [1, 2] }, { c: 'x\ny' }, { d: null }];
  for (let at = 0; at <= body.length; at++) {
    assert.deepEqual(values(await split(cutAt(body, at), 'ndjson')), expected, `cut at ${at}`);
  }
});

test('the last line needs no newline, and may end with a lone CR', async () => {
  assert.deepEqual(values(await split([Buffer.from('{"a":1}\n{"b":2}\r')], 'ndjson')), [{ a: 1 }, { b: 2 }]);
});

test('error messages give the line number, which counts blank lines', async () => {
  const rows = await split([Buffer.from('{"a":1}\n\n\n{oops}\n')], 'ndjson');
  assert.equal(rows.length, 2);
  const bad = rows[1];
  assert.ok('error' in bad);
  assert.equal(bad.index, 1);
  assert.match(bad.error, /^row 1 \(line 4\): invalid JSON: /);
});
