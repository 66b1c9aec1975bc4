import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutAt, everyByte, split, values } from './helpers.ts';

test('an empty array yields no rows', async () => {
  for (const body of ['[]', ' [ ] ', '\r\n\t[\n]\n']) {
    assert.deepEqual(await split([Buffer.from(body)], 'json-array'), [], JSON.stringify(body));
  }
});

test('an empty or all-blank NDJSON body yields no rows', async () => {
  for (const body of ['', '\n', '\n\n  \r\n\t\n']) {
    assert.deepEqual(await split([Buffer.from(body)], 'ndjson'), [], JSON.stringify(body));
  }
  assert.deepEqual(await split([], 'ndjson'), []);
});

test('whitespace around and inside elements is ignored', async () => {
  const body = Buffer.from('  [  {"a" : [ 1 , 2 ] }  ,\n\n\t{ }\r\n , 3 , "x"  ]  \n');
  assert.deepEqual(values(await split([body], 'json-array')), [{ a: [1, 2] }, {}, 3, 'x']);
});

test('empty chunks in the stream are harmless', async () => {
  const e = Buffer.alloc(0);
  const got = await split([e, Buffer.from('[{"a"'), e, e, Buffer.from(':1}]'), e], 'json-array');
  assert.deepEqual(values(got), [{ a: 1 }]);
});

test('a UTF-8 byte order mark at the start is skipped, even split across chunks', async () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  for (const [format, text] of [
    ['json-array', '[{"a":1}]'],
    ['ndjson', '{"a":1}\n'],
  ] as const) {
    const body = Buffer.concat([bom, Buffer.from(text)]);
    for (let at = 0; at <= body.length; at++) {
      assert.deepEqual(values(await split(cutAt(body, at), format)), [{ a: 1 }], `${format} cut at ${at}`);
    }
    assert.deepEqual(values(await split(everyByte(body), format)), [{ a: 1 }]);
  }
});

test('a lone BOM-like prefix that is not a BOM is left for the parser', async () => {
  const rows = await split([Buffer.from([0xef, 0xbb]), Buffer.from('{"a":1}\n{"b":2}\n')], 'ndjson');
  assert.equal(rows.length, 2);
  assert.ok('error' in rows[0]);
  assert.deepEqual(rows[1], { index: 1, value: { b: 2 } });
});
