import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutAt, everyByte, split, values } from './helpers.ts';

// Strings full of structural characters, escapes right before quotes, a
// string ending in a backslash, 2-, 3- and 4-byte UTF-8, nesting, and runs
// longer than the splitter's byte-loop window so its indexOf jumps are used.
const longText = `${'x'.repeat(100)}\\"quoted\\" ] } , [ { ${'é'.repeat(40)} 😀 ${'y'.repeat(80)}\\`;
const rows: unknown[] = [
  {
    document_id: 'doc:1',
    metadata: { s: 'quote " backslash \\ both \\" brackets ] } , [ {', ends: 'ends with \\', nested: [[1, [2, {}]], { x: { y: [] } }] },
    vectors: { e: [1, -2.5e-3, 3] },
  },
  { metadata: { u: 'é日本😀', ctrl: '\u0000\n\t\r', esc: '\\u00e9 /' } },
  { metadata: { odd: 'he said "hi], {"b": [', quoteLast: 'ends with a quote "', [`${'k'.repeat(70)}"]}`]: `${'q'.repeat(70)}"], ["` } },
  { metadata: { long: longText, deep: [[[[[{ a: [[[]]] }]]]]] }, vectors: { v: Array.from({ length: 60 }, (_, i) => i / 7 - 3) } },
  [1, [2, [3]]],
  'a string row with , and ]',
  42,
  null,
  true,
  {},
  [],
];

const arrayBody = Buffer.from(`\n \t${JSON.stringify(rows, null, 2).replace(/\n/g, '\r\n')} \n`);
const ndjsonBody = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

for (const [format, body] of [
  ['json-array', arrayBody],
  ['ndjson', ndjsonBody],
] as const) {
  test(`${format}: one cut at every byte position gives the same rows`, async () => {
    for (let at = 0; at <= body.length; at++) {
      const got = values(await split(cutAt(body, at), format));
      assert.deepEqual(got, rows, `cut at byte ${at}`);
    }
  });

  test(`${format}: one-byte chunks give the same rows`, async () => {
    const got = await split(everyByte(body), format);
    assert.deepEqual(values(got), rows);
    assert.deepEqual(
      got.map((r) => r.index),
      rows.map((_, i) => i),
    );
  });

  test(`${format}: two cuts around every multi-byte character and escape`, async () => {
    const text = body.toString('latin1');
    const marks: number[] = [];
    for (let i = 0; i < body.length; i++) if (body[i] >= 0x80 || text[i] === '\\') marks.push(i);
    for (const m of marks) {
      for (let d = 1; d <= 3; d++) {
        const got = values(await split(cutAt(body, m, Math.min(m + d, body.length)), format));
        assert.deepEqual(got, rows, `cuts at ${m} and ${m + d}`);
      }
    }
  });

  test(`${format}: plain Uint8Array chunks are accepted`, async () => {
    const pieces = cutAt(body, 7, 100, 101).map((b) => new Uint8Array(b));
    assert.deepEqual(values(await split(pieces, format)), rows);
  });
}

test('nesting deeper than the tracked bracket depth still splits correctly', async () => {
  const depth = 100_000;
  const deep = `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`;
  const body = Buffer.from(`[${deep}, {"after":[1]}]`);
  const got = await split(cutAt(body, 1000, 400_000), 'json-array', 1 << 22);
  assert.equal(got.length, 2);
  assert.ok(!('error' in got[0]));
  assert.deepEqual(got[1], { index: 1, value: { after: [1] } });
});
