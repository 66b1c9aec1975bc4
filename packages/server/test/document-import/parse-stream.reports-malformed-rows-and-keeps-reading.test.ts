import { test } from 'node:test';
import assert from 'node:assert/strict';
import { split } from './helpers.ts';

test('NDJSON: a malformed line is an error for that row only', async () => {
  const body = Buffer.from('{"a":1}\n{"b":\n{"c":3}\nnot json\n{"d":4}\n{"e":5} {"f":6}\n');
  const rows = await split([body], 'ndjson');
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[0], { index: 0, value: { a: 1 } });
  assert.deepEqual(rows[2], { index: 2, value: { c: 3 } });
  assert.deepEqual(rows[4], { index: 4, value: { d: 4 } });
  for (const i of [1, 3, 5]) {
    const r = rows[i];
    assert.ok('error' in r, `row ${i} should be an error`);
    assert.equal(r.index, i);
    assert.equal(r.type, 'json_invalid');
    assert.match(r.error, new RegExp(`^row ${i} \\(line ${i + 1}\\): invalid JSON: \\S`));
  }
});

test('JSON array: an element that is not valid JSON is an error and later elements still parse', async () => {
  const body = Buffer.from('[{"a":1}, {b:2}, {"c":[1,2,}, {"d":4}, {"e":5} {"f":6}, tru, {"g":7}]');
  const rows = await split([body], 'json-array');
  assert.deepEqual(
    rows.map((r) => ('error' in r ? `error ${r.index}` : r.value)),
    [{ a: 1 }, 'error 1', 'error 2', { d: 4 }, 'error 4', 'error 5', { g: 7 }],
  );
  const bad = rows[1];
  assert.ok('error' in bad);
  assert.match(bad.error, /^row 1: invalid JSON: /);
});

test('a stray closing brace stays inside its element instead of shifting later rows', async () => {
  const rows = await split([Buffer.from('[{"a":1}}, {"b":2}]')], 'json-array');
  assert.equal(rows.length, 2);
  assert.ok('error' in rows[0]);
  assert.deepEqual(rows[1], { index: 1, value: { b: 2 } });
});

test('a row with invalid UTF-8 is rejected rather than silently altered', async () => {
  const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"b":"\u00e9"}\n')]);
  const rows = await split([body], 'ndjson');
  assert.equal(rows.length, 2);
  const bad = rows[0];
  assert.ok('error' in bad);
  assert.equal(bad.type, 'json_invalid');
  assert.match(bad.error, /UTF-8/);
  assert.deepEqual(rows[1], { index: 1, value: { b: 'é' } });
});
